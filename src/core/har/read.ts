// Untrusted HAR JSON → typed entries, checked once at the edge. Errors are one line saying what is wrong
// and where (`entries[12].request.headers is not an array`), never a stack trace.
import { FAILED_WITHOUT_TEXT } from "../checks/not-cors";
import { headerNamesFrom } from "../headers";
import type { Header } from "../model";
import { HarError } from "./errors";
import { parseHarCookieSightings, type HarCookieSighting } from "./cookie-sightings";
import { CORS_DOCTOR_CREATOR, HarGrouper, type GroupOptions } from "./group";
import { MAX_LEGS, MAX_STATUS, MAX_TIME_VALUE } from "./limits";
import type { HarCorsDoctorEntry, HarEntryLike, HarExchangeGroup, HarInitiator, HarLogMeta, HarPage } from "./types";

export { HarError };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function requireObject(value: unknown, where: string): Json {
  if (value === undefined) throw new HarError(`${where} is missing`);
  if (!isObject(value)) throw new HarError(`${where} is not an object (got ${describe(value)})`);
  return value;
}

/**
 * Text from a JSON scalar: some exporters write numbers (Content-Length: 12). Objects and arrays are not
 * text: `String()` on them runs their `toString` (a key of the input) or recurses as deep as the input nests.
 */
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function asText(value: unknown, where: string): string {
  const text = scalarText(value);
  if (text === undefined) throw new HarError(`${where} is ${describe(value)}, not text`);
  return text;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

// Every number read from input is range-checked here, once: later code indexes arrays and walks
// loops with them, so an out-of-range value (a leg of 4294967294 made a sparse array of 2^32 slots
// to walk) must never get past the edge.

/** A non-negative safe integer (an index or an id), else undefined. */
function optionalIndex(value: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= max ? value : undefined;
}

/** A duration in ms: HAR writes -1 for "not known"; anything negative, non-finite or beyond `Date` is dropped. */
function optionalDuration(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= MAX_TIME_VALUE ? value : undefined;
}

/** An instant in epoch ms that `Date` can represent. */
function optionalTimeValue(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= MAX_TIME_VALUE ? value : undefined;
}

function parseHeaders(value: unknown, where: string): Header[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new HarError(`${where} is not an array (got ${describe(value)})`);
  // A loop, not map: map skips the holes of a sparse array (a JS caller's array, never JSON's).
  const headers: Header[] = [];
  for (let i = 0; i < value.length; i++) {
    const header = requireObject(value[i], `${where}[${i}]`);
    if (header.name === undefined || header.name === null || typeof header.name === "object") {
      throw new HarError(`${where}[${i}].name is missing`);
    }
    headers.push({ name: asText(header.name, `${where}[${i}].name`), value: asText(header.value, `${where}[${i}].value`) });
  }
  return headers;
}

/**
 * A browser never sends one request header line twice (Fetch combines a header list by name), so an
 * identical repeat in a request is the exporter's: chrome-har writes the provisional headers and then the
 * ones sent on the wire, Origin twice. Responses keep theirs: two identical ACAO lines are a real fault.
 */
export function withoutRepeats(headers: Header[]): Header[] {
  if (headers.length <= 32) return withoutRepeatsShort(headers);
  const seen = new Set<string>();
  const kept: Header[] = [];
  for (const h of headers) {
    const key = `${h.name.toLowerCase()}\n${h.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(h);
  }
  return kept.length === headers.length ? headers : kept;
}

/** The same for a list of the usual length: each header compared with the ones before it, no key built. */
function withoutRepeatsShort(headers: Header[]): Header[] {
  let kept: Header[] | null = null;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    let repeat = false;
    for (let j = 0; j < i && !repeat; j++) {
      const before = headers[j]!;
      repeat = before.value === h.value && (before.name === h.name || before.name.toLowerCase() === h.name.toLowerCase());
    }
    if (repeat) kept ??= headers.slice(0, i);
    else kept?.push(h);
  }
  return kept ?? headers;
}

function parseInitiator(value: unknown): HarInitiator | undefined {
  if (!isObject(value)) return undefined;
  const initiator: HarInitiator = {};
  const type = optionalString(value.type);
  const url = optionalString(value.url);
  const requestId = optionalString(value.requestId) ?? (typeof value.requestId === "number" ? String(value.requestId) : undefined);
  if (type !== undefined) initiator.type = type;
  if (url !== undefined) initiator.url = url;
  if (requestId !== undefined) initiator.requestId = requestId;
  if (isObject(value.stack) && Array.isArray(value.stack.callFrames)) {
    initiator.stack = {
      callFrames: value.stack.callFrames.filter(isObject).map((f) => {
        const frameUrl = optionalString(f.url);
        return frameUrl === undefined ? {} : { url: frameUrl };
      }),
    };
  }
  return initiator;
}

const CREDENTIALS = new Set(["omit", "same-origin", "include"]);
const MODES = new Set(["cors", "no-cors", "same-origin", "navigate"]);
const OBSERVERS = new Set(["chrome", "firefox", "unknown"]);

/** Our own per-entry record; malformed ones are ignored (the heuristics take over). */
function parseCorsDoctor(value: unknown): HarCorsDoctorEntry | undefined {
  if (!isObject(value)) return undefined;
  const exchange = optionalIndex(value.exchange);
  const leg = optionalIndex(value.leg, MAX_LEGS - 1);
  const part = value.part;
  if (exchange === undefined || leg === undefined || (part !== "preflight" && part !== "request")) return undefined;
  const record: HarCorsDoctorEntry = {
    exchange,
    leg,
    part,
    initiatorOrigin: typeof value.initiatorOrigin === "string" ? value.initiatorOrigin : null,
  };
  if (typeof value.credentials === "string" && CREDENTIALS.has(value.credentials))
    record.credentials = value.credentials as HarCorsDoctorEntry["credentials"];
  if (typeof value.mode === "string" && MODES.has(value.mode)) record.mode = value.mode as HarCorsDoctorEntry["mode"];
  if (typeof value.observedBy === "string" && OBSERVERS.has(value.observedBy))
    record.observedBy = value.observedBy as HarCorsDoctorEntry["observedBy"];
  if (value.capturedBy === "webRequest") record.capturedBy = "webRequest";
  if (typeof value.resourceType === "string") record.resourceType = value.resourceType;
  const startedAt = optionalTimeValue(value.startedAt);
  if (startedAt !== undefined) record.startedAt = startedAt;
  if (value.noResponse === true) record.noResponse = true;
  const outcome = value.outcome;
  if (isObject(outcome)) {
    if (outcome.kind === "failed") record.outcome = { kind: "failed", error: scalarText(outcome.error) ?? "unknown" };
    else if (outcome.kind === "completed" || outcome.kind === "unknown") record.outcome = { kind: outcome.kind };
  }
  parseEvidence(value, record);
  return record;
}

const SPACES = new Set(["public", "local", "loopback"]);
const PAGE_OBSERVATIONS = new Set(["csp", "mixed-content", "integrity", "error"]);
const REDIRECT_MODES = new Set(["follow", "error", "manual"]);

/** A short text from the file, cut to `max`, or undefined. */
function shortText(value: unknown, max: number): string | undefined {
  return typeof value === "string" && value.length > 0 ? value.slice(0, max) : undefined;
}

/**
 * What our export carries beyond the headers (write.ts `EVIDENCE_KEYS`), checked field by field like the rest: a
 * value of the wrong shape is dropped, never trusted.
 */
function parseEvidence(value: Json, record: HarCorsDoctorEntry): void {
  const blockedReason = shortText(value.blockedReason, 64);
  if (blockedReason) record.blockedReason = blockedReason;
  const status = value.corsErrorStatus;
  if (isObject(status) && shortText(status.corsError, 64)) {
    const failedParameter = shortText(status.failedParameter, 256);
    record.corsErrorStatus = { corsError: shortText(status.corsError, 64)!, ...(failedParameter !== undefined ? { failedParameter } : {}) };
  }
  const seen = value.pageObserved;
  if (isObject(seen) && typeof seen.kind === "string" && PAGE_OBSERVATIONS.has(seen.kind)) {
    const observed: NonNullable<HarCorsDoctorEntry["pageObserved"]> = {
      kind: seen.kind as NonNullable<HarCorsDoctorEntry["pageObserved"]>["kind"],
    };
    const directive = shortText(seen.directive, 64);
    const policy = shortText(seen.policy, 4096);
    const message = shortText(seen.message, 300);
    if (directive) observed.directive = directive;
    if (policy) observed.policy = policy;
    if (message) observed.message = message;
    record.pageObserved = observed;
  }
  if (typeof value.redirectMode === "string" && REDIRECT_MODES.has(value.redirectMode))
    record.redirectMode = value.redirectMode as HarCorsDoctorEntry["redirectMode"];
  if (Array.isArray(value.readHeaders)) {
    const names = headerNamesFrom(value.readHeaders, 32);
    if (names.length) record.readHeaders = names;
  }
  const space = value.addressSpace;
  if (isObject(space)) {
    const spaces: NonNullable<HarCorsDoctorEntry["addressSpace"]> = {};
    const initiator = shortText(space.initiator, 16);
    const resource = shortText(space.resource, 16);
    if (initiator) spaces.initiator = initiator;
    if (resource) spaces.resource = resource;
    if (typeof space.initiatorIsSecureContext === "boolean") spaces.initiatorIsSecureContext = space.initiatorIsSecureContext;
    if (Object.keys(spaces).length) record.addressSpace = spaces;
  }
  if (typeof value.targetAddressSpace === "string" && SPACES.has(value.targetAddressSpace))
    record.targetAddressSpace = value.targetAddressSpace as HarCorsDoctorEntry["targetAddressSpace"];
}

/**
 * The response status: an integer 0-999 (Fetch). Some tools write it as a string ("200"), and some write
 * a negative number for "no response" (-1): both read as what they mean. Anything else is refused.
 */
function parseStatus(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  const status = typeof value === "string" && /^\d{1,3}$/.test(value) ? Number(value) : value;
  if (typeof status !== "number" || !Number.isFinite(status)) throw new HarError(`${where} is not a number`);
  if (!Number.isInteger(status) || status > MAX_STATUS)
    throw new HarError(`${where} is ${status}, not an HTTP status (an integer from 0 to ${MAX_STATUS})`);
  return Math.max(status, 0);
}

/** Validates one `log.entries[i]`; `where` prefixes every error message. */
export function parseHarEntry(value: unknown, where: string): HarEntryLike {
  const entry = requireObject(value, where);
  const request = requireObject(entry.request, `${where}.request`);
  if (typeof request.method !== "string" || request.method === "") throw new HarError(`${where}.request.method is not a string`);
  if (typeof request.url !== "string") throw new HarError(`${where}.request.url is not a string`);
  const parsed: HarEntryLike = {
    request: {
      method: request.method,
      url: request.url,
      headers: withoutRepeats(parseHeaders(request.headers, `${where}.request.headers`)),
    },
  };

  if (entry.response !== undefined && entry.response !== null) {
    const response = requireObject(entry.response, `${where}.response`);
    parsed.response = {
      status: parseStatus(response.status, `${where}.response.status`),
      headers: parseHeaders(response.headers, `${where}.response.headers`),
    };
    const statusText = optionalString(response.statusText);
    if (statusText) parsed.response.statusText = statusText;
    const redirectURL = optionalString(response.redirectURL);
    if (redirectURL) parsed.response.redirectURL = redirectURL;
    // Chrome writes `_error` for failed requests (null for the others), Playwright `_failureText`; Firefox neither.
    const error = [response._error, response._failureText].find((e): e is string => typeof e === "string" && e !== "");
    if (error !== undefined) parsed.response.error = error;
    // An empty `_error` is a failure all the same: one Chrome gave no words for (FAILED_WITHOUT_TEXT).
    else if (response._error === "" && parsed.response.status <= 0 && parsed.response.headers.length === 0)
      parsed.response.error = FAILED_WITHOUT_TEXT;
  }

  const startedDateTime = optionalString(entry.startedDateTime);
  if (startedDateTime !== undefined) {
    parsed.startedDateTime = startedDateTime;
    const ms = optionalTimeValue(Date.parse(startedDateTime));
    if (ms !== undefined) parsed.startedAt = ms;
  }
  const time = optionalDuration(entry.time);
  if (time !== undefined) parsed.time = time;
  const pageref = optionalString(entry.pageref);
  if (pageref !== undefined) parsed.pageref = pageref;
  const resourceType = optionalString(entry._resourceType);
  if (resourceType !== undefined) parsed.resourceType = resourceType;
  const initiator = parseInitiator(entry._initiator);
  if (initiator) parsed.initiator = initiator;
  const corsDoctor = parseCorsDoctor(entry._corsDoctor);
  if (corsDoctor) parsed.corsDoctor = corsDoctor;
  return parsed;
}

export function parseHarPages(value: unknown): HarPage[] {
  if (!Array.isArray(value)) return [];
  const pages: HarPage[] = [];
  for (const page of value) {
    if (!isObject(page)) continue;
    const id = scalarText(page.id);
    const title = scalarText(page.title);
    // A page whose id or title is not text can be no entry's page: skipped, as a malformed page is.
    if (id === undefined || title === undefined) continue;
    pages.push({ id, title, ...(typeof page.startedDateTime === "string" ? { startedDateTime: page.startedDateTime } : {}) });
  }
  return pages;
}

export function parseHarCreator(value: unknown): string | undefined {
  return isObject(value) && typeof value.name === "string" ? value.name : undefined;
}

export interface ParsedHar extends HarLogMeta {
  entries: HarEntryLike[];
  /** Cookies set outside the log, from a file CORS Doctor wrote (`log._corsDoctor`). */
  cookieSightings?: HarCookieSighting[];
}

/** Validates a whole HAR document (`{ log: { entries: [...] } }`). */
export function parseHar(value: unknown): ParsedHar {
  const root = requireObject(value, "HAR");
  if (root.log === undefined) throw new HarError('HAR has no log (expected { "log": { "entries": [...] } })');
  const log = requireObject(root.log, "log");
  if (!Array.isArray(log.entries)) {
    throw new HarError(log.entries === undefined ? "log.entries is missing" : `log.entries is not an array (got ${describe(log.entries)})`);
  }
  const entries: HarEntryLike[] = [];
  for (let i = 0; i < log.entries.length; i++) entries.push(parseHarEntry(log.entries[i], `entries[${i}]`));
  const parsed: ParsedHar = { entries };
  const creator = parseHarCreator(log.creator);
  if (creator !== undefined) parsed.creator = creator;
  const pages = parseHarPages(log.pages);
  if (pages.length > 0) parsed.pages = pages;
  const sightings = creator === CORS_DOCTOR_CREATOR ? parseHarCookieSightings(log._corsDoctor) : [];
  if (sightings.length > 0) parsed.cookieSightings = sightings;
  return parsed;
}

/** The entries of a HAR document, validated. Throws `HarError`. */
export function parseHarLog(value: unknown): HarEntryLike[] {
  return parseHar(value).entries;
}

/**
 * Rebuilds exchanges from entries in file order: pairs preflights with their actual requests and
 * chains redirect hops. Same code as the streaming CLI path (`HarGrouper`), so both agree.
 */
export function harEntriesToExchanges(entries: HarEntryLike[], options: GroupOptions = {}): HarExchangeGroup[] {
  const grouper = new HarGrouper(options);
  const groups: HarExchangeGroup[] = [];
  entries.forEach((entry, index) => groups.push(...grouper.push(index, entry)));
  groups.push(...grouper.finish());
  return groups;
}
