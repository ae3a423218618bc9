// The one correct CORS configuration for the failing request, derived from the request's real values.
// Every stack renders this same policy, so the recipes agree with each other: an exact-origin
// allow-list (never reflection), the method and headers the request actually sends, credentials only
// when the request uses them, and a preflight cache lifetime that no browser silently caps.
import type { FixContext } from "./index";

export interface CorsPolicy {
  /** Exact serialized origins to allow (scheme://host[:port], lower-case, no path). */
  origins: string[];
  /** Methods for Access-Control-Allow-Methods, as the browser compares them (case-sensitive). */
  methods: string[];
  /** Lower-case request header names for Access-Control-Allow-Headers, listed explicitly. */
  headers: string[];
  credentials: boolean;
  /** Seconds; see MAX_AGE. */
  maxAge: number;
  /** The request's method as sent (validated), e.g. `patch`. */
  requestMethod: string;
  /** The endpoint URL, reduced to characters safe in a comment. */
  url: string;
  /** Whether the URL's path is a single safe route path we can name in code (else "/"). */
  path: string;
  /** Things the policy could not copy from the request, said in the recipe notes. */
  caveats: string[];
}

/**
 * 600 s: under every browser's cap (Chrome 7200 s, Firefox 86400 s, WebKit 600 s), so the value a
 * developer reads is the value every browser uses; `max-age-exceeds-cap` never fires on it.
 */
export const MAX_AGE = 600;

/** Shown instead of the origin when the request's Origin is not a real serialized origin. */
export const PLACEHOLDER_ORIGIN = "https://app.example.com";

const SAFELISTED_METHODS = ["GET", "HEAD", "POST"];
/** Fetch's method normalization upper-cases only these; anything else is sent byte-for-byte. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/**
 * A serialized origin as browsers send it (#ascii-serialisation-of-an-origin): scheme, host
 * (registered name or IPv6 literal), optional port; nothing else. Characters that mean something
 * in a config file (`$`, `{`, quotes, `;`, spaces) cannot appear, which keeps every stack's rendering safe.
 */
const ORIGIN_RE = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;

/**
 * HTTP token (RFC 9110 tchar) minus `$`, `%` and `*`: those are interpolation or wildcard syntax in
 * nginx, Apache and the CORS lists themselves, and no real header name or method uses them.
 */
const TOKEN_RE = /^[A-Za-z0-9!#&'+.^_`|~-]+$/;

export function isSerializedOrigin(value: string): boolean {
  return ORIGIN_RE.test(value);
}

export function isSafeToken(value: string): boolean {
  return TOKEN_RE.test(value);
}

/** Ids whose fix is, by definition, a credentialed configuration. */
const CREDENTIALED_IDS = new Set([
  "acao-wildcard-with-credentials",
  "acac-not-true",
  "preflight-acao-wildcard-with-credentials",
  "preflight-acac-not-true",
  "wildcard-methods-or-headers-with-credentials",
]);

export function policyFor(context: FixContext): CorsPolicy {
  const caveats: string[] = [];
  const origins = allowedOrigins(context, caveats);

  const rawMethod = String(context.method ?? "GET");
  let requestMethod = rawMethod;
  if (!isSafeToken(rawMethod)) {
    caveats.push("The request's method is not a valid HTTP token, so GET is shown instead.");
    requestMethod = "GET";
  }
  const methods = [...SAFELISTED_METHODS];
  const upper = requestMethod.toUpperCase();
  if (!methods.includes(upper)) methods.push(upper);
  // `fetch(url, {method: 'patch'})` sends `patch`; the preflight match is case-sensitive (Fetch
  // #cors-preflight-fetch-0 step 7.5), so the literal spelling must be listed as well.
  if (requestMethod !== upper && !NORMALIZED_METHODS.has(upper)) methods.push(requestMethod);

  const headers: string[] = [];
  const dropped: string[] = [];
  const wanted = [...(context.requestHeaders ?? [])];
  if (context.findingId === "preflight-authorization-not-covered-by-wildcard") wanted.push("authorization");
  for (const name of wanted) {
    const lower = String(name).toLowerCase();
    if (!isSafeToken(lower)) dropped.push(name);
    else if (!headers.includes(lower)) headers.push(lower);
  }
  if (dropped.length) caveats.push(`${dropped.length} request header name(s) were not valid HTTP tokens and are not listed.`);
  // An explicit list even when empty would make some libraries reject every header; content-type is the
  // usual first non-safelisted header (application/json), and listing it is harmless.
  if (headers.length === 0) headers.push("content-type");
  headers.sort();

  const credentials = Boolean(context.credentials) || CREDENTIALED_IDS.has(context.findingId);

  let url = "";
  let path = "/";
  try {
    const parsed = new URL(context.url);
    url = parsed.origin + parsed.pathname;
    if (/^\/[A-Za-z0-9/_.~-]*$/.test(parsed.pathname)) path = parsed.pathname;
  } catch {
    url = "";
  }

  return { origins, methods, headers, credentials, maxAge: MAX_AGE, requestMethod, url, path, caveats };
}

function normaliseOrigin(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  return isSerializedOrigin(v) ? v : null;
}

function allowedOrigins(context: FixContext, caveats: string[]): string[] {
  let origin = normaliseOrigin(context.origin);
  if (context.origin === "null") {
    // The browser sent `Origin: null` (a cross-origin redirect tainted it, or a sandboxed/data: document).
    // Allowing `null` would let any sandboxed iframe in; the page's real origin is what the server named.
    origin = normaliseOrigin(context.actual) ?? normaliseOrigin(context.expected);
    caveats.push("The browser sent Origin: null; request the final URL directly so it sends the page's real origin.");
  }
  if (origin && context.findingId === "acao-http-origin-on-https" && origin.startsWith("http://") && /^https:/i.test(context.url)) {
    origin = "https://" + origin.slice("http://".length);
    caveats.push("Serve the page over HTTPS too: an http:// origin can be impersonated by anyone on the network.");
  }
  if (!origin) {
    if (context.origin !== "null") caveats.push("The request's Origin is not a valid serialized origin, so a placeholder is shown.");
    origin = PLACEHOLDER_ORIGIN;
  }
  return [origin];
}
