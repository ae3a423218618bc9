// The playground's buttons: one per classic CORS mistake, one per failure that looks like CORS and is not, and one
// per working configuration.
// Plain data, loaded by the page (as an ES module), by the server (which answers /api/<id> as `server`
// describes) and by scripts/start*.mjs (which check the extension's diagnosis against `expect`).
//
// `request` is what the page's fetch() does (`abortAfterMs`: the page aborts it then). `api` picks the API origin:
// "localhost" = http://localhost:Q, "ip" = http://127.0.0.1:Q (a different origin from the page's http://127.0.0.1:P
// either way), "down" = http://localhost:D, a port where nothing listens, "outside-csp" = http://[::1]:Q, an origin
// the page's Content-Security-Policy `connect-src` does not list.
// `alsoFromSecondOrigin`: the same fetch is also made from an iframe on http://localhost:P, so that the
// extension sees the API trust two different origins in one tab.
// `expect`: the verdict the extension must give, and a finding id that must appear (as blockedBy or among
// the findings); `expectInFirefox` where Firefox does otherwise. Working configurations must have no error or
// warning finding at all; a failure that is not CORS must not be blocked by a CORS check (except a cookie kept home:
// the browser reports the CORS error, and the expected finding names the cause).

/**
 * @typedef {object} Scenario
 * @property {string} id
 * @property {"mistake" | "not-cors" | "working"} kind
 * @property {string} title
 * @property {string} description
 * @property {"localhost" | "ip" | "down" | "outside-csp"} api
 * @property {{ method: string, headers?: Record<string, string>, body?: string, credentials?: "include", redirect?: "error", abortAfterMs?: number }} request
 * @property {boolean} [alsoFromSecondOrigin]
 * @property {{ verdict: "blocked" | "allowed" | "not-cors", finding?: string }} expect
 * @property {{ verdict: "blocked" | "allowed" | "not-cors", finding?: string }} [expectInFirefox] where Firefox differs
 */

/** @type {Scenario[]} */
export const scenarios = [
  {
    id: "no-allow-origin",
    kind: "mistake",
    title: "No Access-Control-Allow-Origin",
    description: "The API answers 200 but sends no CORS headers at all: the page may not read the response.",
    api: "localhost",
    request: { method: "GET" },
    expect: { verdict: "blocked", finding: "acao-missing" },
  },
  {
    id: "wildcard-with-credentials",
    kind: "mistake",
    title: "* with credentials",
    description: "A credentialed fetch (cookies) gets Access-Control-Allow-Origin: *, which browsers refuse for credentialed requests.",
    api: "localhost",
    request: { method: "GET", credentials: "include" },
    expect: { verdict: "blocked", finding: "acao-wildcard-with-credentials" },
  },
  {
    id: "header-not-allowed",
    kind: "mistake",
    title: "Request header not allowed",
    description: "The page sends X-Request-Id; the preflight response allows only Content-Type.",
    api: "localhost",
    request: { method: "PUT", headers: { "content-type": "application/json", "x-request-id": "42" }, body: '{"name":"demo"}' },
    expect: { verdict: "blocked", finding: "preflight-header-not-allowed" },
  },
  {
    id: "method-not-allowed",
    kind: "mistake",
    title: "Method not allowed",
    description: "DELETE needs a preflight; the server's Access-Control-Allow-Methods lists only GET and POST.",
    api: "localhost",
    request: { method: "DELETE" },
    expect: { verdict: "blocked", finding: "preflight-method-not-allowed" },
  },
  {
    id: "preflight-behind-auth",
    kind: "mistake",
    title: "Preflight behind authentication",
    description: "An auth layer runs before CORS and answers the OPTIONS preflight (which never carries credentials) with 401.",
    api: "localhost",
    request: { method: "GET", headers: { authorization: "Bearer playground-demo-token" } },
    expect: { verdict: "blocked", finding: "preflight-rejected-by-auth" },
  },
  {
    id: "error-500-without-cors",
    kind: "mistake",
    title: "500 without CORS headers",
    description: "The handler crashes; the error page lacks the CORS headers, so the page sees a CORS error instead of the 500.",
    api: "localhost",
    request: { method: "GET" },
    expect: { verdict: "blocked", finding: "cors-headers-missing-on-error-responses" },
  },
  {
    id: "redirect-on-api",
    kind: "mistake",
    title: "Redirect on the API",
    description: "PUT /api/redirect-on-api redirects to a trailing-slash URL (308): preflights must not be redirected.",
    api: "localhost",
    request: { method: "PUT", headers: { "content-type": "application/json" }, body: '{"name":"demo"}' },
    expect: { verdict: "blocked", finding: "preflight-redirect" },
  },
  {
    id: "localhost-vs-127",
    kind: "mistake",
    title: "localhost vs 127.0.0.1",
    description: "The API allows http://localhost:<page port>, but the page runs on http://127.0.0.1:<page port>: a different origin.",
    api: "ip",
    request: { method: "GET" },
    expect: { verdict: "blocked", finding: "acao-mismatch-localhost-vs-127" },
  },
  {
    id: "missing-vary-origin",
    kind: "mistake",
    title: "Missing Vary: Origin",
    description: "The API echoes the allowed origin but sends no Vary: Origin, so caches can serve one origin's answer to another.",
    api: "localhost",
    request: { method: "GET" },
    expect: { verdict: "allowed", finding: "dynamic-acao-missing-vary" },
  },
  {
    id: "echo-any-origin",
    kind: "mistake",
    title: "Echo any origin with credentials",
    description:
      "The API reflects whatever Origin it gets, with Allow-Credentials: true (fetched here from two origins): any site can read authenticated data.",
    // Its own API origin: the engine judges reflection per server, and the working buttons on
    // http://localhost:Q must not share a server with the one that trusts everybody.
    api: "ip",
    request: { method: "GET", credentials: "include" },
    alsoFromSecondOrigin: true,
    expect: { verdict: "allowed", finding: "acao-reflects-arbitrary-origin" },
  },
  {
    id: "max-age-too-large",
    kind: "mistake",
    title: "Max-Age too large",
    description: "The preflight says Access-Control-Max-Age: 86400; Chrome caps it at 7200 s, so the extra is silently ignored.",
    api: "localhost",
    request: { method: "PATCH", headers: { "content-type": "application/json" }, body: '{"done":true}' },
    expect: { verdict: "allowed", finding: "max-age-exceeds-cap" },
  },
  {
    id: "server-down",
    kind: "not-cors",
    title: "API server down",
    description: "Nothing listens on the API's port (the dev server is not running): the page sees the same TypeError as for a CORS error.",
    api: "down",
    request: { method: "GET" },
    expect: { verdict: "blocked", finding: "not-cors-network-refused" },
  },
  {
    id: "page-csp",
    kind: "not-cors",
    title: "The page's own CSP",
    description:
      "The page's Content-Security-Policy connect-src does not list the API's origin: the browser stops the fetch before it leaves.",
    api: "outside-csp",
    request: { method: "GET" },
    expect: { verdict: "blocked", finding: "not-cors-csp-connect-src" },
  },
  {
    id: "redirect-mode-error",
    kind: "not-cors",
    title: "redirect: 'error' meets a redirect",
    description: "The page forbids redirects (redirect: 'error') and the API answers 302, with every CORS header right.",
    api: "localhost",
    request: { method: "GET", redirect: "error" },
    expect: { verdict: "blocked", finding: "not-cors-redirect-mode" },
  },
  {
    id: "cancelled-by-page",
    kind: "not-cors",
    title: "Cancelled by the page",
    description: "The page aborts a slow request (AbortController) after 300 ms: nothing to fix, and no CORS block.",
    api: "localhost",
    request: { method: "GET", abortAfterMs: 300 },
    expect: { verdict: "not-cors", finding: "not-cors-cancelled" },
  },
  {
    id: "cookie-samesite-default",
    kind: "not-cors",
    title: "Session cookie kept home by SameSite",
    description:
      "The API's session cookie has no SameSite attribute: Chrome treats it as Lax and never sends it cross-site, so the auth layer answers 401 without CORS headers (Firefox sends it: the button works there).",
    api: "localhost",
    request: { method: "GET", credentials: "include" },
    expect: { verdict: "blocked", finding: "cookie-not-sent-samesite" },
    expectInFirefox: { verdict: "allowed" },
  },
  {
    id: "simple-get",
    kind: "working",
    title: "Simple GET",
    description: "A GET with no custom headers: no preflight; the API allows the page's origin and sends Vary: Origin.",
    api: "localhost",
    request: { method: "GET" },
    expect: { verdict: "allowed" },
  },
  {
    id: "preflighted-put-json",
    kind: "working",
    title: "Preflighted PUT with JSON",
    description: "PUT with Content-Type: application/json: the preflight allows the method and header and is cached for 7200 s.",
    api: "localhost",
    request: { method: "PUT", headers: { "content-type": "application/json" }, body: '{"name":"demo"}' },
    expect: { verdict: "allowed" },
  },
  {
    id: "credentialed-done-right",
    kind: "working",
    title: "Credentialed request done right",
    description: "A fetch with credentials: the API allow-lists the exact page origin, sends Allow-Credentials: true and Vary: Origin.",
    api: "localhost",
    request: { method: "GET", credentials: "include" },
    expect: { verdict: "allowed" },
  },
];

/** Query parameter that names the button on every request, so that reports can be read back per button. */
export const BUTTON_PARAM = "button";

/**
 * The URL a button fetches. `run` makes each click unique: a preflight cached by an earlier click would
 * otherwise hide the preflight the button is about.
 * @param {Scenario} scenario
 * @param {{ localhost: string, ip: string, down: string, "outside-csp": string }} apis
 * @param {string} run
 */
export function scenarioUrl(scenario, apis, run) {
  return `${apis[scenario.api]}/api/${scenario.id}?${BUTTON_PARAM}=${scenario.id}&run=${encodeURIComponent(run)}`;
}
