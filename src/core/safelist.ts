// What makes a request need a CORS preflight, and what the preflight carries.
// https://fetch.spec.whatwg.org/#cors-safelisted-method, #cors-safelisted-request-header,
// #cors-unsafe-request-header-names, #forbidden-request-header; Chromium cors.cc / cors_util.cc.
import MIMEType from "whatwg-mimetype/lib/mime-type.js";
import { byteLength, trimHttpWhitespace } from "./headers";
import type { BrowserName, Header } from "./model";

const SAFELISTED_METHODS = new Set(["GET", "HEAD", "POST"]);
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** fetch() upper-cases only these six; `patch` stays `patch` (https://fetch.spec.whatwg.org/#concept-method-normalize). */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** GET, HEAD, POST — compared as sent: `post` from XHR is normalised first by the API. */
export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.has(method);
}

const FORBIDDEN_NAMES = new Set([
  "accept-charset",
  "accept-encoding",
  "access-control-request-headers",
  "access-control-request-method",
  "connection",
  "content-length",
  "cookie",
  "cookie2",
  "date",
  "dnt",
  "expect",
  "host",
  "keep-alive",
  "origin",
  "referer",
  "set-cookie",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "via",
]);

/**
 * Headers only the browser sets: they never trigger a preflight, and seeing them on the wire says
 * nothing about what the page asked for. Also the headers a browser adds on its own (User-Agent and
 * friends are not forbidden by the spec, but Chromium and Firefox never count them as unsafe).
 */
export function isForbiddenRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_NAMES.has(lower) || lower.startsWith("proxy-") || lower.startsWith("sec-");
}

/** Added by the browser itself on every request; never in Access-Control-Request-Headers. */
const BROWSER_ADDED = new Set(["user-agent", "accept-language", "priority", "pragma", "cache-control", "upgrade-insecure-requests"]);

/** Chromium also safelists the client hints it sends itself (cors.cc IsCorsSafelistedHeader). */
const CHROMIUM_EXTRA_SAFELIST = new Set([
  "device-memory",
  "dpr",
  "width",
  "viewport-width",
  "rtt",
  "downlink",
  "ect",
  "save-data",
  "intervention",
]);

// https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
function hasUnsafeByte(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
    if ('"():<>?@[\\]{}'.includes(value[i]!)) return true;
  }
  return false;
}

function isLanguageValue(value: string): boolean {
  return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
}

const SAFELISTED_CONTENT_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]);

/** Parses Content-Type with the WHATWG MIME parser (strict "parse a MIME type", not "extract"). */
export function parseMimeEssence(value: string): string | null {
  const parsed = MIMEType.parse(value);
  return parsed ? parsed.essence : null;
}

// https://fetch.spec.whatwg.org/#simple-range-header-value with allowWhitespace false.
function isSimpleRange(value: string): boolean {
  const m = /^bytes=([0-9]*)-([0-9]*)$/.exec(value);
  if (!m) return false;
  const [, start, end] = m;
  if (start === "") return false; // suffix ranges (bytes=-500) are not safelisted
  if (end !== "" && Number(start) > Number(end)) return false;
  return true;
}

/** Whether one header is CORS-safelisted (https://fetch.spec.whatwg.org/#cors-safelisted-request-header). */
export function isSafelistedRequestHeader(name: string, value: string, browser: BrowserName = "chrome"): boolean {
  if (byteLength(value) > 128) return false;
  switch (name.toLowerCase()) {
    case "accept":
      return !hasUnsafeByte(value);
    case "accept-language":
    case "content-language":
      return isLanguageValue(value);
    case "content-type": {
      if (hasUnsafeByte(value)) return false;
      const essence = parseMimeEssence(value);
      return essence !== null && SAFELISTED_CONTENT_TYPES.has(essence);
    }
    case "range":
      return isSimpleRange(value);
    default:
      return browser === "chrome" && CHROMIUM_EXTRA_SAFELIST.has(name.toLowerCase());
  }
}

/**
 * The names that need the server's permission (https://fetch.spec.whatwg.org/#cors-unsafe-request-header-names):
 * every non-safelisted header the page set, plus all safelisted ones when their values total > 1024 bytes.
 * Lower-cased, sorted, de-duplicated: exactly what goes into Access-Control-Request-Headers.
 */
const unsafeNamesCache = { chrome: new WeakMap<readonly Header[], string[]>(), firefox: new WeakMap<readonly Header[], string[]>() };

export function unsafeRequestHeaderNames(headers: readonly Header[], browser: BrowserName = "chrome"): string[] {
  // The pipeline asks several times per exchange (each browser, each credentials guess): compute once
  // per header list. Header lists are not changed once captured; the what-if editor builds new ones.
  const cache = unsafeNamesCache[browser] ?? unsafeNamesCache.chrome;
  const cached = cache.get(headers);
  if (cached) return cached;
  const names = computeUnsafeNames(headers, browser);
  cache.set(headers, names);
  return names;
}

function computeUnsafeNames(headers: readonly Header[], browser: BrowserName): string[] {
  const unsafe = new Set<string>();
  const safelisted: string[] = [];
  let safelistedBytes = 0;
  for (const { name, value } of headers) {
    const lower = name.toLowerCase();
    if (isForbiddenRequestHeader(lower) || BROWSER_ADDED.has(lower)) continue;
    const v = trimHttpWhitespace(value);
    if (isSafelistedRequestHeader(lower, v, browser)) {
      safelisted.push(lower);
      safelistedBytes += byteLength(v);
    } else {
      unsafe.add(lower);
    }
  }
  if (safelistedBytes > 1024) for (const n of safelisted) unsafe.add(n);
  return [...unsafe].sort();
}

/** Whether the browser sends a preflight before this request (Chromium NeedsPreflight; Fetch #concept-http-fetch). */
export function preflightNeeded(method: string, headers: readonly Header[], browser: BrowserName = "chrome"): boolean {
  return !isSafelistedMethod(method) || unsafeRequestHeaderNames(headers, browser).length > 0;
}

/** Why a preflight is (or is not) needed, in terms a developer recognises. */
export function preflightReasons(method: string, headers: readonly Header[], browser: BrowserName = "chrome"): string[] {
  const reasons: string[] = [];
  if (!isSafelistedMethod(method)) reasons.push(`method ${method} is not GET, HEAD or POST`);
  for (const name of unsafeRequestHeaderNames(headers, browser)) {
    const value = headers.find((h) => h.name.toLowerCase() === name)?.value ?? "";
    if (name === "content-type") reasons.push(`Content-Type ${JSON.stringify(value)} is not form, multipart or text/plain`);
    else if (name === "authorization") reasons.push("the Authorization header is never safelisted");
    else reasons.push(`header ${name} is not CORS-safelisted`);
  }
  return reasons;
}
