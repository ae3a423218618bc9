// Failures that are not a CORS check (taxonomy A.4/A.5), from the signals each browser gives: every row
// is a real signal (Chromium net error, CDP blockedReason/corsErrorStatus, Firefox nsresult, a page-side
// observation) or a prediction from the URLs alone. None may be called a CORS misconfiguration, none
// may carry a CORS server recipe, and a CorsError only where Chromium reported one.
import { describe, expect, test } from "vitest";
import { diagnoseExchange, withFixes } from "../../src/core/diagnose";
import { STACKS } from "../../src/core/fixes";
import type { Exchange } from "../../src/core/model";
import { FAILED_WITHOUT_TEXT } from "../../src/core/checks/not-cors";
import { exchange, response, type ExchangeSpec } from "./build-exchange";

const HTTPS_PAGE = "https://app.example.com";
const HTTPS_API = "https://api.example.com/v1/items";
const failed = (error: string) => ({ kind: "failed" as const, error });

interface Row {
  name: string;
  spec: ExchangeSpec;
  extra?: Partial<Exchange>;
  id: string;
  request?: "preflight" | "actual";
  chrome?: string;
  firefoxReason?: string;
  /** Words the developer must see (title + detail). */
  says?: RegExp;
  /** Text of the first fix. */
  fix?: RegExp;
  assumption?: RegExp;
  browser?: "chrome" | "firefox";
}

const rows: Row[] = [
  // ---- Chromium net errors (webRequest onErrorOccurred, HAR _error, CDP errorText) ----
  {
    name: "connection refused",
    spec: { outcome: failed("net::ERR_CONNECTION_REFUSED") },
    id: "not-cors-network-refused",
    firefoxReason: "CORSDidNotSucceed2",
    says: /nothing listens|not running/,
    fix: /ss -ltnp|listens/,
  },
  {
    name: "DNS",
    spec: { url: HTTPS_API, page: HTTPS_PAGE, outcome: failed("net::ERR_NAME_NOT_RESOLVED") },
    id: "not-cors-network-dns",
    says: /does not resolve|DNS/,
    fix: /getent hosts api\.example\.com/,
  },
  {
    name: "certificate authority",
    spec: { url: HTTPS_API, page: HTTPS_PAGE, outcome: failed("net::ERR_CERT_AUTHORITY_INVALID") },
    id: "not-cors-network-tls",
    says: /Open https:\/\/api\.example\.com in a tab/,
  },
  {
    name: "TLS protocol",
    spec: { url: HTTPS_API, page: HTTPS_PAGE, outcome: failed("net::ERR_SSL_PROTOCOL_ERROR") },
    id: "not-cors-network-tls",
  },
  {
    name: "offline",
    spec: { outcome: failed("net::ERR_INTERNET_DISCONNECTED") },
    id: "not-cors-network-offline",
    says: /offline/,
    fix: /Reconnect/,
  },
  {
    name: "offline preflight (a HAR from an offline machine)",
    spec: {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      preflight: { error: "net::ERR_INTERNET_DISCONNECTED" },
      outcome: failed("net::ERR_INTERNET_DISCONNECTED"),
    },
    id: "not-cors-network-offline",
    request: "preflight",
    fix: /Reconnect/,
  },
  { name: "reset", spec: { outcome: failed("net::ERR_CONNECTION_RESET") }, id: "not-cors-network-other", says: /reset/ },
  {
    name: "empty response",
    spec: { outcome: failed("net::ERR_EMPTY_RESPONSE") },
    id: "not-cors-network-other",
    says: /without sending anything/,
  },
  { name: "timeout", spec: { outcome: failed("net::ERR_TIMED_OUT") }, id: "not-cors-network-other" },
  { name: "redirect loop", spec: { outcome: failed("net::ERR_TOO_MANY_REDIRECTS") }, id: "not-cors-network-other", says: /loop/ },
  { name: "a future net error", spec: { outcome: failed("net::ERR_SOMETHING_NEW") }, id: "not-cors-network-other" },
  {
    name: "ad-blocker",
    spec: { url: "https://api.example.com/analytics/track", page: HTTPS_PAGE, outcome: failed("net::ERR_BLOCKED_BY_CLIENT") },
    id: "not-cors-blocked-by-client",
    says: /extension/,
    fix: /clean profile/,
  },
  {
    name: "ad-blocker on the preflight alone (CDP: only ERR_FAILED)",
    spec: { method: "PUT", preflight: { error: "net::ERR_BLOCKED_BY_CLIENT" }, outcome: failed("net::ERR_FAILED") },
    id: "not-cors-blocked-by-client",
    request: "preflight",
    says: /only the preflight/,
  },
  {
    name: "administrator policy",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_ADMINISTRATOR") },
    id: "not-cors-blocked-by-client",
    says: /administrator/,
  },
  {
    name: "CORP",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin") },
    id: "not-cors-corp-coep",
    fix: /Cross-Origin-Resource-Policy: cross-origin/,
  },
  { name: "ORB", spec: { outcome: failed("net::ERR_BLOCKED_BY_ORB") }, id: "not-cors-orb", says: /no-cors/ },
  {
    name: "CSP net error",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_CSP") },
    id: "not-cors-csp-connect-src",
    fix: /connect-src 'self' http:\/\/localhost:4000/,
  },
  {
    name: "redirect to data: (measured: ERR_UNSAFE_REDIRECT)",
    spec: {
      response: response(302, { Location: "data:text/plain,hi", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("net::ERR_UNSAFE_REDIRECT"),
    },
    id: "not-cors-redirect-mode",
  },
  {
    name: "LNA seen by webRequest",
    spec: { url: "http://127.0.0.1:8080/x", page: HTTPS_PAGE, outcome: failed("net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS") },
    id: "not-cors-local-network-access",
    says: /Local Network Access/,
    fix: /Apps on this device/,
  },

  // ---- what Chromium says beyond errorText (CDP) ----
  {
    name: "LNA permission denied (corsErrorStatus)",
    spec: { url: "http://127.0.0.1:8080/x", page: HTTPS_PAGE, outcome: failed("net::ERR_FAILED") },
    extra: { corsErrorStatus: { corsError: "LocalNetworkAccessPermissionDenied", failedParameter: "" } },
    id: "not-cors-local-network-access",
    chrome: "LocalNetworkAccessPermissionDenied",
    says: /permission/,
  },
  {
    name: "LNA wrong targetAddressSpace",
    spec: { url: "http://127.0.0.1:8080/x", page: HTTPS_PAGE, outcome: failed("net::ERR_FAILED") },
    extra: { corsErrorStatus: { corsError: "InvalidLocalNetworkAccess", failedParameter: "local" } },
    id: "not-cors-local-network-access",
    chrome: "InvalidLocalNetworkAccess",
    says: /targetAddressSpace/,
    fix: /targetAddressSpace: "loopback"/,
  },
  {
    name: "LNA from an http page",
    spec: { url: "http://192.168.1.20/x", page: "http://app.example.com", outcome: failed("net::ERR_FAILED") },
    extra: { corsErrorStatus: { corsError: "InsecureLocalNetwork", failedParameter: "local" } },
    id: "not-cors-local-network-access",
    chrome: "InsecureLocalNetwork",
    says: /secure context/,
    fix: /https/,
  },
  {
    name: "mixed content (blockedReason, empty errorText)",
    spec: { url: "http://api.example.com/x", page: HTTPS_PAGE, outcome: failed("") },
    extra: { blockedReason: "mixed-content" },
    id: "not-cors-mixed-content",
    fix: /Serve the API over https/,
  },
  { name: "CSP (blockedReason)", spec: { outcome: failed("") }, extra: { blockedReason: "csp" }, id: "not-cors-csp-connect-src" },
  // Chrome's HAR: an empty `_error`, nothing received, no blockedReason kept (the reader's FAILED_WITHOUT_TEXT).
  {
    name: "Chrome's HAR, empty error: a fetch to an https API",
    spec: { page: HTTPS_PAGE, url: HTTPS_API, outcome: failed(FAILED_WITHOUT_TEXT) },
    extra: { resourceType: "xhr" },
    id: "not-cors-csp-connect-src",
    fix: /connect-src/,
    assumption: /empty error.*Content-Security-Policy \(connect-src\).*ERR_BLOCKED_BY_CLIENT/s,
  },
  {
    name: "Chrome's HAR, empty error: an https page calling http",
    spec: { page: HTTPS_PAGE, url: "http://api.example.com/x", outcome: failed(FAILED_WITHOUT_TEXT) },
    extra: { resourceType: "fetch" },
    id: "not-cors-mixed-content",
    assumption: /mixed content/,
  },
  {
    name: "Chrome's HAR, empty error: a CORS-mode image",
    spec: { page: HTTPS_PAGE, url: HTTPS_API, outcome: failed(FAILED_WITHOUT_TEXT) },
    extra: { resourceType: "image", mode: "cors" },
    id: "not-cors-no-response",
    assumption: /does not say which/,
  },
  {
    name: "CORP (blockedReason)",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin") },
    extra: { blockedReason: "corp-not-same-origin" },
    id: "not-cors-corp-coep",
  },
  {
    name: "COEP (blockedReason)",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_RESPONSE") },
    extra: { blockedReason: "coep-frame-resource-needs-coep-header" },
    id: "not-cors-corp-coep",
  },
  {
    name: "SRI (blockedReason)",
    spec: { response: response(200, { "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }), outcome: failed("") },
    extra: { blockedReason: "integrity" },
    id: "not-cors-sri",
  },
  {
    name: "Chrome's ad filter",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_CLIENT") },
    extra: { blockedReason: "subresource-filter" },
    id: "not-cors-blocked-by-client",
    says: /ad filter/,
  },
  {
    name: "DevTools request blocking",
    spec: { outcome: failed("net::ERR_BLOCKED_BY_CLIENT") },
    extra: { blockedReason: "inspector" },
    id: "not-cors-blocked-by-client",
    says: /DevTools/,
  },
  {
    name: "nosniff content-type",
    spec: { response: response(200), outcome: failed("") },
    extra: { blockedReason: "content-type" },
    id: "not-cors-content-type",
  },
  {
    name: "a page-side securitypolicyviolation",
    spec: { outcome: failed("net::ERR_FAILED") },
    extra: { pageObserved: { kind: "csp", directive: "connect-src", policy: "connect-src 'self'" } },
    id: "not-cors-csp-connect-src",
  },
  {
    name: "redirect: 'error' known from the page",
    spec: {
      response: response(302, { Location: "/next", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("net::ERR_FAILED"),
    },
    extra: { redirectMode: "error" },
    id: "not-cors-redirect-mode",
  },
  {
    name: "redirect: 'error' inferred (measured: ERR_FAILED, no CorsError)",
    spec: {
      response: response(302, {
        Location: "/next",
        "Access-Control-Allow-Origin": "http://127.0.0.1:3000",
        "Access-Control-Allow-Credentials": "true",
      }),
      outcome: failed("net::ERR_FAILED"),
    },
    id: "not-cors-redirect-mode",
    assumption: /redirect: 'error'/,
  },

  // ---- Firefox nsresult names ----
  {
    name: "Firefox refused",
    spec: { outcome: failed("NS_ERROR_CONNECTION_REFUSED"), observedBy: "firefox" },
    id: "not-cors-network-refused",
    browser: "firefox",
  },
  {
    name: "Firefox DNS",
    spec: { outcome: failed("NS_ERROR_UNKNOWN_HOST"), observedBy: "firefox" },
    id: "not-cors-network-dns",
    browser: "firefox",
  },
  {
    name: "Firefox unknown issuer",
    spec: { outcome: failed("SEC_ERROR_UNKNOWN_ISSUER"), observedBy: "firefox" },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "Firefox self-signed",
    spec: { outcome: failed("MOZILLA_PKIX_ERROR_SELF_SIGNED_CERT"), observedBy: "firefox" },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "Firefox bad cert domain",
    spec: { outcome: failed("SSL_ERROR_BAD_CERT_DOMAIN"), observedBy: "firefox" },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "Firefox offline",
    spec: { outcome: failed("NS_ERROR_OFFLINE"), observedBy: "firefox" },
    id: "not-cors-network-offline",
    browser: "firefox",
  },
  {
    name: "Firefox reset",
    spec: { outcome: failed("NS_ERROR_NET_RESET"), observedBy: "firefox" },
    id: "not-cors-network-other",
    browser: "firefox",
  },
  {
    name: "Firefox: another extension's block (measured: NS_ERROR_ABORT)",
    spec: { outcome: failed("NS_ERROR_ABORT"), observedBy: "firefox" },
    id: "not-cors-blocked-by-client",
    browser: "firefox",
  },
  {
    name: "Firefox tracking protection",
    spec: { outcome: failed("NS_ERROR_TRACKING_URI"), observedBy: "firefox" },
    id: "not-cors-blocked-by-client",
    says: /Enhanced Tracking Protection/,
    browser: "firefox",
  },
  {
    name: "Firefox CORP",
    spec: { outcome: failed("NS_ERROR_DOM_CORP_FAILED"), observedBy: "firefox" },
    id: "not-cors-corp-coep",
    browser: "firefox",
  },
  {
    name: "Firefox LNA",
    spec: {
      url: "http://127.0.0.1:8080/x",
      page: HTTPS_PAGE,
      outcome: failed("NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED"),
      observedBy: "firefox",
    },
    id: "not-cors-local-network-access",
    browser: "firefox",
  },
  {
    name: "Firefox content blocked, https page → http API: mixed content",
    spec: { url: "http://api.example.com/x", page: HTTPS_PAGE, outcome: failed("NS_ERROR_CONTENT_BLOCKED"), observedBy: "firefox" },
    id: "not-cors-mixed-content",
    browser: "firefox",
  },
  {
    name: "Firefox content blocked otherwise: CSP",
    spec: { outcome: failed("NS_ERROR_CONTENT_BLOCKED"), observedBy: "firefox" },
    id: "not-cors-csp-connect-src",
    browser: "firefox",
  },

  // ---- measured in matrix2 (test/matrix2/SIGNALS.md) ----
  {
    name: "preflight blocked alone, as CDP/HAR show it (ERR_FAILED on both, no response)",
    spec: { method: "PUT", preflight: { error: "net::ERR_FAILED" }, outcome: failed("net::ERR_FAILED") },
    id: "not-cors-blocked-by-client",
    request: "preflight",
    assumption: /extension blocking OPTIONS/,
  },
  {
    name: "preflight refused by Local Network Access, as Chromium's webRequest shows it (ERR_FAILED on both, no response)",
    spec: { method: "PUT", preflight: { error: "net::ERR_FAILED" }, outcome: failed("net::ERR_FAILED") },
    extra: { capturedBy: "webRequest" },
    id: "not-cors-local-network-access",
    request: "preflight",
    assumption: /ERR_BLOCKED_BY_CLIENT/,
  },
  {
    name: "a fetch that declared targetAddressSpace and got no response (webRequest: bare ERR_FAILED, InvalidLocalNetworkAccess)",
    spec: { page: HTTPS_PAGE, url: HTTPS_API, outcome: failed("net::ERR_FAILED") },
    extra: { capturedBy: "webRequest", targetAddressSpace: "local" },
    id: "not-cors-local-network-access",
    says: /declared targetAddressSpace: "local"/,
    assumption: /targetAddressSpace "local"/,
  },
  {
    name: "preflight blocked alone by another extension, as Chromium's webRequest shows it (ERR_BLOCKED_BY_CLIENT)",
    spec: { method: "PUT", preflight: { error: "net::ERR_BLOCKED_BY_CLIENT" }, outcome: failed("net::ERR_FAILED") },
    extra: { capturedBy: "webRequest" },
    id: "not-cors-blocked-by-client",
    request: "preflight",
  },
  {
    name: "preflighted PUT to a refused port, as webRequest shows it (OPTIONS ERR_FAILED, PUT the real error)",
    spec: { method: "PUT", preflight: { error: "net::ERR_FAILED" }, outcome: failed("net::ERR_CONNECTION_REFUSED") },
    id: "not-cors-network-refused",
    request: "preflight",
  },
  {
    name: "Firefox: preflight carries the real error, the PUT NS_ERROR_DOM_BAD_URI",
    spec: { method: "PUT", preflight: { error: "NS_ERROR_UNKNOWN_HOST" }, outcome: failed("NS_ERROR_DOM_BAD_URI"), observedBy: "firefox" },
    id: "not-cors-network-dns",
    request: "preflight",
    browser: "firefox",
  },
  {
    name: "redirect: 'error' inferred although credentials could explain it",
    spec: {
      response: response(302, { Location: "/next", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("net::ERR_FAILED"),
    },
    id: "not-cors-redirect-mode",
  },
  {
    name: "https API redirects to plain http, then ERR_ABORTED (mixed content on the hop)",
    spec: {
      url: HTTPS_API,
      page: HTTPS_PAGE,
      response: response(302, { Location: "http://api.example.com/v1/items", "Access-Control-Allow-Origin": HTTPS_PAGE }),
      outcome: failed("net::ERR_ABORTED"),
    },
    id: "not-cors-mixed-content",
    assumption: /redirect: 'manual'/,
  },
  {
    name: "Firefox: https API redirects to plain http, the hop ends NS_ERROR_UNEXPECTED (mixed content, measured in matrix2)",
    spec: {
      url: HTTPS_API,
      page: HTTPS_PAGE,
      response: response(302, { Location: "http://api.example.com/v1/items", "Access-Control-Allow-Origin": HTTPS_PAGE }),
      outcome: failed("NS_ERROR_UNEXPECTED"),
      observedBy: "firefox",
    },
    id: "not-cors-mixed-content",
    browser: "firefox",
  },
  {
    name: "Firefox: redirect: 'error' known, the 3xx shows as completed (webRequest reports nothing else)",
    spec: {
      response: response(302, { Location: "/next", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: { kind: "completed" },
      observedBy: "firefox",
    },
    extra: { redirectMode: "error" },
    id: "not-cors-redirect-mode",
    browser: "firefox",
  },
  {
    name: "redirect: 'error' known, webRequest's ERR_ABORTED",
    spec: {
      response: response(302, { Location: "/next", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("net::ERR_ABORTED"),
    },
    extra: { redirectMode: "error" },
    id: "not-cors-redirect-mode",
  },
  {
    name: "Firefox: redirect to data: (NS_ERROR_CORRUPTED_CONTENT)",
    spec: {
      response: response(302, { Location: "data:text/plain,hello", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("NS_ERROR_CORRUPTED_CONTENT"),
      observedBy: "firefox",
    },
    id: "not-cors-redirect-mode",
    browser: "firefox",
  },
  {
    name: "Firefox: redirect to about: (NS_ERROR_DOM_BAD_URI)",
    spec: {
      response: response(302, { Location: "about:blank", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
      outcome: failed("NS_ERROR_DOM_BAD_URI"),
      observedBy: "firefox",
    },
    id: "not-cors-redirect-mode",
    browser: "firefox",
  },
  {
    name: "Firefox: a no-cors fetch redirected to data: (NS_ERROR_CORRUPTED_CONTENT): the Location names it",
    spec: {
      response: response(302, { Location: "data:text/plain,hello" }),
      outcome: failed("NS_ERROR_CORRUPTED_CONTENT"),
      observedBy: "firefox",
    },
    extra: { mode: "no-cors" },
    id: "not-cors-redirect-mode",
    browser: "firefox",
  },
  {
    name: "Firefox webRequest's TLS sentence: unknown issuer",
    spec: { url: HTTPS_API, page: HTTPS_PAGE, outcome: failed("Peer’s Certificate issuer is not recognized."), observedBy: "firefox" },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "Firefox webRequest's TLS sentence: wrong name",
    spec: {
      url: HTTPS_API,
      page: HTTPS_PAGE,
      outcome: failed("Unable to communicate securely with peer: requested domain name does not match the server’s certificate."),
      observedBy: "firefox",
    },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "Firefox BiDi's TLS form",
    spec: {
      url: HTTPS_API,
      page: HTTPS_PAGE,
      outcome: failed("NS_ERROR_GENERATE_FAILURE(NS_ERROR_MODULE_SECURITY, SEC_ERROR_EXPIRED_CERTIFICATE)"),
      observedBy: "firefox",
    },
    id: "not-cors-network-tls",
    browser: "firefox",
  },
  {
    name: "CORP on a no-cors fetch (webRequest: no suffix)",
    spec: {
      origin: null,
      headers: { "Sec-Fetch-Mode": "no-cors" },
      response: response(200),
      outcome: failed("net::ERR_BLOCKED_BY_RESPONSE"),
    },
    id: "not-cors-corp-coep",
  },
  {
    name: "ORB on an <img>",
    spec: {
      origin: null,
      headers: { Accept: "image/*" },
      resourceType: "image",
      response: response(200, { "Content-Type": "application/json" }),
      outcome: failed("net::ERR_BLOCKED_BY_ORB"),
    },
    id: "not-cors-orb",
  },
  {
    name: "a crossorigin <img> whose response fails CORS headers but the browser said ORB: the browser wins",
    spec: {
      response: response(200, { "Content-Type": "application/json" }),
      resourceType: "image",
      outcome: failed("net::ERR_BLOCKED_BY_ORB"),
    },
    id: "not-cors-orb",
  },
  {
    name: "Firefox CORP on an <img>",
    spec: {
      origin: null,
      headers: { Accept: "image/*" },
      resourceType: "image",
      response: response(200),
      outcome: failed("NS_ERROR_DOM_CORP_FAILED"),
      observedBy: "firefox",
    },
    id: "not-cors-corp-coep",
    browser: "firefox",
  },

  // Firefox's ORB prints nothing and fails the load with NS_ERROR_FAILURE: the response's Content-Type tells.
  ...(
    [
      ["image", "application/json"],
      ["image", "text/html; charset=utf-8"],
      ["script", "application/json"],
      ["script", "application/vnd.api+json"],
      ["media", "text/xml"],
    ] as const
  ).map(([type, contentType]) => ({
    name: `Firefox ORB: a no-cors ${type} of ${contentType}, NS_ERROR_FAILURE`,
    spec: {
      origin: null,
      headers: { Accept: "*/*" },
      resourceType: type,
      response: response(200, { "Content-Type": contentType }),
      outcome: failed("NS_ERROR_FAILURE"),
      observedBy: "firefox" as const,
    },
    id: "not-cors-orb",
    assumption: /ORB is inferred from the response/,
    browser: "firefox" as const,
  })),

  // ---- predicted from the URLs and headers alone (a HAR: status 0, no reason) ----
  {
    name: "https page → plain-http API, no response: mixed content",
    spec: { url: "http://api.example.com/x", page: HTTPS_PAGE, outcome: failed("unknown") },
    id: "not-cors-mixed-content",
    assumption: /predicted from the URLs/,
  },
  {
    name: "https page → private IP over https, no response: LNA",
    spec: { url: "https://192.168.1.10/x", page: HTTPS_PAGE, outcome: failed("unknown") },
    id: "not-cors-local-network-access",
    assumption: /Local Network Access/,
  },
  {
    name: "https page → http://127.0.0.1 (not mixed content), ERR_FAILED: LNA",
    spec: { url: "http://127.0.0.1:8080/x", page: HTTPS_PAGE, outcome: failed("net::ERR_FAILED") },
    id: "not-cors-local-network-access",
  },
  {
    name: "redirect to data: from the headers alone",
    spec: { response: response(302, { Location: "data:,x", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }) },
    id: "not-cors-redirect-mode",
    assumption: /ERR_UNSAFE_REDIRECT/,
  },
];

const SERVER_STACKS = new Set(STACKS.map((s) => s.stack));

describe("not a CORS check: verdict blocked, a not-cors-* id, the words and the fix that fit", () => {
  test.each(rows)("$name → $id", (row) => {
    const ex = { ...exchange(row.spec), ...(row.extra ?? {}) } as Exchange;
    const d = diagnoseExchange(ex, { browser: row.browser ?? "chrome" });
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe(row.id);
    expect(d.blockedBy?.severity).toBe("error");
    expect(d.blockedBy?.chromeCorsError).toBe(row.chrome);
    if (row.request) expect(d.blockedBy?.request).toBe(row.request);
    if (row.firefoxReason) expect(d.blockedBy?.firefoxReason).toBe(row.firefoxReason);
    const text = `${d.blockedBy?.title}\n${d.blockedBy?.detail}`;
    if (row.says) expect(text).toMatch(row.says);
    // Never a CORS server recipe, never "answer OPTIONS" for what is not a preflight problem.
    const fixes = d.blockedBy?.fixes ?? [];
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) expect(SERVER_STACKS.has(fix.stack), `${fix.stack} recipe`).toBe(false);
    const fixText = fixes.map((f) => `${f.title}\n${f.code}\n${f.notes ?? ""}`).join("\n");
    expect(fixText).not.toMatch(/answer OPTIONS|Access-Control-Allow-Origin:/);
    if (row.fix) expect(fixText).toMatch(row.fix);
    if (row.assumption) expect((d.assumptions ?? []).join("\n")).toMatch(row.assumption);
    // The panel asks for recipes later: the same ones come back.
    const lazy = diagnoseExchange(ex, { browser: row.browser ?? "chrome", fixes: false });
    expect(withFixes(ex, lazy).blockedBy?.fixes).toEqual(fixes);
  });
});

test("a declared targetAddressSpace does not hide a CORS failure: the response came back without ACAO", () => {
  const ex = {
    ...exchange({ page: HTTPS_PAGE, url: HTTPS_API, response: response(200, {}), outcome: failed("net::ERR_FAILED") }),
    targetAddressSpace: "local" as const,
  };
  expect(diagnoseExchange(ex).blockedBy?.id).toBe("acao-missing");
});

test.each([
  {
    name: "the page saw its fetch fail",
    pageObserved: { kind: "error" as const, message: "NetworkError when attempting to fetch resource." },
    verdict: "blocked",
  },
  { name: "the page said nothing (still in flight)", pageObserved: undefined, verdict: "allowed" },
])(
  "no response and no end reported by the browser (Firefox, a request its service worker answered): $name",
  ({ pageObserved, verdict }) => {
    const ex: Exchange = {
      ...exchange({ page: HTTPS_PAGE, url: HTTPS_API, outcome: { kind: "unknown" }, observedBy: "firefox" }),
      ...(pageObserved ? { pageObserved } : {}),
    };
    const d = diagnoseExchange(ex);
    expect(d.verdict).toBe(verdict);
    if (verdict === "blocked") {
      expect(d.blockedBy?.id).toBe("blocked-reason-unknown");
      expect(d.blockedBy?.chromeCorsError).toBeUndefined();
      expect((d.assumptions ?? []).join(" ")).toMatch(/service worker answered/);
    } else expect((d.assumptions ?? []).join(" ")).toMatch(/still in flight/);
  },
);

describe("never a CORS block", () => {
  test.each([
    ["cancelled, nothing received", exchange({ outcome: failed("net::ERR_ABORTED") }), "not-cors"],
    ["cancelled in Firefox", exchange({ outcome: failed("NS_BINDING_ABORTED"), observedBy: "firefox" }), "not-cors"],
    ["cancelled although the headers would fail", exchange({ response: response(200), outcome: failed("net::ERR_ABORTED") }), "not-cors"],
    [
      "redirect: 'manual' with CORS headers (measured: ERR_ABORTED, allowed)",
      exchange({
        response: response(302, { Location: "/x", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
        outcome: failed("net::ERR_ABORTED"),
      }),
      "allowed",
    ],
    ["a font's cache-only first attempt", exchange({ outcome: failed("net::ERR_CACHE_MISS") }), "not-cors"],
    [
      "a beacon (Chrome's ping type)",
      exchange({ method: "POST", headers: { "Content-Type": "text/plain" }, response: response(200), resourceType: "ping" }),
      "not-cors",
    ],
    [
      "a no-cors image that failed to connect: not a CORS matter",
      exchange({ origin: null, headers: { Accept: "image/*" }, resourceType: "image", outcome: failed("net::ERR_CONNECTION_REFUSED") }),
      "not-cors",
    ],
    [
      "an ad-blocked tracking pixel",
      exchange({ origin: null, headers: { "Sec-Fetch-Mode": "no-cors" }, outcome: failed("net::ERR_BLOCKED_BY_CLIENT") }),
      "not-cors",
    ],
    [
      "redirect: 'manual' to plain http from https (ERR_ABORTED): the page chose not to follow",
      {
        ...exchange({
          url: HTTPS_API,
          page: HTTPS_PAGE,
          response: response(302, { Location: "http://api.example.com/x", "Access-Control-Allow-Origin": HTTPS_PAGE }),
          outcome: failed("net::ERR_ABORTED"),
        }),
        redirectMode: "manual" as const,
      },
      "allowed",
    ],
    ...(
      [
        ["image", 200, "image/png"],
        ["image", 200, "image/svg+xml"],
        ["image", 404, "application/json"],
        ["xmlhttprequest", 200, "application/json"],
        ["stylesheet", 200, "text/html"],
      ] as const
    ).map(
      ([type, status, contentType]) =>
        [
          `Firefox NS_ERROR_FAILURE on a no-cors ${type} answered ${status} ${contentType}: not ORB, not CORS`,
          exchange({
            origin: null,
            headers: { Accept: "*/*" },
            resourceType: type,
            response: response(status, { "Content-Type": contentType }),
            outcome: failed("NS_ERROR_FAILURE"),
            observedBy: "firefox",
          }),
          "not-cors",
        ] as const,
    ),
    [
      "a beacon (webRequest type)",
      exchange({ method: "POST", headers: { "Content-Type": "text/plain" }, response: response(200), resourceType: "beacon" }),
      "not-cors",
    ],
  ] as const)("%s", (_name, ex, verdict) => {
    const d = diagnoseExchange(ex);
    expect(d.verdict).toBe(verdict);
    expect(d.blockedBy).toBeNull();
    expect(d.findings.filter((f) => f.severity === "error")).toEqual([]);
  });

  test.each([
    ["redirect mode not seen: both readings named", undefined, /judged as redirect: 'manual'.*redirect: 'error'.*not-cors-redirect-mode/],
    ["redirect: 'manual' seen: nothing to name", "manual" as const, /^the request was cancelled \(net::ERR_ABORTED\)/],
  ])("a 302 not followed, then ERR_ABORTED (%s)", (_name, redirectMode, assumption) => {
    const d = diagnoseExchange({
      ...exchange({
        response: response(302, { Location: "/x", "Access-Control-Allow-Origin": "http://127.0.0.1:3000" }),
        outcome: failed("net::ERR_ABORTED"),
      }),
      ...(redirectMode ? { redirectMode } : {}),
    });
    expect(d.verdict).toBe("allowed");
    expect(d.assumptions).toEqual([expect.stringMatching(assumption)]);
  });

  test.each([
    [
      "mode not seen: both readings named",
      undefined,
      [expect.stringMatching(/ended the request there: judged as redirect: 'manual'.*redirect: 'error'/)],
    ],
    ["redirect: 'manual' seen: nothing to name", "manual" as const, undefined],
  ])("Firefox: a 302 not followed, shown completed (%s)", (_name, redirectMode, assumptions) => {
    const d = diagnoseExchange({
      ...exchange({
        response: response(302, { Location: "/x", "Access-Control-Allow-Origin": "http://127.0.0.1:3000", Vary: "Origin" }),
        outcome: { kind: "completed" },
        observedBy: "firefox",
      }),
      ...(redirectMode ? { redirectMode } : {}),
    });
    expect(d.verdict).toBe("allowed");
    expect(d.assumptions?.length ? d.assumptions : undefined).toEqual(assumptions);
  });
});

describe("the browser's outcome contradicts the captured headers", () => {
  const PAGE = "http://127.0.0.1:3000";
  test("blocked although the response allows the origin: rewritten, no server fix", () => {
    const d = diagnoseExchange(
      exchange({
        response: response(200, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Credentials": "true" }),
        outcome: failed("net::ERR_FAILED"),
      }),
    );
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe("response-header-rewritten");
    expect(d.blockedBy?.chromeCorsError).toBeUndefined();
    expect(d.blockedBy?.detail).toMatch(/declarativeNetRequest/);
    expect(d.blockedBy?.fixes?.every((f) => !SERVER_STACKS.has(f.stack))).toBe(true);
  });
  test("Chromium says the header is missing, the capture has it: Chromium's name, and the rewrite", () => {
    const ex = {
      ...exchange({
        response: response(200, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Credentials": "true" }),
        outcome: failed("net::ERR_FAILED"),
      }),
      corsErrorStatus: { corsError: "MissingAllowOriginHeader", failedParameter: "" },
    };
    const d = diagnoseExchange(ex);
    expect(d.blockedBy?.id).toBe("response-header-rewritten");
    expect(d.blockedBy?.chromeCorsError).toBe("MissingAllowOriginHeader");
    expect(d.blockedBy?.console?.chrome).toContain("No 'Access-Control-Allow-Origin' header is present");
  });
  test("the captured preflight passes, the request was never sent and failed as CORS: the preflight was rewritten", () => {
    // The page observer gave the credentials mode (no credentials guess can explain the failure then).
    const d = diagnoseExchange({
      credentials: "same-origin",
      ...exchange({
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        preflight: response(204, {
          "Access-Control-Allow-Origin": PAGE,
          "Access-Control-Allow-Methods": "PUT",
          "Access-Control-Allow-Headers": "content-type",
        }),
        outcome: failed("net::ERR_FAILED"),
      }),
    });
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe("response-header-rewritten");
    expect(d.blockedBy?.request).toBe("preflight");
    expect(d.blockedBy?.fixes?.every((f) => !SERVER_STACKS.has(f.stack))).toBe(true);
  });
  test("the reverse: Chrome let a cors-mode request through that the headers fail", () => {
    const d = diagnoseExchange(exchange({ headers: { "Sec-Fetch-Mode": "cors" }, response: response(200), outcome: "completed" }));
    expect(d.verdict).toBe("allowed");
    const f = d.findings.find((x) => x.id === "response-header-rewritten");
    expect(f?.severity).toBe("warning");
    expect(f?.detail).toMatch(/users without it are blocked/);
  });
});

describe("issue 15: the request mode is not in the log", () => {
  const beacon = (extra: ExchangeSpec = {}) =>
    exchange({ method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" }, response: response(204), ...extra });
  test("a cross-origin text/plain POST without ACAO: a warning, not a block", () => {
    const d = diagnoseExchange(beacon());
    expect(d.verdict).toBe("allowed");
    expect(d.blockedBy).toBeNull();
    const f = d.findings.find((x) => x.id === "blocked-if-cors-mode");
    expect(f?.severity).toBe("warning");
    expect(f?.title).toMatch(/^Blocked if a script reads it in cors mode/);
    expect(f?.fixes?.some((x) => x.stack === "express")).toBe(true);
    expect(d.findings.some((x) => x.severity === "error")).toBe(false);
    expect((d.assumptions ?? []).join(" ")).toMatch(/beacon, a form post or a no-cors fetch/);
  });
  test.each([
    ["Sec-Fetch-Mode: cors", beacon({ headers: { "Content-Type": "text/plain", "Sec-Fetch-Mode": "cors" } })],
    ["an XHR", beacon({ resourceType: "xmlhttprequest" })],
    ["Firefox said nothing, but the mode is cors", { ...beacon({ observedBy: "firefox", outcome: "completed" }), mode: "cors" as const }],
  ])("blocked when the mode is known: %s", (_name, ex) => {
    expect(diagnoseExchange(ex).verdict).toBe("blocked");
  });
  test("a GET with Origin is cors mode: still blocked", () => {
    expect(diagnoseExchange(exchange({ response: response(200) })).verdict).toBe("blocked");
  });
});
