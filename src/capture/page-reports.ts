// What the page-side observer (src/content/page-world.ts) saw, parsed at the edge and kept per tab, so capture
// can (1) complete an exchange with what only the page knows — request mode, credentials mode, the headers the
// page tried to read, a CSP report about a redirect hop, a <script integrity> that failed — and (2) list the
// requests the browser refused before any webRequest event: an https page calling http (mixed content) and the
// page's own CSP `connect-src` (fetch, XHR and sendBeacon).
//
// Pure: no browser APIs. Observations come from the page's world, so they are untrusted: every field is
// type-checked and bounded here, once, and nothing here ever decides a verdict on its own — the engine does.
import type { AddressSpace, CredentialsMode, Exchange, RequestMode } from "../core/model";
import { headerNamesFrom, isToken } from "../core/headers";
import { originOf } from "../core/origin";

/** The DOM event the page-world script dispatches and the isolated-world relay listens for. */
export const PAGE_REPORT_EVENT = "cors-doctor:page-report";
/** Between the reports of one such event (a batch): JSON text never holds a raw line break. */
export const PAGE_REPORT_SEPARATOR = "\n";

export type PageOutcome = "response" | "network-error" | "aborted";

export interface PageReport {
  /**
   * "element": a <script>/<link> with an integrity attribute, or an element loaded in CORS mode (`crossorigin`, a
   * module script), fired "error"; "beacon": navigator.sendBeacon; "service-worker": the page is controlled by, or
   * registers, a service worker (`url`: its script), whose own requests webRequest gives no tab.
   */
  kind: "fetch" | "xhr" | "csp" | "header-read" | "beacon" | "element" | "service-worker" | "browser";
  url: string;
  method?: string;
  mode?: RequestMode;
  credentials?: CredentialsMode;
  outcome?: PageOutcome;
  status?: number;
  /** Response.type as the page saw it: "cors", "opaque", "basic"… */
  responseType?: string;
  /** The error message the page got (a TypeError's text), bounded. */
  message?: string;
  /** CSP: the directive that blocked the URL. */
  directive?: string;
  /** Response header names the page asked for and got null (not exposed). */
  readHeaders?: string[];
  /** The fetch carried an `integrity` option (Subresource Integrity). */
  integrity?: boolean;
  /** The fetch's redirect mode when not "follow". */
  redirect?: "error" | "manual";
  /** The fetch's `targetAddressSpace` option (Local Network Access). */
  targetAddressSpace?: AddressSpace;
  /** "element": which element fired "error". */
  tag?: "script" | "link" | "img" | "font";
  /**
   * "browser" (precise mode only, never from a page): why Chromium itself failed the request, CDP's
   * `corsErrorStatus` (`corsError`, `failedParameter`) and `blockedReason`.
   */
  corsError?: string;
  failedParameter?: string;
  blockedReason?: string;
  at: number;
  endedAt?: number;
  pageUrl: string;
}

const MAX_URL = 8192;
const MAX_TEXT = 300;
const MAX_NAMES = 32;
const KINDS = new Set(["fetch", "xhr", "csp", "header-read", "beacon", "element", "service-worker"]);
/** Chromium's enum values (CorsError, BlockedReason): an identifier, nothing else. */
const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_-]{0,80}$/;
const MODES = new Set(["cors", "no-cors", "same-origin", "navigate"]);
const CREDENTIALS = new Set(["omit", "same-origin", "include"]);
const OUTCOMES = new Set(["response", "network-error", "aborted"]);

function text(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}

function finiteNumber(value: unknown, min: number, max: number): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/**
 * One observation from untrusted JSON text, or null when it is not one. Never throws. `browser`: the report may be
 * the browser's own word (kind "browser"), which only precise mode sends; a page or DevTools report cannot be one.
 */
export function parsePageReport(raw: unknown, { browser = false }: { browser?: boolean } = {}): PageReport | null {
  let value: unknown = raw;
  if (typeof raw === "string") {
    if (raw.length > 64 * 1024) return null;
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null) return null;
  const o = value as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== "string" || !(KINDS.has(kind) || (browser && kind === "browser"))) return null;
  const url = text(o.url, MAX_URL);
  const pageUrl = text(o.pageUrl, MAX_URL);
  const at = finiteNumber(o.at, 0, 1e14);
  if (!url || !pageUrl || at === undefined) return null;
  const observation: PageReport = { kind: kind as PageReport["kind"], url, pageUrl, at };
  const method = text(o.method, 64);
  if (method && isToken(method)) observation.method = method;
  if (typeof o.mode === "string" && MODES.has(o.mode)) observation.mode = o.mode as RequestMode;
  if (typeof o.credentials === "string" && CREDENTIALS.has(o.credentials)) observation.credentials = o.credentials as CredentialsMode;
  if (typeof o.outcome === "string" && OUTCOMES.has(o.outcome)) observation.outcome = o.outcome as PageOutcome;
  const status = finiteNumber(o.status, 0, 999);
  if (status !== undefined) observation.status = Math.trunc(status);
  const responseType = text(o.responseType, 32);
  if (responseType) observation.responseType = responseType;
  const message = text(o.message, MAX_TEXT);
  if (message) observation.message = message;
  const directive = text(o.directive, 64);
  if (directive) observation.directive = directive;
  if (o.integrity === true) observation.integrity = true;
  if (o.redirect === "error" || o.redirect === "manual") observation.redirect = o.redirect;
  if (o.targetAddressSpace === "public" || o.targetAddressSpace === "local" || o.targetAddressSpace === "loopback")
    observation.targetAddressSpace = o.targetAddressSpace;
  if (o.tag === "script" || o.tag === "link" || o.tag === "img" || o.tag === "font") observation.tag = o.tag;
  const endedAt = finiteNumber(o.endedAt, 0, 1e14);
  if (endedAt !== undefined) observation.endedAt = endedAt;
  if (kind === "browser") {
    if (typeof o.corsError === "string" && ENUM_VALUE.test(o.corsError)) observation.corsError = o.corsError;
    const failedParameter = text(o.failedParameter, MAX_URL);
    if (failedParameter && observation.corsError) observation.failedParameter = failedParameter;
    if (typeof o.blockedReason === "string" && ENUM_VALUE.test(o.blockedReason)) observation.blockedReason = o.blockedReason;
    if (!observation.corsError && !observation.blockedReason) return null;
  }
  if (Array.isArray(o.readHeaders)) {
    const names = headerNamesFrom(o.readHeaders, MAX_NAMES);
    if (names.length) observation.readHeaders = names;
  }
  return observation;
}

/** Hosts that are "potentially trustworthy" over http: no mixed-content block for them (Fetch/Mixed Content). */
function potentiallyTrustworthyHttp(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "::1";
}

/** Why the browser refused a request the page made before it reached the network, when the page shows it. */
export function refusedBeforeNetwork(observation: PageReport, cspBlocked: boolean): "mixed-content" | "csp" | null {
  if (cspBlocked) return "csp";
  try {
    const page = new URL(observation.pageUrl);
    const target = new URL(observation.url);
    if (page.protocol === "https:" && target.protocol === "http:" && !potentiallyTrustworthyHttp(target)) return "mixed-content";
  } catch {
    return null;
  }
  return null;
}

/**
 * Why a request failed that capture has no record of. A `<script integrity>` whose "error" no network failure
 * explains (capture would have the failure: every failure of an armed tab is captured) loaded and then failed its
 * digest: Subresource Integrity.
 */
function pageOnlyReason(observation: PageReport, cspBlocked: boolean): PageOnlyReason | null {
  const refused = refusedBeforeNetwork(observation, cspBlocked);
  if (refused) return refused;
  return observation.kind === "element" && observation.integrity ? "integrity" : null;
}

/** The page-side facts that complete an exchange webRequest captured. */
export interface PageEvidence {
  mode?: RequestMode;
  credentials?: CredentialsMode;
  readHeaders?: string[];
  /** The page's fetch/XHR rejected (TypeError) — its text, e.g. "Failed to fetch". */
  pageError?: string;
  integrity?: boolean;
  redirect?: "error" | "manual";
  targetAddressSpace?: AddressSpace;
  /** The page's CSP reports around the time of the request (URL or origin, and the directive). */
  cspReports?: { url: string; directive?: string }[];
  /** Chromium's own reason (precise mode): CDP's corsErrorStatus and blockedReason. */
  corsErrorStatus?: { corsError: string; failedParameter?: string };
  blockedReason?: string;
}

/** Whether a CSP report names this URL (in full, or only its origin, as browsers report a cross-origin redirect). */
function cspNames(reported: string, url: string): boolean {
  if (reported === url) return true;
  const origin = originOf(url);
  return origin !== null && (reported === origin || (reported.startsWith(`${origin}/`) && url.startsWith(reported)));
}

/** Every URL the request went to, and the Location of a redirect it did not follow (a hop refused before the network). */
function urlsOf(exchange: Exchange): string[] {
  const urls = exchange.legs.map((leg) => leg.request.url);
  const last = exchange.legs[exchange.legs.length - 1];
  const location = last?.response?.headers.find((h) => h.name.toLowerCase() === "location")?.value;
  if (location && last!.response!.status >= 300 && last!.response!.status < 400) {
    try {
      urls.push(new URL(location, last!.request.url).href);
    } catch {
      // An unparsable Location is not a hop anyone went to.
    }
  }
  return urls;
}

/** Adds what the page saw to a captured exchange; the capture's own facts are never overwritten. */
export function withPageEvidence(exchange: Exchange, evidence: PageEvidence | undefined): Exchange {
  if (!evidence) return exchange;
  const next: Exchange = { ...exchange };
  if (evidence.mode && !exchange.mode) next.mode = evidence.mode;
  if (evidence.credentials && !exchange.credentials) next.credentials = evidence.credentials;
  if (evidence.readHeaders?.length) next.readHeaders = [...new Set([...(exchange.readHeaders ?? []), ...evidence.readHeaders])];
  if (evidence.redirect && !exchange.redirectMode) next.redirectMode = evidence.redirect;
  if (evidence.targetAddressSpace && !exchange.targetAddressSpace) next.targetAddressSpace = evidence.targetAddressSpace;
  if (evidence.corsErrorStatus && !exchange.corsErrorStatus) next.corsErrorStatus = evidence.corsErrorStatus;
  if (evidence.blockedReason && !exchange.blockedReason) next.blockedReason = evidence.blockedReason;
  if (evidence.pageError !== undefined && !exchange.pageObserved) {
    // The page failed, and its CSP reported one of the request's URLs (a redirect hop: webRequest shows the 3xx and
    // then a cancel, net::ERR_ABORTED or NS_ERROR_UNEXPECTED, measured in matrix2): the page's CSP refused it.
    const urls = evidence.cspReports?.length ? urlsOf(exchange) : [];
    const csp = evidence.cspReports?.find((r) => urls.some((u) => cspNames(r.url, u)));
    // The page's promise rejected although capture shows a complete response: an integrity option explains it
    // (Subresource Integrity fails after the response). A request that failed on the network is not an SRI failure.
    if (csp) next.pageObserved = { kind: "csp", ...(csp.directive ? { directive: csp.directive } : {}), message: evidence.pageError };
    else if (evidence.integrity && exchange.outcome.kind !== "failed")
      next.pageObserved = { kind: "integrity", message: evidence.pageError };
    else next.pageObserved = { kind: "error", message: evidence.pageError };
  }
  return next;
}

/** webRequest's type for what the page made (a beacon is Chrome's "ping"). */
const RESOURCE_TYPES: Partial<Record<PageReport["kind"], string>> = {
  fetch: "fetch",
  xhr: "xmlhttprequest",
  beacon: "ping",
  // An element report names its element (`tag`); one without it is taken for a <script>, the first element reported.
  element: "script",
};

/** webRequest's type of the element that fired "error". */
const ELEMENT_TYPES: Record<NonNullable<PageReport["tag"]>, string> = { img: "image", script: "script", link: "stylesheet", font: "font" };

/** What the page saw of a request capture has no record of, with the outcome it ended in: no headers are known. */
function pageOnlyExchange(observation: PageReport, error: string): Exchange {
  return {
    initiatorOrigin: originOf(observation.pageUrl),
    legs: [{ request: { method: observation.method ?? "GET", url: observation.url, headers: [] } }],
    outcome: { kind: "failed", error },
    observedBy: "unknown",
    ...(observation.mode ? { mode: observation.mode } : {}),
    ...(observation.credentials ? { credentials: observation.credentials } : {}),
    resourceType:
      (observation.kind === "element" && observation.tag ? ELEMENT_TYPES[observation.tag] : RESOURCE_TYPES[observation.kind]) ?? "fetch",
    startedAt: observation.at,
  };
}

/** What the page alone shows refused a request capture has no record of, as Chrome DevTools' blockedReason names it. */
export type PageOnlyReason = "mixed-content" | "csp" | "integrity";

/**
 * An exchange for a request capture has no record of: the browser refused it in the renderer (mixed content, CSP),
 * or it was loaded where capture does not follow in full and its digest failed (an armed Chromium tab follows
 * scripts only at their network failure; Subresource Integrity fails after a complete response). It carries no
 * headers (none were built, or none were captured) and the outcome the page saw; `blockedReason` says which check
 * refused it.
 */
export function refusedExchange(observation: PageReport, reason: PageOnlyReason, directive?: string): Exchange {
  return {
    // DevTools shows these as "(blocked:csp)" and "(blocked:mixed-content)"; no network error exists for them.
    ...pageOnlyExchange(observation, `blocked:${reason}`),
    blockedReason: reason,
    pageObserved: {
      kind: reason,
      ...(reason === "csp" && directive ? { directive } : {}),
      ...(observation.message ? { message: observation.message } : {}),
    },
  };
}

/** Within this long of each other, a page observation and a webRequest record of the same URL are one request. */
export const MATCH_WINDOW_MS = 5_000;
/** A page failure with no webRequest record after this long was refused before the network. */
export const REFUSED_GRACE_MS = 300;
const MAX_PENDING_PER_TAB = 500;

interface Pending {
  observation: PageReport;
  matched: boolean;
}

/** The same failed request, as two sources report it (DevTools and precise mode read one record of the browser). */
function sameFailure(a: PageReport, b: PageReport): boolean {
  return (
    a.outcome === b.outcome && a.kind === b.kind && a.url === b.url && a.method === b.method && a.at === b.at && a.pageUrl === b.pageUrl
  );
}

/**
 * Per tab: recent page observations waiting to be matched to a captured request, and the ones that turned out to
 * have no request at all. Bounded per tab (oldest dropped) so a page firing in a loop costs bounded memory.
 */
export class PageReports {
  private readonly pending = new Map<number, Pending[]>();
  /** CSP-blocked URLs per tab (blockedURI as the browser reported it), recent first. */
  private readonly cspBlocked = new Map<number, { url: string; at: number; directive?: string }[]>();

  add(tabId: number, observation: PageReport): void {
    if (observation.kind === "csp") {
      const list = this.cspBlocked.get(tabId) ?? [];
      list.unshift({ url: observation.url, at: observation.at, ...(observation.directive ? { directive: observation.directive } : {}) });
      if (list.length > 64) list.length = 64;
      this.cspBlocked.set(tabId, list);
      return;
    }
    const list = this.pending.get(tabId) ?? [];
    // DevTools (open on the tab) and precise mode can both report one refused request: the second says nothing new.
    if (observation.outcome === "network-error" && list.some((p) => sameFailure(p.observation, observation))) return;
    list.push({ observation, matched: false });
    if (list.length > MAX_PENDING_PER_TAB) list.splice(0, list.length - MAX_PENDING_PER_TAB);
    this.pending.set(tabId, list);
  }

  /** The page's facts about a captured request (same method and URL, started within the window). */
  evidenceFor(tabId: number, method: string, url: string, startedAt: number | undefined): PageEvidence | undefined {
    const list = this.pending.get(tabId);
    if (!list) return undefined;
    let evidence: PageEvidence | undefined;
    for (const p of list) {
      const o = p.observation;
      if (o.url !== url || (o.method ?? "GET") !== method.toUpperCase()) continue;
      if (startedAt !== undefined && Math.abs(o.at - startedAt) > MATCH_WINDOW_MS) continue;
      p.matched = true;
      evidence ??= {};
      if (o.mode) evidence.mode = o.mode;
      if (o.credentials) evidence.credentials = o.credentials;
      if (o.readHeaders) evidence.readHeaders = [...new Set([...(evidence.readHeaders ?? []), ...o.readHeaders])];
      if (o.outcome === "network-error") evidence.pageError = o.message ?? "TypeError";
      if (o.integrity) evidence.integrity = true;
      if (o.redirect) evidence.redirect = o.redirect;
      if (o.targetAddressSpace) evidence.targetAddressSpace = o.targetAddressSpace;
      if (o.corsError)
        evidence.corsErrorStatus = { corsError: o.corsError, ...(o.failedParameter ? { failedParameter: o.failedParameter } : {}) };
      if (o.blockedReason) evidence.blockedReason = o.blockedReason;
      if (o.outcome === "network-error") {
        // CSP reports while this request ran: one of them may name a redirect hop of it (judged in withPageEvidence).
        // The CSP event is a task of its own: on a loaded renderer it may fire a little after the page's rejection.
        const reports = (this.cspBlocked.get(tabId) ?? []).filter((b) => b.at >= o.at - 50 && b.at <= (o.endedAt ?? o.at) + 1_000);
        if (reports.length) evidence.cspReports = reports.map((b) => ({ url: b.url, ...(b.directive ? { directive: b.directive } : {}) }));
      }
    }
    return evidence;
  }

  /**
   * Page failures that no captured request explains, older than the grace period, whose cause the page shows
   * (mixed content, CSP), or whose failure capture saw and dropped (`droppedFailure`: a CORS-mode element that
   * failed before its headers). Each is returned once. `captured(url, method, at)` says whether capture has a record.
   */
  takeRefused(
    tabId: number,
    now: number,
    captured: (url: string, method: string, at: number) => boolean,
    droppedFailure: (url: string, at: number) => string | undefined = () => undefined,
  ): Exchange[] {
    const list = this.pending.get(tabId);
    if (!list) return [];
    const out: Exchange[] = [];
    const keep: Pending[] = [];
    for (const p of list) {
      const o = p.observation;
      const age = now - (o.endedAt ?? o.at);
      // A beacon counts whatever sendBeacon returned (Chromium says true and then lets the page's CSP refuse it).
      const failed = o.outcome === "network-error" || o.kind === "beacon";
      if (p.matched || !failed || o.kind === "csp" || o.kind === "header-read") {
        if (now - o.at < MATCH_WINDOW_MS * 2) keep.push(p);
        continue;
      }
      if (age < REFUSED_GRACE_MS) {
        keep.push(p);
        continue;
      }
      if (captured(o.url, o.method ?? "GET", o.at)) continue;
      // A CORS-mode element whose failure capture saw and dropped for want of headers (it looked like a plain load):
      // the page says it was a CORS-mode load, the failure says why it failed (another extension, the network).
      const dropped = o.kind === "element" && o.mode === "cors" ? droppedFailure(o.url, o.at) : undefined;
      if (dropped) {
        out.push(pageOnlyExchange(o, dropped));
        continue;
      }
      const csp = this.cspFor(tabId, o);
      // A beacon that went out is not refused: only a CSP report, or sendBeacon's false on an insecure URL, says so.
      const reason = o.kind === "beacon" && !csp && o.outcome !== "network-error" ? null : pageOnlyReason(o, csp !== null);
      if (reason) out.push(refusedExchange(o, reason, csp?.directive));
    }
    if (keep.length) this.pending.set(tabId, keep);
    else this.pending.delete(tabId);
    return out;
  }

  /** Whether the tab has reports still waiting to be matched or judged. */
  hasPending(tabId: number): boolean {
    return (this.pending.get(tabId)?.length ?? 0) > 0;
  }

  forgetTab(tabId: number): void {
    this.pending.delete(tabId);
    this.cspBlocked.delete(tabId);
  }

  /** The CSP report about this request: it names the full URL, or only its origin when the browser strips it. */
  private cspFor(tabId: number, o: PageReport): { url: string; directive?: string } | null {
    return this.cspBlocked.get(tabId)?.find((b) => Math.abs(b.at - o.at) <= MATCH_WINDOW_MS && cspNames(b.url, o.url)) ?? null;
  }
}
