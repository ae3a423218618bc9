// What each finding's fix is about: a phrase for the recipe title, the tempting wrong fix to warn
// against, which part of the configuration deserves a stack-specific note, and, where the change
// belongs in the page rather than on the server, the client-side fix.
// Ids and their usual fixes: shared/reference/cors-taxonomy.md Sections A and B.

/** The part of a correct configuration a finding is really about (stacks add a note for it). */
export type Focus =
  | "allow-origin"
  | "exact-origin"
  | "credentials"
  | "preflight"
  | "preflight-auth"
  | "error-responses"
  | "redirect"
  | "duplicate"
  | "vary"
  | "max-age"
  | "network";

/** Which client-side change can fix (or avoid) the failure. */
export type ClientFixKind = "drop-credentials" | "drop-header" | "method-case" | "final-url" | "page-origin" | "mode-cors";

export interface Advice {
  /** Completes "Fix: …" in a title. */
  fixes: string;
  /** One line: what not to do instead. */
  dont: string;
  focus: Focus;
  client?: ClientFixKind;
}

const NO_REFLECT = "Do not echo any Origin back (with credentials that lets every site read the response); list exact origins.";
const NO_SUBSTRING = "Do not match origins by substring, prefix or unescaped regex: `example.com.evil.net` would pass.";

const A = (fixes: string, dont: string, focus: Focus, client?: ClientFixKind): Advice => ({ fixes, dont, focus, client });

export const ADVICE: Record<string, Advice> = {
  // ---- Section A: blocking ----
  "acao-missing": A("send Access-Control-Allow-Origin for the page's origin on every response", NO_REFLECT, "allow-origin"),
  "acao-multiple-values": A(
    "send exactly one Access-Control-Allow-Origin with one origin",
    "Do not list several origins in one header or add the header in both the app and the proxy; pick one layer.",
    "duplicate",
  ),
  "acao-invalid-value": A(
    "send a full serialized origin (scheme://host[:port]) in Access-Control-Allow-Origin",
    "Do not send a bare host name, a path or a quoted value; the comparison is byte for byte.",
    "exact-origin",
  ),
  "acao-mismatch": A("answer with the requesting origin when it is on the allow-list", NO_SUBSTRING, "exact-origin"),
  "acao-mismatch-trailing-slash": A(
    "send the origin without a trailing slash or path",
    "Do not append `/`: a serialized origin never has a path.",
    "exact-origin",
  ),
  "acao-mismatch-scheme": A(
    "allow the origin with the scheme the page really uses",
    "Do not assume http and https are interchangeable: the scheme is part of the origin.",
    "exact-origin",
  ),
  "acao-mismatch-port": A(
    "allow the origin with the page's exact port",
    "Do not add `:443`/`:80` or drop a dev-server port: the origin is compared byte for byte.",
    "exact-origin",
  ),
  "acao-mismatch-case": A(
    "send the origin in lower case, exactly as the browser sent it",
    "Do not rely on case-insensitive matching: browsers compare the header byte for byte.",
    "exact-origin",
  ),
  "acao-mismatch-null-expected": A(
    "avoid the cross-origin redirect that makes the browser send `Origin: null`",
    "Do not add `null` to the allow-list: sandboxed iframes and data: URLs send it too.",
    "redirect",
    "final-url",
  ),
  "acao-mismatch-null-sent": A(
    "answer with the page's origin instead of `null`",
    "Do not send `Access-Control-Allow-Origin: null` as a default: any sandboxed document matches it.",
    "exact-origin",
  ),
  "acao-mismatch-other-valid-origin": A(
    "answer with the origin of this request, not another allowed one, and vary the cache by Origin",
    "Do not hard-code one origin for all callers or cache the response without `Vary: Origin`.",
    "vary",
  ),
  "acao-mismatch-wildcard-pattern": A(
    "match subdomains on the server and answer with the one exact origin",
    "Do not send `https://*.example.com`: only a bare `*` is a wildcard, and a pattern in the header never matches.",
    "exact-origin",
  ),
  "acao-mismatch-localhost-vs-127": A(
    "allow the exact host the page runs on (localhost and 127.0.0.1 are different origins)",
    "Do not assume localhost and 127.0.0.1 are the same origin; list the one the page uses (or both).",
    "exact-origin",
    "page-origin",
  ),
  "acao-wildcard-with-credentials": A(
    "answer a credentialed request with the exact origin instead of `*`",
    NO_REFLECT,
    "credentials",
    "drop-credentials",
  ),
  "acac-not-true": A(
    "send `Access-Control-Allow-Credentials: true` with the exact origin",
    "Do not send `True`, `1` or the header twice: only the exact value `true` counts.",
    "credentials",
    "drop-credentials",
  ),
  "preflight-acao-missing": A(
    "answer the preflight (OPTIONS) with the CORS headers",
    "Do not route OPTIONS to the application or its authentication; answer it in the CORS layer.",
    "preflight",
  ),
  "preflight-acao-multiple-values": A(
    "send one Access-Control-Allow-Origin on the preflight",
    "Do not add the header in both the app and the proxy; pick one layer.",
    "duplicate",
  ),
  "preflight-acao-invalid-value": A(
    "send a full serialized origin on the preflight",
    "Do not send a bare host name or a path; the comparison is byte for byte.",
    "exact-origin",
  ),
  "preflight-acao-mismatch": A(
    "answer the preflight with the requesting origin when it is on the allow-list",
    NO_SUBSTRING,
    "exact-origin",
  ),
  "preflight-acao-wildcard-with-credentials": A(
    "answer the preflight of a credentialed request with the exact origin",
    NO_REFLECT,
    "credentials",
    "drop-credentials",
  ),
  "preflight-acac-not-true": A(
    "send `Access-Control-Allow-Credentials: true` on the preflight too",
    "Do not add it only to the actual response: the preflight is checked first.",
    "credentials",
    "drop-credentials",
  ),
  "preflight-status-not-ok": A(
    "answer the preflight with 204 before routing and authentication",
    "Do not require a login or a route handler for OPTIONS: preflights never carry cookies or Authorization.",
    "preflight-auth",
  ),
  "preflight-redirect": A(
    "answer the preflight at the URL the page requests, without a redirect",
    "Do not redirect OPTIONS (http→https, trailing slash, login); call the final URL.",
    "redirect",
    "final-url",
  ),
  "preflight-allow-methods-invalid": A(
    "send Access-Control-Allow-Methods as a comma-separated list of methods",
    "Do not separate methods with spaces or quote them.",
    "preflight",
  ),
  "preflight-allow-headers-invalid": A(
    "send Access-Control-Allow-Headers as a comma-separated list of header names",
    "Do not separate header names with spaces or quote them.",
    "preflight",
  ),
  "preflight-method-not-allowed": A(
    "list the request's method in Access-Control-Allow-Methods",
    "Do not use `*` with credentials (it is then a literal method name), and mind the case: `patch` ≠ `PATCH`.",
    "preflight",
    "method-case",
  ),
  "preflight-header-not-allowed": A(
    "list the request's headers in Access-Control-Allow-Headers",
    "Do not use `*` with credentials (it is then a literal header name).",
    "preflight",
    "drop-header",
  ),
  "preflight-authorization-not-covered-by-wildcard": A(
    "list Authorization explicitly in Access-Control-Allow-Headers",
    "Do not rely on `*`: it never covers Authorization in Chrome.",
    "preflight",
  ),
  "redirect-location-has-credentials": A(
    "redirect to a URL without user:password@",
    "Do not put credentials in a redirect URL; use an Authorization header or a cookie.",
    "redirect",
    "final-url",
  ),
  "request-did-not-succeed": A(
    "make the endpoint answer at all (and with CORS headers once it does)",
    "Do not add CORS headers to chase this: the request failed below HTTP (network, TLS, an extension).",
    "network",
  ),
  "preflight-request-did-not-succeed": A(
    "make the server answer OPTIONS for this path",
    "Do not add CORS headers to chase this: the preflight failed below HTTP (reset, timeout, TLS).",
    "network",
  ),
  "mode-same-origin-cross-origin": A(
    "let the page make a CORS request",
    "Do not switch to mode 'no-cors': the response is then opaque (no status, headers or body).",
    "allow-origin",
    "mode-cors",
  ),
  // ---- Section B: root causes ----
  "cors-headers-missing-on-error-responses": A(
    "send the CORS headers on error responses (4xx/5xx) too",
    "Do not add the headers only in the success path: the real error then hides behind a CORS error.",
    "error-responses",
  ),
  "preflight-rejected-by-auth": A(
    "answer preflights before authentication",
    "Do not ask preflights for credentials: browsers never send cookies or Authorization on OPTIONS.",
    "preflight-auth",
  ),
  "redirect-on-cors-endpoint": A(
    "serve the API at the URL the page calls, without a redirect",
    "Do not rely on http→https or trailing-slash redirects for API calls; call the final URL.",
    "redirect",
    "final-url",
  ),
  "duplicate-cors-headers": A(
    "add the CORS headers in exactly one layer",
    "Do not set them in both the app and the proxy/CDN; two values are as bad as none.",
    "duplicate",
  ),
  // ---- Section B: lints ----
  "dynamic-acao-missing-vary": A(
    "send `Vary: Origin` with the per-origin Access-Control-Allow-Origin",
    "Do not cache a per-origin response without `Vary: Origin`: a cache will serve it to other origins.",
    "vary",
  ),
  "acao-reflects-arbitrary-origin": A("replace origin reflection with an exact allow-list", NO_REFLECT, "exact-origin"),
  "acao-null-trusted": A(
    "stop trusting the `null` origin",
    "Do not allow `null`: sandboxed iframes and data: URLs of any site send it.",
    "exact-origin",
  ),
  "acao-http-origin-on-https": A(
    "trust only the https:// origin of the page",
    "Do not trust an http:// origin on an HTTPS API: anyone on the network can act as it.",
    "exact-origin",
  ),
  "acao-third-party-unsafe-origin": A(
    "trust only your own exact origin, not a shared hosting domain",
    "Do not trust a whole shared host (github.io, codepen.io, s3): anyone can publish there.",
    "exact-origin",
  ),
  "acao-wildcard-with-acac-true": A(
    "pair Access-Control-Allow-Credentials: true with the exact origin, not `*`",
    'Do not "fix" this by reflecting every Origin; use the allow-list.',
    "credentials",
  ),
  "max-age-missing": A(
    `cache preflights with Access-Control-Max-Age`,
    "Do not leave it out: without it the preflight is cached for 5 s only.",
    "max-age",
  ),
  "max-age-exceeds-cap": A(
    "set Access-Control-Max-Age within the browsers' caps",
    "Do not set a day: Chrome caps at 7200 s, WebKit at 600 s, silently.",
    "max-age",
  ),
  "max-age-invalid": A(
    "send Access-Control-Max-Age as plain positive seconds",
    "Do not send units, negative values or 0 (Firefox then does not cache at all).",
    "max-age",
  ),
  "wildcard-methods-or-headers-with-credentials": A(
    "list the methods and headers explicitly for credentialed requests",
    "Do not use `*` with credentials: it is then a literal name and matches nothing.",
    "preflight",
  ),
  "allow-methods-case": A(
    "match the method's case (or send it upper-case from the page)",
    "Do not list only `PATCH` when the page sends `patch`: the match is case-sensitive.",
    "preflight",
    "method-case",
  ),
};

/** Unknown or not-yet-listed ids get the generic correct configuration. */
export const GENERIC_ADVICE: Advice = A("send a correct CORS configuration for this request", NO_REFLECT, "allow-origin");

export function adviceFor(findingId: string): Advice {
  return Object.hasOwn(ADVICE, findingId) ? ADVICE[findingId] : GENERIC_ADVICE;
}

export const LINT_IDS = [
  "dynamic-acao-missing-vary",
  "acao-reflects-arbitrary-origin",
  "acao-null-trusted",
  "acao-http-origin-on-https",
  "acao-third-party-unsafe-origin",
  "acao-wildcard-with-acac-true",
  "max-age-missing",
  "max-age-exceeds-cap",
  "max-age-invalid",
  "wildcard-methods-or-headers-with-credentials",
  "allow-methods-case",
];

/** The blocking ids (Section A plus root causes): every server stack must have a recipe for each. */
export const BLOCKING_IDS = Object.keys(ADVICE).filter((id) => !LINT_IDS.includes(id));
