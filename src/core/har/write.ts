// Exchanges + diagnoses → the HAR 1.2 report the extension exports (contracts §4). One entry per request
// the browser made (each preflight and each redirect leg), valid for HAR viewers, plus our custom fields:
// `_cors` (the verdict per entry), `_resourceType` like Chrome's, and `_corsDoctor` so that reading our own
// report back rebuilds exactly the same exchanges (read.ts trusts it only when creator is "CORS Doctor").
import type { CorsDiagnosis, Exchange, Header, HttpResponse, RequestTimings } from "../model";
import { Redaction, redactHarEntry } from "../redact";
import type { CookieSighting } from "../lints/cookies";
import { sightingsForExport } from "./cookie-sightings";
import { CORS_DOCTOR_CREATOR } from "./group";
import { entryDiagnoses } from "./roles";
import { copyEvidence, type HarCookie, type HarCorsDoctorEntry, type HarEntry, type HarLog, type HarNameValue } from "./types";

export interface ReportItem {
  exchange: Exchange;
  diagnosis: CorsDiagnosis;
}

export interface ReportOptions {
  /** Default false: secrets are replaced by "[redacted]" and log._redaction says what was removed. */
  includeSecrets?: boolean;
  /** CORS Doctor's version for log.creator.version. */
  version: string;
  /** The browser the exchanges were observed in, for `log.browser`. */
  browser?: { name: string; version: string };
  /**
   * Cookies set outside the log (a navigation's Set-Cookie, the browser's cookie store), each placed before an item
   * (`before` = its position in `items`): written to `log._corsDoctor` so `analyze` of the file names them too.
   */
  cookieSightings?: readonly CookieSighting[];
}

/** webRequest `type` → Chrome DevTools' `_resourceType` (Chrome's own HAR vocabulary). */
const CHROME_RESOURCE_TYPES: Record<string, string> = {
  xmlhttprequest: "xhr",
  main_frame: "document",
  sub_frame: "document",
  csp_report: "cspviolationreport",
  object: "other",
  object_subrequest: "other",
  webbundle: "other",
  imageset: "image",
  beacon: "ping",
  speculative: "other",
  web_manifest: "manifest",
  xml_dtd: "other",
  xslt: "other",
};

export function chromeResourceType(type: string | undefined): string {
  if (!type) return "other";
  return CHROME_RESOURCE_TYPES[type] ?? type;
}

function headerValues(headers: Header[], name: string): string[] {
  return headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
}

function requestCookies(headers: Header[]): HarCookie[] {
  return headerValues(headers, "cookie").flatMap((line) =>
    line.split(";").flatMap((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair.trim() ? [{ name: "", value: pair.trim() }] : [];
      return [{ name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() }];
    }),
  );
}

function responseCookies(headers: Header[]): HarCookie[] {
  return headerValues(headers, "set-cookie")
    .flatMap((v) => v.split("\n"))
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const cookie: HarCookie = { name: eq < 0 ? "" : pair.slice(0, eq).trim(), value: (eq < 0 ? pair : pair.slice(eq + 1)).trim() };
      for (const attribute of attributes) {
        const at = attribute.indexOf("=");
        const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
        const value = at < 0 ? "" : attribute.slice(at + 1).trim();
        if (key === "path") cookie.path = value;
        else if (key === "domain") cookie.domain = value;
        else if (key === "expires") cookie.expires = value;
        else if (key === "httponly") cookie.httpOnly = true;
        else if (key === "secure") cookie.secure = true;
        else if (key === "samesite") cookie.sameSite = value;
      }
      return cookie;
    });
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function redirectUrl(response: HttpResponse | undefined, url: string): string {
  if (!response || response.status < 300 || response.status > 399) return "";
  const location = headerValues(response.headers, "location")[0];
  if (!location) return "";
  try {
    return new URL(location, url).href;
  } catch {
    return location;
  }
}

/**
 * HAR 1.2 timings from the capture's event times: blocked until the headers went out, waiting until the
 * response headers came, receiving until the end. send/wait/receive are required and ≥ 0, the others -1
 * when unknown, and `time` is their sum.
 */
function harTimings(t: RequestTimings | undefined): HarEntry["timings"] & { blocked: number } {
  const span = (from: number | undefined, to: number | undefined) =>
    from !== undefined && to !== undefined && to >= from ? Math.round((to - from) * 1000) / 1000 : undefined;
  const blocked = span(t?.start, t?.sendHeaders);
  const wait = span(t?.sendHeaders ?? t?.start, t?.headersReceived);
  const receive = span(t?.headersReceived, t?.end);
  return { blocked: blocked ?? -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: wait ?? 0, receive: receive ?? 0 };
}

interface Planned {
  exchangeNumber: number;
  legIndex: number;
  part: "preflight" | "request";
  item: ReportItem;
}

function harEntry(planned: Planned, diagnosis: CorsDiagnosis | undefined): HarEntry {
  const { item, legIndex, part, exchangeNumber } = planned;
  const { exchange } = item;
  const leg = exchange.legs[legIndex]!;
  const request = part === "preflight" ? leg.preflight!.request : leg.request;
  const response = part === "preflight" ? leg.preflight!.response : leg.response;
  const isLast = legIndex === exchange.legs.length - 1;
  const error =
    part === "preflight" ? leg.preflight!.error : isLast && exchange.outcome.kind === "failed" ? exchange.outcome.error : undefined;

  const own: HarCorsDoctorEntry = {
    exchange: exchangeNumber,
    leg: legIndex,
    part,
    initiatorOrigin: exchange.initiatorOrigin,
    outcome: exchange.outcome,
  };
  if (exchange.observedBy) own.observedBy = exchange.observedBy;
  if (exchange.capturedBy) own.capturedBy = exchange.capturedBy;
  if (exchange.credentials) own.credentials = exchange.credentials;
  if (exchange.mode) own.mode = exchange.mode;
  if (exchange.resourceType) own.resourceType = exchange.resourceType;
  if (exchange.startedAt !== undefined) own.startedAt = exchange.startedAt;
  if (!response) own.noResponse = true;
  copyEvidence(exchange, own);

  const times = part === "preflight" ? leg.preflight!.timings : leg.timings;
  const timings = harTimings(times);
  const entry: HarEntry = {
    // Each request's own start when the capture saw it; otherwise the exchange's.
    startedDateTime: new Date(times?.start ?? exchange.startedAt ?? 0).toISOString(),
    time: timings.send + timings.wait + timings.receive + Math.max(0, timings.blocked ?? 0),
    request: {
      method: request.method,
      url: request.url,
      httpVersion: "",
      cookies: requestCookies(request.headers),
      headers: request.headers.map((h) => ({ name: h.name, value: h.value })),
      queryString: queryString(request.url),
      headersSize: -1,
      bodySize: -1,
    },
    response: {
      status: response?.status ?? 0,
      statusText: response?.statusText ?? "",
      httpVersion: "",
      cookies: responseCookies(response?.headers ?? []),
      headers: (response?.headers ?? []).map((h) => ({ name: h.name, value: h.value })),
      content: { size: 0, mimeType: headerValues(response?.headers ?? [], "content-type")[0] ?? "" },
      redirectURL: redirectUrl(response, request.url),
      headersSize: -1,
      bodySize: response ? -1 : 0,
    },
    cache: {},
    timings,
    _resourceType: part === "preflight" ? "preflight" : chromeResourceType(exchange.resourceType),
  };
  if (error) entry.response._error = error;
  if (diagnosis) entry._cors = diagnosis;
  entry._corsDoctor = own;
  return entry;
}

/** Contracts §4: a HAR 1.2 log with one entry per observed request (preflights included), in start order. */
export function buildHarReport(items: ReportItem[], options: ReportOptions): { log: HarLog & Record<string, unknown> } {
  // Start order: exchanges without a start time stay next to their predecessor (stable sort).
  let lastStart = Number.NEGATIVE_INFINITY;
  const ordered = items
    .map((item, position) => {
      if (item.exchange.startedAt !== undefined) lastStart = item.exchange.startedAt;
      return { item, position, start: lastStart };
    })
    .sort((a, b) => a.start - b.start || a.position - b.position);
  const positions = ordered.map((o) => o.position);
  const inOrder = ordered.map((o) => o.item);

  const planned: Planned[] = [];
  const entryIndexOf = new Map<string, number>();
  /** Item position (as given) → the index of its first entry. */
  const firstEntryOf = new Map<number, number>();
  inOrder.forEach((item, exchangeNumber) => {
    firstEntryOf.set(positions[exchangeNumber]!, planned.length);
    item.exchange.legs.forEach((leg, legIndex) => {
      // Fetch: a leg's preflight goes out before the leg's request.
      for (const part of leg.preflight ? (["preflight", "request"] as const) : (["request"] as const)) {
        entryIndexOf.set(`${exchangeNumber}/${legIndex}/${part}`, planned.length);
        planned.push({ exchangeNumber, legIndex, part, item });
      }
    });
  });

  const diagnosisOf = new Map<number, CorsDiagnosis>();
  inOrder.forEach((item, exchangeNumber) => {
    const perEntry = entryDiagnoses(item.exchange, item.diagnosis, (legIndex, part) =>
      entryIndexOf.get(`${exchangeNumber}/${legIndex}/${part}`),
    );
    for (const [index, diagnosis] of perEntry) diagnosisOf.set(index, diagnosis);
  });

  let entries = planned.map((p, index) => harEntry(p, diagnosisOf.get(index)));
  let sightings = sightingsForExport(options.cookieSightings ?? [], (position) => firstEntryOf.get(position), entries.length);
  const redaction = new Redaction();
  if (!options.includeSecrets) {
    entries = entries.map((entry) => redactHarEntry(entry, redaction));
    // The edge: every string of every entry (findings quoting a URL or a header, status text, error
    // strings, fields added later) loses the secrets found above and anything shaped like one.
    entries = redaction.scrub(entries);
    sightings = redaction.scrub(sightings);
  }

  const log: HarLog & Record<string, unknown> = {
    version: "1.2",
    creator: { name: CORS_DOCTOR_CREATOR, version: options.version },
    ...(options.browser ? { browser: options.browser } : {}),
    pages: [],
    // Before the entries: the streaming reader reads it on its way to them.
    ...(sightings.length ? { _corsDoctor: { cookieSightings: sightings } } : {}),
    entries,
    _redaction: redaction.summary(options.includeSecrets === true),
  };
  return { log };
}
