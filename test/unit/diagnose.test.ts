// Table of real exchanges → the one error each browser reports, and what else is worth knowing.
// Chromium's names/order: cors.cc CheckAccess, preflight_controller.cc; Firefox: nsCORSListenerProxy.
// Rows marked "measured" encode what Chromium 156 / Firefox ESR 153 did where the taxonomy was unsure.
import { describe, expect, test } from "vitest";
import { diagnoseExchange, diagnoseLog } from "../../src/core/diagnose";
import type { Exchange } from "../../src/core/model";
import { API, PAGE, exchange, response } from "./build-exchange";

interface Row {
  name: string;
  ex: Exchange;
  verdict: "allowed" | "blocked" | "not-cors";
  id?: string;
  chrome?: string;
  failedParameter?: string;
  firefox?: string;
  /** Firefox's own verdict when it differs from Chrome's. */
  firefoxVerdict?: "allowed" | "blocked";
  findings?: string[];
  noFindings?: string[];
  assumption?: RegExp;
  request?: "preflight" | "actual";
}

const ok = (extra = {}) => response(200, { "Access-Control-Allow-Origin": PAGE, ...extra });
const pfOk = (extra = {}) => response(204, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Max-Age": "600", ...extra });
const cookie = { Cookie: "session=1" };

const rows: Row[] = [
  // ---- simple requests: the CORS check on the response ----
  { name: "GET, ACAO = origin", ex: exchange({ response: ok(), outcome: "completed" }), verdict: "allowed" },
  {
    name: "GET, ACAO *",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "*" }), outcome: "completed" }),
    verdict: "allowed",
  },
  {
    name: "GET, no ACAO",
    ex: exchange({ response: response(200), outcome: "failed" }),
    verdict: "blocked",
    id: "acao-missing",
    chrome: "MissingAllowOriginHeader",
    failedParameter: "",
    firefox: "CORSMissingAllowOrigin2",
  },
  { name: "GET, no ACAO, outcome unknown (predicted)", ex: exchange({ response: response(200) }), verdict: "blocked", id: "acao-missing" },
  {
    name: "two ACAO lines",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": [PAGE, PAGE] }) }),
    verdict: "blocked",
    id: "acao-multiple-values",
    chrome: "MultipleAllowOriginValues",
    failedParameter: `${PAGE}, ${PAGE}`,
    firefox: "CORSMultipleAllowOriginNotAllowed",
    findings: ["duplicate-cors-headers"],
  },
  {
    name: "one ACAO listing two origins",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": `${PAGE}, https://b.example` }) }),
    verdict: "blocked",
    id: "acao-multiple-values",
    chrome: "MultipleAllowOriginValues",
    firefox: "CORSAllowOriginNotMatchingOrigin",
  },
  {
    name: "ACAO '*, origin'",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": `*, ${PAGE}` }) }),
    verdict: "blocked",
    id: "acao-multiple-values",
    failedParameter: `*, ${PAGE}`,
  },
  {
    name: "ACAO space-separated",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": `${PAGE} https://b.example` }) }),
    verdict: "blocked",
    id: "acao-multiple-values",
  },
  {
    name: "ACAO without scheme",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "127.0.0.1:3000" }) }),
    verdict: "blocked",
    id: "acao-invalid-value",
    chrome: "InvalidAllowOriginValue",
    failedParameter: "127.0.0.1:3000",
    firefox: "CORSAllowOriginNotMatchingOrigin",
  },
  {
    name: "ACAO empty (measured: invalid value)",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "" }) }),
    verdict: "blocked",
    id: "acao-invalid-value",
    chrome: "InvalidAllowOriginValue",
  },
  {
    name: "ACAO quoted '*' (measured: invalid value)",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": '"*"' }) }),
    verdict: "blocked",
    id: "acao-invalid-value",
  },
  {
    name: "ACAO with trailing slash",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": `${PAGE}/` }) }),
    verdict: "blocked",
    id: "acao-mismatch-trailing-slash",
    chrome: "AllowOriginMismatch",
    failedParameter: `${PAGE}/`,
    firefox: "CORSAllowOriginNotMatchingOrigin",
  },
  {
    name: "ACAO other scheme",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "https://127.0.0.1:3000" }) }),
    verdict: "blocked",
    id: "acao-mismatch-scheme",
  },
  {
    name: "ACAO other port",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "http://127.0.0.1:3001" }) }),
    verdict: "blocked",
    id: "acao-mismatch-port",
  },
  {
    name: "ACAO explicit default port",
    ex: exchange({
      page: "https://app.example",
      url: "https://api.example/x",
      response: response(200, { "Access-Control-Allow-Origin": "https://app.example:443" }),
    }),
    verdict: "blocked",
    id: "acao-mismatch-port",
  },
  {
    name: "ACAO upper-case host",
    ex: exchange({
      page: "https://app.example",
      url: "https://api.example/x",
      response: response(200, { "Access-Control-Allow-Origin": "https://App.example" }),
    }),
    verdict: "blocked",
    id: "acao-mismatch-case",
  },
  {
    name: "ACAO localhost for a 127.0.0.1 page",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "http://localhost:3000" }) }),
    verdict: "blocked",
    id: "acao-mismatch-localhost-vs-127",
  },
  {
    name: "ACAO literal null for a real origin",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "null" }) }),
    verdict: "blocked",
    id: "acao-mismatch-null-sent",
    chrome: "AllowOriginMismatch",
    failedParameter: "null",
    findings: ["acao-null-trusted"],
  },
  {
    name: "ACAO another valid origin",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "https://prod.example" }) }),
    verdict: "blocked",
    id: "acao-mismatch-other-valid-origin",
  },
  {
    name: "ACAO wildcard pattern",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "http://*.example" }) }),
    verdict: "blocked",
    id: "acao-mismatch-wildcard-pattern",
  },
  {
    name: "ACAO with surrounding whitespace is trimmed",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": ` ${PAGE} ` }), outcome: "completed" }),
    verdict: "allowed",
  },
  {
    name: "4xx with ACAO is allowed (CORS does not judge the status)",
    ex: exchange({ response: response(404, { "Access-Control-Allow-Origin": PAGE }), outcome: "completed" }),
    verdict: "allowed",
  },
  {
    name: "500 without CORS headers",
    ex: exchange({ response: response(500), outcome: "failed" }),
    verdict: "blocked",
    id: "acao-missing",
    findings: ["cors-headers-missing-on-error-responses"],
  },

  // ---- credentials ----
  {
    name: "* with a Cookie (credentialed)",
    ex: exchange({ headers: cookie, response: response(200, { "Access-Control-Allow-Origin": "*" }) }),
    verdict: "blocked",
    id: "acao-wildcard-with-credentials",
    chrome: "WildcardOriginNotAllowed",
    failedParameter: "",
    firefox: "CORSNotSupportingCredentials",
    assumption: /Cookie/,
  },
  {
    name: "* failed with no Cookie: only 'include' explains it",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "*" }), outcome: "failed" }),
    verdict: "blocked",
    id: "acao-wildcard-with-credentials",
    assumption: /credentials mode 'include'/,
  },
  {
    name: "* completed in Chrome: not credentialed",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "*" }), outcome: "completed" }),
    verdict: "allowed",
  },
  {
    name: "* with unknown outcome: allowed, says what credentials would do",
    ex: exchange({ response: response(200, { "Access-Control-Allow-Origin": "*" }) }),
    verdict: "allowed",
    assumption: /allowed for credentials: 'same-origin'.*blocked for 'include' \(acao-wildcard-with-credentials\)/,
  },
  {
    name: "credentialed, ACAC missing",
    ex: exchange({ headers: cookie, response: ok() }),
    verdict: "blocked",
    id: "acac-not-true",
    chrome: "InvalidAllowCredentials",
    failedParameter: "",
    firefox: "CORSMissingAllowCredentials",
  },
  {
    name: "credentialed, ACAC True",
    ex: exchange({ headers: cookie, response: ok({ "Access-Control-Allow-Credentials": "True" }) }),
    verdict: "blocked",
    id: "acac-not-true",
    failedParameter: "True",
  },
  {
    name: "credentialed, ACAC twice",
    ex: exchange({ headers: cookie, response: ok({ "Access-Control-Allow-Credentials": ["true", "true"] }) }),
    verdict: "blocked",
    id: "acac-not-true",
    failedParameter: "true, true",
    findings: ["duplicate-cors-headers"],
  },
  {
    name: "credentialed, correct",
    ex: exchange({ headers: cookie, response: ok({ "Access-Control-Allow-Credentials": "true", Vary: "Origin" }), outcome: "completed" }),
    verdict: "allowed",
    findings: ["acao-reflects-arbitrary-origin"],
  },
  {
    name: "credentials known from the capture",
    ex: exchange({ credentials: "include", response: ok() }),
    verdict: "blocked",
    id: "acac-not-true",
  },
  {
    name: "* with ACAC true, not credentialed: works, copy-paste smell",
    ex: exchange({
      response: response(200, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true" }),
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["acao-wildcard-with-acac-true"],
  },

  // ---- preflight ----
  {
    name: "PUT, preflight passes",
    ex: exchange({ method: "PUT", preflight: pfOk({ "Access-Control-Allow-Methods": "PUT" }), response: ok(), outcome: "completed" }),
    verdict: "allowed",
    noFindings: ["max-age-missing"],
  },
  {
    name: "PUT, preflight redirected",
    ex: exchange({
      method: "PUT",
      preflight: response(301, { Location: "https://localhost/api", "Access-Control-Allow-Origin": PAGE }),
      outcome: "failed",
    }),
    verdict: "blocked",
    id: "preflight-redirect",
    chrome: "PreflightDisallowedRedirect",
    firefox: "CORSExternalRedirectNotAllowed",
    request: "preflight",
  },
  {
    name: "PUT, preflight redirected without CORS headers (measured: Firefox checks ACAO first)",
    ex: exchange({ method: "PUT", preflight: response(302, { Location: "https://localhost/api" }), outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-redirect",
    chrome: "PreflightDisallowedRedirect",
    firefox: "CORSMissingAllowOrigin2",
  },
  {
    name: "PUT, preflight 3xx without Location (measured: status error)",
    ex: exchange({ method: "PUT", preflight: response(302, { "Access-Control-Allow-Origin": PAGE }), outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-status-not-ok",
    chrome: "PreflightInvalidStatus",
  },
  {
    name: "PUT, preflight 404 without ACAO (measured: ACAO first)",
    ex: exchange({ method: "PUT", preflight: response(404), outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-acao-missing",
    chrome: "PreflightMissingAllowOriginHeader",
    firefox: "CORSMissingAllowOrigin2",
    findings: ["preflight-route-missing"],
  },
  {
    name: "PUT, preflight 404 with ACAO",
    ex: exchange({ method: "PUT", preflight: response(404, { "Access-Control-Allow-Origin": PAGE }), outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-status-not-ok",
    chrome: "PreflightInvalidStatus",
    firefox: "CORSPreflightDidNotSucceed3",
  },
  {
    name: "PUT, preflight 401 behind auth",
    ex: exchange({ method: "PUT", preflight: response(401, { "Access-Control-Allow-Origin": PAGE }), outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-status-not-ok",
    findings: ["preflight-rejected-by-auth"],
  },
  {
    name: "PUT, preflight wildcard origin with credentials",
    ex: exchange({
      method: "PUT",
      headers: cookie,
      preflight: response(204, { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "PUT" }),
    }),
    verdict: "blocked",
    id: "preflight-acao-wildcard-with-credentials",
    chrome: "PreflightWildcardOriginNotAllowed",
    firefox: "CORSNotSupportingCredentials",
  },
  {
    name: "PUT, preflight ACAO mismatch",
    ex: exchange({
      method: "PUT",
      preflight: response(204, { "Access-Control-Allow-Origin": `${PAGE}/`, "Access-Control-Allow-Methods": "PUT" }),
    }),
    verdict: "blocked",
    id: "preflight-acao-mismatch-trailing-slash",
    chrome: "PreflightAllowOriginMismatch",
  },
  {
    name: "PUT, preflight two ACAO lines",
    ex: exchange({
      method: "PUT",
      preflight: response(204, { "Access-Control-Allow-Origin": [PAGE, "*"], "Access-Control-Allow-Methods": "PUT" }),
    }),
    verdict: "blocked",
    id: "preflight-acao-multiple-values",
    chrome: "PreflightMultipleAllowOriginValues",
    firefox: "CORSMultipleAllowOriginNotAllowed",
  },
  {
    name: "PUT, preflight ACAO invalid",
    ex: exchange({
      method: "PUT",
      preflight: response(204, { "Access-Control-Allow-Origin": "nonsense", "Access-Control-Allow-Methods": "PUT" }),
    }),
    verdict: "blocked",
    id: "preflight-acao-invalid-value",
    chrome: "PreflightInvalidAllowOriginValue",
  },
  {
    name: "PUT credentialed, preflight lacks ACAC",
    ex: exchange({ method: "PUT", headers: cookie, preflight: pfOk({ "Access-Control-Allow-Methods": "PUT" }) }),
    verdict: "blocked",
    id: "preflight-acac-not-true",
    chrome: "PreflightInvalidAllowCredentials",
    firefox: "CORSMissingAllowCredentials",
  },
  {
    name: "PUT, ACAM space-separated",
    ex: exchange({ method: "PUT", preflight: pfOk({ "Access-Control-Allow-Methods": "GET PUT" }) }),
    verdict: "blocked",
    id: "preflight-allow-methods-invalid",
    chrome: "InvalidAllowMethodsPreflightResponse",
    firefox: "CORSInvalidAllowMethod",
  },
  {
    name: "PUT, ACAM lists GET, POST",
    ex: exchange({ method: "PUT", preflight: pfOk({ "Access-Control-Allow-Methods": "GET, POST" }) }),
    verdict: "blocked",
    id: "preflight-method-not-allowed",
    chrome: "MethodDisallowedByPreflightResponse",
    failedParameter: "PUT",
    firefox: "CORSMethodNotFound",
  },
  {
    name: "PUT, ACAM lower-case put",
    ex: exchange({ method: "PUT", preflight: pfOk({ "Access-Control-Allow-Methods": "put" }) }),
    verdict: "blocked",
    id: "preflight-method-not-allowed",
    findings: ["allow-methods-case"],
  },
  {
    name: "patch sent lower-case needs patch",
    ex: exchange({ method: "patch", preflight: pfOk({ "Access-Control-Allow-Methods": "PATCH" }) }),
    verdict: "blocked",
    id: "preflight-method-not-allowed",
    failedParameter: "patch",
    findings: ["allow-methods-case"],
  },
  {
    name: "PUT, ACAM *",
    ex: exchange({ method: "PUT", preflight: pfOk({ "Access-Control-Allow-Methods": "*" }), response: ok(), outcome: "completed" }),
    verdict: "allowed",
  },
  {
    name: "PUT credentialed, ACAM * is literal",
    ex: exchange({
      method: "PUT",
      headers: cookie,
      preflight: pfOk({ "Access-Control-Allow-Methods": "*", "Access-Control-Allow-Credentials": "true" }),
    }),
    verdict: "blocked",
    id: "preflight-method-not-allowed",
    findings: ["wildcard-methods-or-headers-with-credentials"],
  },
  {
    name: "DELETE with empty ACAM elements",
    ex: exchange({
      method: "DELETE",
      preflight: pfOk({ "Access-Control-Allow-Methods": ", DELETE,," }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
  },
  {
    name: "x-foo not allowed",
    ex: exchange({
      method: "PUT",
      headers: { "X-Foo": "1", "Content-Type": "application/json" },
      preflight: pfOk({ "Access-Control-Allow-Methods": "PUT", "Access-Control-Allow-Headers": "Content-Type" }),
      outcome: "failed",
    }),
    verdict: "blocked",
    id: "preflight-header-not-allowed",
    chrome: "HeaderDisallowedByPreflightResponse",
    failedParameter: "x-foo",
    firefox: "CORSMissingAllowHeaderFromPreflight2",
  },
  {
    name: "application/json needs content-type in ACAH",
    ex: exchange({ method: "POST", headers: { "Content-Type": "application/json" }, preflight: pfOk({}) }),
    verdict: "blocked",
    id: "preflight-header-not-allowed",
    failedParameter: "content-type",
  },
  {
    name: "ACAH case-insensitive",
    ex: exchange({
      method: "POST",
      headers: { "X-Foo": "1" },
      preflight: pfOk({ "Access-Control-Allow-Headers": "X-FOO" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
  },
  {
    name: "ACAH space-separated",
    ex: exchange({ method: "POST", headers: { "X-Foo": "1" }, preflight: pfOk({ "Access-Control-Allow-Headers": "x-foo x-bar" }) }),
    verdict: "blocked",
    id: "preflight-allow-headers-invalid",
    chrome: "InvalidAllowHeadersPreflightResponse",
    firefox: "CORSInvalidAllowHeader",
  },
  {
    name: "ACAH * covers x-foo",
    ex: exchange({
      method: "POST",
      headers: { "X-Foo": "1" },
      preflight: pfOk({ "Access-Control-Allow-Headers": "*" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
  },
  {
    name: "ACAH * covers Authorization (measured in both browsers)",
    ex: exchange({
      method: "GET",
      headers: { Authorization: "Bearer x" },
      preflight: pfOk({ "Access-Control-Allow-Headers": "*" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
  },
  {
    name: "credentialed, ACAH * is literal",
    ex: exchange({
      method: "POST",
      headers: { "X-Foo": "1", ...cookie },
      preflight: pfOk({ "Access-Control-Allow-Headers": "*", "Access-Control-Allow-Credentials": "true" }),
    }),
    verdict: "blocked",
    id: "preflight-header-not-allowed",
    failedParameter: "x-foo",
  },
  {
    name: "max-age missing is noted",
    ex: exchange({
      method: "PUT",
      preflight: response(204, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Methods": "PUT" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["max-age-missing"],
  },
  {
    name: "max-age above Chrome's cap",
    ex: exchange({
      method: "PUT",
      preflight: pfOk({ "Access-Control-Allow-Methods": "PUT", "Access-Control-Max-Age": "86400" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["max-age-exceeds-cap"],
  },
  {
    name: "max-age with a unit",
    ex: exchange({
      method: "PUT",
      preflight: pfOk({ "Access-Control-Allow-Methods": "PUT", "Access-Control-Max-Age": "600s" }),
      response: ok(),
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["max-age-invalid"],
  },
  {
    name: "preflight cached: actual went out without one",
    ex: exchange({ method: "PUT", response: ok(), outcome: "completed" }),
    verdict: "allowed",
    assumption: /cached preflight/,
  },
  {
    name: "preflight needed, not captured, request never left",
    ex: exchange({ method: "PUT", outcome: "failed" }),
    verdict: "blocked",
    id: "preflight-not-observed",
  },
  {
    name: "preflight connection refused",
    ex: exchange({
      method: "PUT",
      preflight: { error: "net::ERR_CONNECTION_REFUSED" },
      outcome: { kind: "failed", error: "net::ERR_CONNECTION_REFUSED" },
    }),
    verdict: "blocked",
    id: "not-cors-network-refused",
    request: "preflight",
  },
  {
    name: "actual connection refused",
    ex: exchange({ outcome: { kind: "failed", error: "net::ERR_CONNECTION_REFUSED" } }),
    verdict: "blocked",
    id: "not-cors-network-refused",
    firefox: "CORSDidNotSucceed2",
  },

  // ---- redirects ----
  {
    name: "same-origin hop on the API keeps the origin",
    ex: exchange({
      response: response(302, { Location: "/api2", "Access-Control-Allow-Origin": PAGE }),
      next: [{ url: "http://localhost:4000/api2", response: ok() }],
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["redirect-on-cors-endpoint"],
  },
  {
    name: "redirect response without ACAO",
    ex: exchange({
      response: response(302, { Location: "/api2" }),
      next: [{ url: "http://localhost:4000/api2", response: ok() }],
      outcome: "failed",
    }),
    verdict: "blocked",
    id: "acao-missing",
  },
  {
    name: "cross-origin hop: origin becomes null",
    ex: exchange({
      response: response(302, { Location: "http://127.0.0.1:4001/x", "Access-Control-Allow-Origin": PAGE }),
      next: [{ url: "http://127.0.0.1:4001/x", origin: "null", response: ok() }],
      outcome: "failed",
    }),
    verdict: "blocked",
    id: "acao-mismatch-null-expected",
    chrome: "AllowOriginMismatch",
  },
  {
    name: "cross-origin hop answered with null",
    ex: exchange({
      response: response(302, { Location: "http://127.0.0.1:4001/x", "Access-Control-Allow-Origin": PAGE }),
      next: [{ url: "http://127.0.0.1:4001/x", origin: "null", response: response(200, { "Access-Control-Allow-Origin": "null" }) }],
      outcome: "completed",
    }),
    verdict: "allowed",
    findings: ["acao-null-trusted"],
  },
  {
    name: "redirect to user:pass@",
    ex: exchange({
      response: response(302, { Location: "http://user:pw@localhost:4000/x", "Access-Control-Allow-Origin": PAGE }),
      outcome: "failed",
    }),
    verdict: "blocked",
    id: "redirect-location-has-credentials",
    chrome: "RedirectContainsCredentials",
  },

  // ---- not CORS ----
  { name: "same-origin", ex: exchange({ url: `${PAGE}/api`, response: response(200) }), verdict: "not-cors" },
  { name: "navigation", ex: exchange({ resourceType: "main_frame", response: response(200) }), verdict: "not-cors" },
  {
    name: "no-cors image load (no Origin on GET)",
    ex: exchange({ origin: null, headers: { Accept: "image/avif,image/webp,*/*" }, response: response(200) }),
    verdict: "not-cors",
  },
  {
    name: "Sec-Fetch-Mode no-cors",
    ex: exchange({ headers: { "Sec-Fetch-Mode": "no-cors" }, response: response(200) }),
    verdict: "not-cors",
  },
  {
    name: "Chrome completed what fails the check: a no-cors POST",
    ex: exchange({ method: "POST", response: response(200), outcome: "completed" }),
    verdict: "not-cors",
  },
  {
    name: "Firefox reports blocked simple requests as completed",
    ex: exchange({ response: response(200), outcome: "completed", observedBy: "firefox" }),
    verdict: "blocked",
    id: "acao-missing",
  },
  { name: "non-http URL", ex: exchange({ url: "ftp://localhost/x" }), verdict: "not-cors" },
  { name: "malformed URL", ex: exchange({ url: "http://[::1" }), verdict: "not-cors" },
];

describe("diagnoseExchange (Chrome)", () => {
  test.each(rows)("$name", (row) => {
    const d = diagnoseExchange(row.ex);
    expect(d.verdict).toBe(row.verdict);
    if (row.id) expect(d.blockedBy?.id).toBe(row.id);
    if (row.verdict !== "blocked") expect(d.blockedBy).toBeNull();
    if (row.chrome) expect(d.blockedBy?.chromeCorsError).toBe(row.chrome);
    if (row.failedParameter !== undefined) expect(d.blockedBy?.failedParameter).toBe(row.failedParameter);
    if (row.firefox) expect(d.blockedBy?.firefoxReason).toBe(row.firefox);
    if (row.request) expect(d.blockedBy?.request).toBe(row.request);
    for (const id of row.findings ?? []) expect(d.findings.map((f) => f.id)).toContain(id);
    for (const id of row.noFindings ?? []) expect(d.findings.map((f) => f.id)).not.toContain(id);
    if (row.assumption) expect((d.assumptions ?? []).join("\n")).toMatch(row.assumption);
    if (d.blockedBy?.chromeCorsError) expect(d.blockedBy.console?.chrome).toContain("has been blocked by CORS policy");
    if (d.blockedBy?.firefoxReason && d.blockedBy.firefoxReason !== "CORSDidNotSucceed2")
      expect(d.blockedBy.console?.firefox).toContain("Cross-Origin Request Blocked");
  });
});

describe("where the browsers differ", () => {
  test("a single ACAO with a comma list: both block, for different reasons", () => {
    const ex = exchange({ response: response(200, { "Access-Control-Allow-Origin": `${PAGE}, https://b.example` }) });
    expect(diagnoseExchange(ex, { browser: "firefox" }).blockedBy?.id).toBe("acao-mismatch");
    expect(diagnoseExchange(ex).blockedBy?.browsers).toBeUndefined();
  });
  test("Firefox's verdict when asked for Firefox", () => {
    const ex = exchange({ response: response(200, { "Access-Control-Allow-Origin": [PAGE, PAGE] }) });
    const d = diagnoseExchange(ex, { browser: "firefox" });
    expect(d.blockedBy?.firefoxReason).toBe("CORSMultipleAllowOriginNotAllowed");
  });
});

describe("never throws", () => {
  test.each([
    ["no legs", { initiatorOrigin: PAGE, legs: [], outcome: { kind: "unknown" } }],
    [
      "null headers",
      { initiatorOrigin: PAGE, legs: [{ request: { method: "GET", url: API, headers: null } }], outcome: { kind: "unknown" } },
    ],
    [
      "missing outcome",
      { initiatorOrigin: PAGE, legs: [{ request: { method: "GET", url: API, headers: [] }, response: { status: 200, headers: [] } }] },
    ],
  ])("%s", (_name, ex) => {
    const d = diagnoseExchange(ex as unknown as Exchange);
    expect(["allowed", "blocked", "not-cors"]).toContain(d.verdict);
  });
});

describe("diagnoseLog: what one request cannot show", () => {
  test("reflection seen for two origins", () => {
    const a = exchange({
      page: "https://a.example",
      url: "https://api.example/x",
      headers: cookie,
      response: response(200, {
        "Access-Control-Allow-Origin": "https://a.example",
        "Access-Control-Allow-Credentials": "true",
        Vary: "Origin",
      }),
      outcome: "completed",
    });
    const b = exchange({
      page: "https://evil.example",
      url: "https://api.example/y",
      headers: cookie,
      response: response(200, {
        "Access-Control-Allow-Origin": "https://evil.example",
        "Access-Control-Allow-Credentials": "true",
        Vary: "Origin",
      }),
      outcome: "completed",
    });
    const [da, db] = diagnoseLog([a, b]);
    for (const d of [da!, db!]) {
      const f = d.findings.find((x) => x.id === "acao-reflects-arbitrary-origin");
      expect(f?.severity).toBe("warning");
    }
  });
  test("one origin only: no reflection warning", () => {
    const a = exchange({
      page: "https://a.example",
      url: "https://api.example/x",
      response: response(200, { "Access-Control-Allow-Origin": "https://a.example", Vary: "Origin" }),
      outcome: "completed",
    });
    const [da] = diagnoseLog([a, a]);
    expect(da!.findings.find((x) => x.id === "acao-reflects-arbitrary-origin" && x.severity === "warning")).toBeUndefined();
  });
  test("same URL, different ACAO, no Vary", () => {
    const a = exchange({
      page: "https://a.example",
      url: "https://api.example/x",
      response: response(200, { "Access-Control-Allow-Origin": "https://a.example" }),
      outcome: "completed",
    });
    const b = exchange({
      page: "https://b.example",
      url: "https://api.example/x",
      response: response(200, { "Access-Control-Allow-Origin": "https://b.example" }),
      outcome: "completed",
    });
    const ds = diagnoseLog([a, b]);
    expect(ds[1]!.findings.some((f) => f.id === "dynamic-acao-missing-vary")).toBe(true);
  });
  test("success has CORS headers, the error does not", () => {
    const good = exchange({ url: "http://localhost:4000/a", response: ok(), outcome: "completed" });
    const bad = exchange({ url: "http://localhost:4000/b", response: response(502), outcome: "failed" });
    const ds = diagnoseLog([good, bad]);
    expect(ds[1]!.findings.find((f) => f.id === "cors-headers-missing-on-error-responses")?.severity).toBe("error");
  });
});
