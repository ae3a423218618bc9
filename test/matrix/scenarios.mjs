// The truth-matrix scenarios: one cross-origin fetch (or a few back-to-back, `repeat`) from the page at
// http://127.0.0.1:P to the API at http://localhost:Q, with the server answering exactly as written here.
// Real browsers decide the outcome (scripts/record-matrix.mjs); `expect` is only the taxonomy id we aimed
// at (see /work/shared/reference/cors-taxonomy.md) — where the browser disagrees, the recording wins and the
// difference is listed in test/matrix/FINDINGS.md.
//
// Header value tokens expanded by the server: {origin} page origin, {originHostPort} "127.0.0.1:P", {pagePort} P,
// {api} http://localhost:Q, {api2} http://127.0.0.1:Q, {self} the origin the request reached,
// {hop} same-origin redirect target, {hop2} the other API origin's redirect target,
// {hopUserPass} {hop} with user:pass@ in it.

/**
 * @typedef {[string, string]} HeaderLine
 * @typedef {{ status: number, headers: HeaderLine[], body?: string }} ResponseSpec
 * @typedef {{
 *   method: string,
 *   headers: HeaderLine[],
 *   credentials: "omit" | "same-origin" | "include",
 *   mode?: "cors",
 *   redirect?: "follow" | "manual",
 *   body?: string,
 *   repeat?: number,
 *   apiHost?: "localhost" | "127.0.0.1",
 * }} RequestSpec
 * @typedef {{
 *   preflight?: ResponseSpec,      // answer to OPTIONS on /m/<id>
 *   actual: ResponseSpec,          // answer to the request on /m/<id> (or on the hop when `redirect` is set)
 *   redirect?: ResponseSpec,       // when set, /m/<id> answers this (a 3xx with Location) and the hop answers `hop ?? actual`
 *   hop?: ResponseSpec,            // answer on /m/<id>/hop
 *   hopPreflight?: ResponseSpec,   // answer to OPTIONS on /m/<id>/hop (defaults to `preflight`)
 * }} ServerSpec
 * @typedef {{ id: string, title: string, expect?: string, request: RequestSpec, server: ServerSpec }} Scenario
 */

const ACAO = "Access-Control-Allow-Origin";
const ACAC = "Access-Control-Allow-Credentials";
const ACAM = "Access-Control-Allow-Methods";
const ACAH = "Access-Control-Allow-Headers";
const MAXAGE = "Access-Control-Max-Age";

/** @type {Scenario[]} */
const list = [];

/** @param {Scenario} s */
function add(s) {
  list.push(s);
}

/** @param {HeaderLine[]} headers @param {number} [status] @returns {ResponseSpec} */
const resp = (headers, status = 200) => ({ status, headers });

/** A simple GET (no preflight). @returns {RequestSpec} */
const simpleGet = (credentials = /** @type {RequestSpec["credentials"]} */ ("omit")) => ({ method: "GET", headers: [], credentials });
/** A PUT with a custom header: always preflighted. @returns {RequestSpec} */
const preflightedPut = (credentials = /** @type {RequestSpec["credentials"]} */ ("omit")) => ({
  method: "PUT",
  headers: [["X-Foo", "1"]],
  credentials,
  body: "x",
});

/** A preflight response that allows PUT + X-Foo for the page origin. */
const goodPreflight = () =>
  resp(
    [
      [ACAO, "{origin}"],
      [ACAM, "PUT"],
      [ACAH, "X-Foo"],
    ],
    204,
  );
const goodPreflightCred = () =>
  resp(
    [
      [ACAO, "{origin}"],
      [ACAC, "true"],
      [ACAM, "PUT"],
      [ACAH, "X-Foo"],
    ],
    204,
  );
const goodActual = () => resp([[ACAO, "{origin}"]]);
const goodActualCred = () =>
  resp([
    [ACAO, "{origin}"],
    [ACAC, "true"],
  ]);

// ---------------------------------------------------------------------------------------------------
// 1. The value of Access-Control-Allow-Origin (CORS check, Fetch #concept-cors-check step 4), three ways:
//    on a simple GET, on the preflight of a PUT, and on a credentialed GET (with ACAC true).
/** @type {{ key: string, title: string, lines: HeaderLine[], expect: string, credExpect?: string }[]} */
const acaoVariants = [
  { key: "exact-origin", title: "ACAO is the exact page origin", lines: [[ACAO, "{origin}"]], expect: "allowed" },
  { key: "wildcard", title: "ACAO is *", lines: [[ACAO, "*"]], expect: "allowed", credExpect: "acao-wildcard-with-credentials" },
  { key: "missing", title: "no ACAO header", lines: [], expect: "acao-missing" },
  {
    key: "multiple-one-header",
    title: "one ACAO header listing two origins 'a, b'",
    lines: [[ACAO, "{origin}, http://other.test"]],
    expect: "acao-multiple-values",
  },
  {
    key: "multiple-two-lines-same",
    title: "two ACAO header lines with the same origin",
    lines: [
      [ACAO, "{origin}"],
      [ACAO, "{origin}"],
    ],
    expect: "acao-multiple-values",
  },
  {
    key: "multiple-two-lines-different",
    title: "two ACAO header lines, page origin and another",
    lines: [
      [ACAO, "{origin}"],
      [ACAO, "http://other.test"],
    ],
    expect: "acao-multiple-values",
  },
  { key: "multiple-wildcard-and-origin", title: "ACAO '*, <origin>'", lines: [[ACAO, "*, {origin}"]], expect: "acao-multiple-values" },
  {
    key: "multiple-two-lines-wildcard",
    title: "two ACAO lines: * and *",
    lines: [
      [ACAO, "*"],
      [ACAO, "*"],
    ],
    expect: "acao-multiple-values",
  },
  {
    key: "multiple-space-separated",
    title: "ACAO with two space-separated origins",
    lines: [[ACAO, "{origin} http://other.test"]],
    expect: "acao-multiple-values",
  },
  {
    key: "invalid-no-scheme",
    title: "ACAO is host:port without scheme",
    lines: [[ACAO, "{originHostPort}"]],
    expect: "acao-invalid-value",
  },
  { key: "invalid-bare-host", title: "ACAO is a bare host name", lines: [[ACAO, "example.com"]], expect: "acao-invalid-value" },
  { key: "invalid-empty", title: "ACAO is empty", lines: [[ACAO, ""]], expect: "acao-invalid-value" },
  { key: "invalid-quoted-wildcard", title: 'ACAO is "*" with quotes', lines: [[ACAO, '"*"']], expect: "acao-invalid-value" },
  {
    key: "invalid-quoted-origin",
    title: "ACAO is the origin in double quotes",
    lines: [[ACAO, '"{origin}"']],
    expect: "acao-invalid-value",
  },
  {
    key: "mismatch-trailing-slash",
    title: "ACAO is the origin with a trailing slash",
    lines: [[ACAO, "{origin}/"]],
    expect: "acao-mismatch-trailing-slash",
  },
  {
    key: "mismatch-path",
    title: "ACAO is the origin with a path",
    lines: [[ACAO, "{origin}/app"]],
    expect: "acao-mismatch-trailing-slash",
  },
  {
    key: "mismatch-scheme",
    title: "ACAO is https:// instead of http://",
    lines: [[ACAO, "https://{originHostPort}"]],
    expect: "acao-mismatch-scheme",
  },
  { key: "mismatch-port", title: "ACAO names another port", lines: [[ACAO, "http://127.0.0.1:1"]], expect: "acao-mismatch-port" },
  {
    key: "mismatch-no-port",
    title: "ACAO omits the (non-default) port",
    lines: [[ACAO, "http://127.0.0.1"]],
    expect: "acao-mismatch-port",
  },
  {
    key: "mismatch-case-scheme",
    title: "ACAO scheme in upper case",
    lines: [[ACAO, "HTTP://{originHostPort}"]],
    expect: "acao-mismatch-case",
  },
  { key: "mismatch-null", title: "ACAO is the literal null", lines: [[ACAO, "null"]], expect: "acao-mismatch-null-sent" },
  {
    key: "mismatch-localhost-vs-ip",
    title: "ACAO is http://localhost:P while the page is http://127.0.0.1:P",
    lines: [[ACAO, "http://localhost:{pagePort}"]],
    expect: "acao-mismatch-other-valid-origin",
  },
  {
    key: "mismatch-api-origin",
    title: "ACAO is the API's own origin",
    lines: [[ACAO, "{self}"]],
    expect: "acao-mismatch-other-valid-origin",
  },
  {
    key: "mismatch-other-origin",
    title: "ACAO is an unrelated origin",
    lines: [[ACAO, "https://app.example.com"]],
    expect: "acao-mismatch-other-valid-origin",
  },
  {
    key: "mismatch-wildcard-pattern",
    title: "ACAO is a wildcard pattern http://*.0.0.1:P",
    lines: [[ACAO, "http://*.0.0.1:{pagePort}"]],
    expect: "acao-mismatch-wildcard-pattern",
  },
  {
    key: "mismatch-wildcard-port",
    title: "ACAO is http://127.0.0.1:*",
    lines: [[ACAO, "http://127.0.0.1:*"]],
    expect: "acao-mismatch-wildcard-pattern",
  },
  { key: "whitespace-around", title: "ACAO value with spaces around it", lines: [[ACAO, "  {origin}  "]], expect: "allowed" },
  { key: "whitespace-tab", title: "ACAO value with a leading tab", lines: [[ACAO, "\t{origin}"]], expect: "allowed" },
  {
    key: "wildcard-whitespace",
    title: "ACAO ' * '",
    lines: [[ACAO, " * "]],
    expect: "allowed",
    credExpect: "acao-wildcard-with-credentials",
  },
  {
    key: "name-lower-case",
    title: "header name access-control-allow-origin in lower case",
    lines: [["access-control-allow-origin", "{origin}"]],
    expect: "allowed",
  },
  {
    key: "name-upper-case",
    title: "header name ACCESS-CONTROL-ALLOW-ORIGIN",
    lines: [["ACCESS-CONTROL-ALLOW-ORIGIN", "{origin}"]],
    expect: "allowed",
  },
];

for (const v of acaoVariants) {
  add({
    id: `get-acao-${v.key}`,
    title: `Simple GET: ${v.title}`,
    expect: v.expect,
    request: simpleGet(),
    server: { actual: resp([...v.lines]) },
  });
}
for (const v of acaoVariants) {
  const pre = v.expect === "allowed" ? "allowed" : `preflight-${v.expect}`;
  add({
    id: `preflight-acao-${v.key}`,
    title: `PUT + X-Foo, preflight: ${v.title}`,
    expect: pre,
    request: preflightedPut(),
    server: { preflight: resp([...v.lines, [ACAM, "PUT"], [ACAH, "X-Foo"]], 204), actual: goodActual() },
  });
}
for (const v of acaoVariants) {
  const e = v.credExpect ?? v.expect;
  add({
    id: `cred-acao-${v.key}`,
    title: `Credentialed GET with ACAC true: ${v.title}`,
    expect: e,
    request: simpleGet("include"),
    server: { actual: resp([...v.lines, [ACAC, "true"]]) },
  });
}

// ---------------------------------------------------------------------------------------------------
// 2. Access-Control-Allow-Credentials (Fetch #concept-cors-check steps 6–8), actual and preflight.
/** @type {{ key: string, title: string, lines: HeaderLine[], expect: string }[]} */
const acacVariants = [
  { key: "true", title: "ACAC true", lines: [[ACAC, "true"]], expect: "allowed" },
  { key: "missing", title: "no ACAC", lines: [], expect: "acac-not-true" },
  { key: "capital-true", title: "ACAC True", lines: [[ACAC, "True"]], expect: "acac-not-true" },
  { key: "upper-true", title: "ACAC TRUE", lines: [[ACAC, "TRUE"]], expect: "acac-not-true" },
  { key: "true-true", title: "ACAC 'true, true' in one header", lines: [[ACAC, "true, true"]], expect: "acac-not-true" },
  {
    key: "two-lines",
    title: "two ACAC lines 'true'",
    lines: [
      [ACAC, "true"],
      [ACAC, "true"],
    ],
    expect: "acac-not-true",
  },
  { key: "one", title: "ACAC 1", lines: [[ACAC, "1"]], expect: "acac-not-true" },
  { key: "quoted", title: 'ACAC "true" with quotes', lines: [[ACAC, '"true"']], expect: "acac-not-true" },
  { key: "false", title: "ACAC false", lines: [[ACAC, "false"]], expect: "acac-not-true" },
  { key: "whitespace", title: "ACAC '  true  ' with spaces", lines: [[ACAC, "  true  "]], expect: "allowed" },
  { key: "name-lower-case", title: "header name in lower case", lines: [["access-control-allow-credentials", "true"]], expect: "allowed" },
];
for (const v of acacVariants) {
  add({
    id: `cred-acac-${v.key}`,
    title: `Credentialed GET, ACAO exact: ${v.title}`,
    expect: v.expect,
    request: simpleGet("include"),
    server: { actual: resp([[ACAO, "{origin}"], ...v.lines]) },
  });
}
for (const v of acacVariants) {
  add({
    id: `preflight-cred-acac-${v.key}`,
    title: `Credentialed PUT, preflight ACAO exact: ${v.title}`,
    expect: v.expect === "allowed" ? "allowed" : `preflight-${v.expect}`,
    request: preflightedPut("include"),
    server: { preflight: resp([[ACAO, "{origin}"], ...v.lines, [ACAM, "PUT"], [ACAH, "X-Foo"]], 204), actual: goodActualCred() },
  });
}
// ACAC only matters with credentials mode include.
add({
  id: "omit-acac-missing",
  title: "credentials omit, ACAO exact, no ACAC",
  expect: "allowed",
  request: simpleGet("omit"),
  server: { actual: resp([[ACAO, "{origin}"]]) },
});
add({
  id: "same-origin-mode-wildcard-acac-true",
  title: "credentials same-origin (cross-origin request), ACAO * and ACAC true",
  expect: "allowed",
  request: simpleGet("same-origin"),
  server: {
    actual: resp([
      [ACAO, "*"],
      [ACAC, "true"],
    ]),
  },
});
add({
  id: "same-origin-mode-acac-false",
  title: "credentials same-origin, ACAO exact, ACAC false",
  expect: "allowed",
  request: simpleGet("same-origin"),
  server: {
    actual: resp([
      [ACAO, "{origin}"],
      [ACAC, "false"],
    ]),
  },
});
add({
  id: "cred-wildcard-no-acac",
  title: "credentialed GET, ACAO * and no ACAC",
  expect: "acao-wildcard-with-credentials",
  request: simpleGet("include"),
  server: { actual: resp([[ACAO, "*"]]) },
});
add({
  id: "cred-mismatch-and-acac-missing",
  title: "credentialed GET, wrong ACAO and no ACAC (origin check first)",
  expect: "acao-mismatch",
  request: simpleGet("include"),
  server: { actual: resp([[ACAO, "http://other.test"]]) },
});
add({
  id: "cred-put-preflight-wildcard",
  title: "credentialed PUT, preflight ACAO * with ACAC true",
  expect: "preflight-acao-wildcard-with-credentials",
  request: preflightedPut("include"),
  server: {
    preflight: resp(
      [
        [ACAO, "*"],
        [ACAC, "true"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
      ],
      204,
    ),
    actual: goodActualCred(),
  },
});
add({
  id: "cred-put-actual-acac-missing",
  title: "credentialed PUT, preflight fine, actual lacks ACAC",
  expect: "acac-not-true",
  request: preflightedPut("include"),
  server: { preflight: goodPreflightCred(), actual: resp([[ACAO, "{origin}"]]) },
});
add({
  id: "cred-put-actual-wildcard",
  title: "credentialed PUT, preflight fine, actual ACAO *",
  expect: "acao-wildcard-with-credentials",
  request: preflightedPut("include"),
  server: {
    preflight: goodPreflightCred(),
    actual: resp([
      [ACAO, "*"],
      [ACAC, "true"],
    ]),
  },
});
add({
  id: "cred-allowed-put",
  title: "credentialed PUT, everything right",
  expect: "allowed",
  request: preflightedPut("include"),
  server: { preflight: goodPreflightCred(), actual: goodActualCred() },
});

// ---------------------------------------------------------------------------------------------------
// 3. Preflight status (ok status = 200–299, #cors-preflight-fetch-0 step 7), with and without ACAO.
for (const status of [200, 204, 201, 299, 401, 403, 404, 405, 500, 503]) {
  const ok = status >= 200 && status < 300;
  add({
    id: `preflight-status-${status}-with-acao`,
    title: `preflight answers ${status} with correct CORS headers`,
    expect: ok ? "allowed" : "preflight-status-not-ok",
    request: preflightedPut(),
    server: {
      preflight: resp(
        [
          [ACAO, "{origin}"],
          [ACAM, "PUT"],
          [ACAH, "X-Foo"],
        ],
        status,
      ),
      actual: goodActual(),
    },
  });
  add({
    id: `preflight-status-${status}-without-acao`,
    title: `preflight answers ${status} without CORS headers`,
    expect: "preflight-acao-missing",
    request: preflightedPut(),
    server: { preflight: resp([], status), actual: goodActual() },
  });
}
// Preflight redirects: never followed (#cors-preflight-fetch-0 uses no redirect following).
for (const status of [301, 302, 303, 307, 308]) {
  add({
    id: `preflight-redirect-${status}-with-location`,
    title: `preflight answers ${status} with Location and CORS headers`,
    expect: "preflight-redirect",
    request: preflightedPut(),
    server: {
      preflight: resp(
        [
          [ACAO, "{origin}"],
          [ACAM, "PUT"],
          [ACAH, "X-Foo"],
          ["Location", "{hop}"],
        ],
        status,
      ),
      hopPreflight: goodPreflight(),
      actual: goodActual(),
    },
  });
}
add({
  id: "preflight-redirect-302-no-cors-headers",
  title: "preflight answers 302 with Location but no CORS headers",
  expect: "preflight-redirect",
  request: preflightedPut(),
  server: { preflight: resp([["Location", "{hop}"]], 302), hopPreflight: goodPreflight(), actual: goodActual() },
});
add({
  id: "preflight-redirect-302-without-location",
  title: "preflight answers 302 without Location, with CORS headers",
  expect: "preflight-status-not-ok",
  request: preflightedPut(),
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
      ],
      302,
    ),
    actual: goodActual(),
  },
});
add({
  id: "preflight-redirect-307-cross-origin",
  title: "preflight answers 307 to the other API origin",
  expect: "preflight-redirect",
  request: preflightedPut(),
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
        ["Location", "{hop2}"],
      ],
      307,
    ),
    hopPreflight: goodPreflight(),
    actual: goodActual(),
  },
});

// ---------------------------------------------------------------------------------------------------
// 4. Access-Control-Allow-Methods (parse: #cors-preflight-fetch-0 step 7.3; match: step 7.5, case-sensitive).
/** @type {{ key: string, method: string, acam: string | null, cred?: boolean, expect: string }[]} */
const acamCases = [
  { key: "put-listed", method: "PUT", acam: "PUT", expect: "allowed" },
  { key: "put-in-list", method: "PUT", acam: "GET, POST, PUT, DELETE", expect: "allowed" },
  { key: "put-lower-case", method: "PUT", acam: "put", expect: "preflight-method-not-allowed" },
  { key: "put-not-listed", method: "PUT", acam: "GET, POST", expect: "preflight-method-not-allowed" },
  { key: "put-missing", method: "PUT", acam: null, expect: "preflight-method-not-allowed" },
  { key: "put-empty", method: "PUT", acam: "", expect: "preflight-method-not-allowed" },
  { key: "space-separated", method: "PUT", acam: "GET POST PUT", expect: "preflight-allow-methods-invalid" },
  { key: "quoted", method: "PUT", acam: '"PUT"', expect: "preflight-allow-methods-invalid" },
  { key: "semicolon", method: "PUT", acam: "PUT;", expect: "preflight-allow-methods-invalid" },
  { key: "slash", method: "PUT", acam: "PUT/GET", expect: "preflight-allow-methods-invalid" },
  { key: "empty-elements", method: "PUT", acam: ",PUT,,GET,", expect: "allowed" },
  { key: "whitespace", method: "PUT", acam: "  PUT  ,  GET ", expect: "allowed" },
  { key: "wildcard", method: "PUT", acam: "*", expect: "allowed" },
  { key: "wildcard-credentials", method: "PUT", acam: "*", cred: true, expect: "preflight-method-not-allowed" },
  { key: "wildcard-and-put-credentials", method: "PUT", acam: "*, PUT", cred: true, expect: "allowed" },
  { key: "delete-listed", method: "DELETE", acam: "DELETE", expect: "allowed" },
  { key: "delete-lower-case-fetch", method: "delete", acam: "DELETE", expect: "allowed" },
  { key: "patch-upper", method: "PATCH", acam: "PATCH", expect: "allowed" },
  { key: "patch-lower-fetch-upper-acam", method: "patch", acam: "PATCH", expect: "preflight-method-not-allowed" },
  { key: "patch-lower-fetch-lower-acam", method: "patch", acam: "patch", expect: "allowed" },
  { key: "patch-lower-fetch-both-acam", method: "patch", acam: "PATCH, patch", expect: "allowed" },
  { key: "patch-upper-fetch-lower-acam", method: "PATCH", acam: "patch", expect: "preflight-method-not-allowed" },
  { key: "custom-method", method: "FROB", acam: "FROB", expect: "allowed" },
  { key: "custom-method-not-listed", method: "FROB", acam: "PUT", expect: "preflight-method-not-allowed" },
  { key: "post-with-header-acam-missing", method: "POST", acam: null, expect: "allowed" },
  { key: "get-with-header-acam-put", method: "GET", acam: "PUT", expect: "allowed" },
  { key: "two-lines", method: "PUT", acam: "__two-lines__", expect: "allowed" },
];
for (const c of acamCases) {
  const cred = !!c.cred;
  /** @type {HeaderLine[]} */
  const lines = [[ACAO, "{origin}"], ...(cred ? /** @type {HeaderLine[]} */ ([[ACAC, "true"]]) : [])];
  if (c.acam === "__two-lines__") lines.push([ACAM, "GET"], [ACAM, "PUT"]);
  else if (c.acam !== null) lines.push([ACAM, c.acam]);
  lines.push([ACAH, "X-Foo"]);
  add({
    id: `acam-${c.key}`,
    title: `fetch method ${c.method}${cred ? " (credentials)" : ""}, ACAM ${c.acam === null ? "absent" : JSON.stringify(c.acam)}`,
    expect: c.expect,
    request: {
      method: c.method,
      headers: [["X-Foo", "1"]],
      credentials: cred ? "include" : "omit",
      ...(c.method === "GET" ? {} : { body: "x" }),
    },
    server: { preflight: resp(lines, 204), actual: cred ? goodActualCred() : goodActual() },
  });
}

// ---------------------------------------------------------------------------------------------------
// 5. Access-Control-Allow-Headers (step 7.3 parse, 7.6 Authorization, 7.7 match, case-insensitive).
/** @type {{ key: string, reqHeaders: HeaderLine[], acah: string | null, cred?: boolean, expect: string }[]} */
const acahCases = [
  { key: "listed", reqHeaders: [["X-Foo", "1"]], acah: "X-Foo", expect: "allowed" },
  { key: "listed-lower", reqHeaders: [["X-Foo", "1"]], acah: "x-foo", expect: "allowed" },
  { key: "listed-upper", reqHeaders: [["X-Foo", "1"]], acah: "X-FOO", expect: "allowed" },
  { key: "missing", reqHeaders: [["X-Foo", "1"]], acah: null, expect: "preflight-header-not-allowed" },
  { key: "other-header", reqHeaders: [["X-Foo", "1"]], acah: "X-Bar", expect: "preflight-header-not-allowed" },
  {
    key: "one-of-two",
    reqHeaders: [
      ["X-Foo", "1"],
      ["X-Bar", "2"],
    ],
    acah: "X-Foo",
    expect: "preflight-header-not-allowed",
  },
  {
    key: "both-listed",
    reqHeaders: [
      ["X-Foo", "1"],
      ["X-Bar", "2"],
    ],
    acah: "X-Foo, X-Bar",
    expect: "allowed",
  },
  { key: "space-separated", reqHeaders: [["X-Foo", "1"]], acah: "X-Foo X-Bar", expect: "preflight-allow-headers-invalid" },
  { key: "semicolon", reqHeaders: [["X-Foo", "1"]], acah: "X-Foo;", expect: "preflight-allow-headers-invalid" },
  { key: "empty-elements", reqHeaders: [["X-Foo", "1"]], acah: ", X-Foo,,", expect: "allowed" },
  { key: "wildcard", reqHeaders: [["X-Foo", "1"]], acah: "*", expect: "allowed" },
  { key: "wildcard-credentials", reqHeaders: [["X-Foo", "1"]], acah: "*", cred: true, expect: "preflight-header-not-allowed" },
  { key: "wildcard-and-name-credentials", reqHeaders: [["X-Foo", "1"]], acah: "*, X-Foo", cred: true, expect: "allowed" },
  {
    key: "authorization-under-wildcard",
    reqHeaders: [["Authorization", "Bearer t"]],
    acah: "*",
    expect: "preflight-authorization-not-covered-by-wildcard",
  },
  { key: "authorization-listed", reqHeaders: [["Authorization", "Bearer t"]], acah: "Authorization", expect: "allowed" },
  { key: "authorization-and-wildcard", reqHeaders: [["Authorization", "Bearer t"]], acah: "Authorization, *", expect: "allowed" },
  { key: "authorization-missing", reqHeaders: [["Authorization", "Bearer t"]], acah: null, expect: "preflight-header-not-allowed" },
  {
    key: "content-type-json-missing",
    reqHeaders: [["Content-Type", "application/json"]],
    acah: null,
    expect: "preflight-header-not-allowed",
  },
  { key: "content-type-json-listed", reqHeaders: [["Content-Type", "application/json"]], acah: "Content-Type", expect: "allowed" },
  {
    key: "two-lines",
    reqHeaders: [
      ["X-Foo", "1"],
      ["X-Bar", "2"],
    ],
    acah: "__two-lines__",
    expect: "allowed",
  },
  { key: "request-name-lower", reqHeaders: [["x-foo", "1"]], acah: "X-Foo", expect: "allowed" },
];
for (const c of acahCases) {
  const cred = !!c.cred;
  /** @type {HeaderLine[]} */
  const lines = [[ACAO, "{origin}"], ...(cred ? /** @type {HeaderLine[]} */ ([[ACAC, "true"]]) : []), [ACAM, "PUT"]];
  if (c.acah === "__two-lines__") lines.push([ACAH, "X-Foo"], [ACAH, "X-Bar"]);
  else if (c.acah !== null) lines.push([ACAH, c.acah]);
  add({
    id: `acah-${c.key}`,
    title: `POST with ${c.reqHeaders.map((h) => h[0]).join(" + ")}${cred ? " (credentials)" : ""}, ACAH ${c.acah === null ? "absent" : JSON.stringify(c.acah)}`,
    expect: c.expect,
    request: { method: "POST", headers: c.reqHeaders, credentials: cred ? "include" : "omit", body: "x" },
    server: { preflight: resp(lines, 204), actual: cred ? goodActualCred() : goodActual() },
  });
}

// ---------------------------------------------------------------------------------------------------
// 6. Access-Control-Max-Age and the preflight cache: three PUTs back to back; the server counts OPTIONS.
for (const [key, value] of /** @type {[string, string | null][]} */ ([
  ["absent", null],
  ["minus-one", "-1"],
  ["zero", "0"],
  ["abc", "abc"],
  ["600s", "600s"],
  ["86400", "86400"],
  ["600", "600"],
  ["7200", "7200"],
  ["one", "1"],
  ["whitespace", " 600 "],
  ["decimal", "1.5"],
  ["plus", "+600"],
])) {
  add({
    id: `max-age-${key}`,
    title: `three PUTs, preflight Max-Age ${value === null ? "absent" : JSON.stringify(value)}`,
    expect: "allowed",
    request: { ...preflightedPut(), repeat: 3 },
    server: {
      preflight: resp(
        [[ACAO, "{origin}"], [ACAM, "PUT"], [ACAH, "X-Foo"], ...(value === null ? [] : /** @type {HeaderLine[]} */ ([[MAXAGE, value]]))],
        204,
      ),
      actual: goodActual(),
    },
  });
}
add({
  id: "max-age-wildcard-acah-repeat",
  title: "three POSTs with X-Foo allowed only by ACAH *, Max-Age 600",
  expect: "allowed",
  request: { method: "POST", headers: [["X-Foo", "1"]], credentials: "omit", body: "x", repeat: 3 },
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAH, "*"],
        [MAXAGE, "600"],
      ],
      204,
    ),
    actual: goodActual(),
  },
});
add({
  id: "max-age-wildcard-acam-repeat",
  title: "three PUTs allowed only by ACAM *, Max-Age 600",
  expect: "allowed",
  request: { ...preflightedPut(), repeat: 3 },
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAM, "*"],
        [ACAH, "X-Foo"],
        [MAXAGE, "600"],
      ],
      204,
    ),
    actual: goodActual(),
  },
});
add({
  id: "max-age-credentials-repeat",
  title: "three credentialed PUTs, Max-Age 600",
  expect: "allowed",
  request: { ...preflightedPut("include"), repeat: 3 },
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAC, "true"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
        [MAXAGE, "600"],
      ],
      204,
    ),
    actual: goodActualCred(),
  },
});
add({
  id: "max-age-failing-preflight-repeat",
  title: "three PUTs, preflight denies the header (a failure is never cached)",
  expect: "preflight-header-not-allowed",
  request: { ...preflightedPut(), repeat: 3 },
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAM, "PUT"],
        [MAXAGE, "600"],
      ],
      204,
    ),
    actual: goodActual(),
  },
});
add({
  id: "max-age-actual-blocked-repeat",
  title: "three PUTs, preflight fine (Max-Age 600), actual lacks ACAO",
  expect: "acao-missing",
  request: { ...preflightedPut(), repeat: 3 },
  server: {
    preflight: resp(
      [
        [ACAO, "{origin}"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
        [MAXAGE, "600"],
      ],
      204,
    ),
    actual: resp([]),
  },
});

// ---------------------------------------------------------------------------------------------------
// 7. Redirects of the actual request (#http-redirect-fetch; each 3xx must pass the CORS check).
for (const status of [301, 302, 303, 307, 308]) {
  add({
    id: `redirect-same-origin-${status}`,
    title: `GET redirected ${status} within the API origin, CORS on both`,
    expect: "allowed",
    request: simpleGet(),
    server: {
      redirect: resp(
        [
          [ACAO, "{origin}"],
          ["Location", "{hop}"],
        ],
        status,
      ),
      actual: goodActual(),
    },
  });
  add({
    id: `redirect-same-origin-${status}-no-acao`,
    title: `GET redirected ${status}, the redirect response lacks ACAO`,
    expect: "acao-missing",
    request: simpleGet(),
    server: { redirect: resp([["Location", "{hop}"]], status), actual: goodActual() },
  });
}
add({
  id: "redirect-target-no-acao",
  title: "GET redirected 302 within the API origin, target lacks ACAO",
  expect: "acao-missing",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      302,
    ),
    actual: resp([]),
  },
});
add({
  id: "redirect-cross-origin-target-origin",
  title: "GET redirected to the other API origin; target ACAO is the page origin (Origin became null)",
  expect: "acao-mismatch-null-expected",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      302,
    ),
    actual: goodActual(),
  },
});
add({
  id: "redirect-cross-origin-target-null",
  title: "GET redirected to the other API origin; target ACAO null",
  expect: "allowed",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      302,
    ),
    actual: resp([[ACAO, "null"]]),
  },
});
add({
  id: "redirect-cross-origin-target-wildcard",
  title: "GET redirected to the other API origin; target ACAO *",
  expect: "allowed",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      302,
    ),
    actual: resp([[ACAO, "*"]]),
  },
});
add({
  id: "redirect-cross-origin-cred-null",
  title: "credentialed GET redirected cross-origin; target ACAO null + ACAC true",
  expect: "allowed",
  request: simpleGet("include"),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        [ACAC, "true"],
        ["Location", "{hop2}"],
      ],
      302,
    ),
    actual: resp([
      [ACAO, "null"],
      [ACAC, "true"],
    ]),
  },
});
add({
  id: "redirect-cross-origin-cred-wildcard",
  title: "credentialed GET redirected cross-origin; target ACAO *",
  expect: "acao-wildcard-with-credentials",
  request: simpleGet("include"),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        [ACAC, "true"],
        ["Location", "{hop2}"],
      ],
      302,
    ),
    actual: resp([
      [ACAO, "*"],
      [ACAC, "true"],
    ]),
  },
});
add({
  id: "redirect-cross-origin-no-acao-on-redirect",
  title: "GET redirected cross-origin; the redirect lacks ACAO",
  expect: "acao-missing",
  request: simpleGet(),
  server: { redirect: resp([["Location", "{hop2}"]], 302), actual: resp([[ACAO, "*"]]) },
});
add({
  id: "redirect-307-put-same-origin",
  title: "PUT + X-Foo redirected 307 within the API origin (preflight on the hop?)",
  expect: "allowed",
  request: preflightedPut(),
  server: {
    preflight: goodPreflight(),
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      307,
    ),
    actual: goodActual(),
  },
});
add({
  id: "redirect-307-put-cross-origin-wildcard",
  title: "PUT + X-Foo redirected 307 cross-origin, new preflight answered with ACAO *",
  expect: "allowed",
  request: preflightedPut(),
  server: {
    preflight: goodPreflight(),
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      307,
    ),
    hopPreflight: resp(
      [
        [ACAO, "*"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
      ],
      204,
    ),
    actual: resp([[ACAO, "*"]]),
  },
});
add({
  id: "redirect-307-put-cross-origin-origin",
  title: "PUT + X-Foo redirected 307 cross-origin, new preflight answers the page origin",
  expect: "preflight-acao-mismatch",
  request: preflightedPut(),
  server: {
    preflight: goodPreflight(),
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      307,
    ),
    hopPreflight: goodPreflight(),
    actual: goodActual(),
  },
});
add({
  id: "redirect-307-put-cross-origin-null",
  title: "PUT + X-Foo redirected 307 cross-origin, new preflight and target answer null",
  expect: "allowed",
  request: preflightedPut(),
  server: {
    preflight: goodPreflight(),
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      307,
    ),
    hopPreflight: resp(
      [
        [ACAO, "null"],
        [ACAM, "PUT"],
        [ACAH, "X-Foo"],
      ],
      204,
    ),
    actual: resp([[ACAO, "null"]]),
  },
});
add({
  id: "redirect-307-put-cross-origin-no-preflight-cors",
  title: "PUT redirected 307 cross-origin, the new preflight has no CORS headers",
  expect: "preflight-acao-missing",
  request: preflightedPut(),
  server: {
    preflight: goodPreflight(),
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop2}"],
      ],
      307,
    ),
    hopPreflight: resp([], 404),
    actual: goodActual(),
  },
});
add({
  id: "redirect-303-post-to-get",
  title: "POST text/plain redirected 303 (becomes GET)",
  expect: "allowed",
  request: { method: "POST", headers: [["Content-Type", "text/plain"]], credentials: "omit", body: "hello" },
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      303,
    ),
    actual: goodActual(),
  },
});
add({
  id: "redirect-location-userpass",
  title: "GET redirected to a Location with user:pass@",
  expect: "redirect-location-has-credentials",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hopUserPass}"],
      ],
      302,
    ),
    actual: goodActual(),
  },
});
add({
  id: "redirect-manual-with-acao",
  title: "redirect: 'manual', the 3xx has ACAO",
  expect: "allowed",
  request: { ...simpleGet(), redirect: "manual" },
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      302,
    ),
    actual: goodActual(),
  },
});
add({
  id: "redirect-manual-without-acao",
  title: "redirect: 'manual', the 3xx lacks ACAO",
  expect: "acao-missing",
  request: { ...simpleGet(), redirect: "manual" },
  server: { redirect: resp([["Location", "{hop}"]], 302), actual: goodActual() },
});
add({
  id: "redirect-to-error-status-with-acao",
  title: "GET redirected to a 404 that has ACAO",
  expect: "allowed",
  request: simpleGet(),
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      302,
    ),
    actual: resp([[ACAO, "{origin}"]], 404),
  },
});
add({
  id: "redirect-302-without-location",
  title: "GET answered 302 without Location, with ACAO",
  expect: "allowed",
  request: simpleGet(),
  server: { actual: resp([[ACAO, "{origin}"]], 302) },
});
add({
  id: "redirect-302-without-location-no-acao",
  title: "GET answered 302 without Location or ACAO",
  expect: "acao-missing",
  request: simpleGet(),
  server: { actual: resp([], 302) },
});

// ---------------------------------------------------------------------------------------------------
// 8. Error statuses: the CORS check does not care about the status (#http-responses).
for (const status of [400, 401, 403, 404, 409, 429, 500, 502, 503]) {
  add({
    id: `status-${status}-with-acao`,
    title: `GET answered ${status} with ACAO`,
    expect: "allowed",
    request: simpleGet(),
    server: { actual: resp([[ACAO, "{origin}"]], status) },
  });
  add({
    id: `status-${status}-without-acao`,
    title: `GET answered ${status} without ACAO`,
    expect: "acao-missing",
    request: simpleGet(),
    server: { actual: resp([], status) },
  });
}
add({
  id: "status-500-put-with-acao",
  title: "PUT (preflight fine) answered 500 with ACAO",
  expect: "allowed",
  request: preflightedPut(),
  server: { preflight: goodPreflight(), actual: resp([[ACAO, "{origin}"]], 500) },
});
add({
  id: "status-401-put-without-acao",
  title: "PUT (preflight fine) answered 401 without ACAO",
  expect: "acao-missing",
  request: preflightedPut(),
  server: { preflight: goodPreflight(), actual: resp([], 401) },
});
add({
  id: "status-204-with-acao",
  title: "GET answered 204 with ACAO",
  expect: "allowed",
  request: simpleGet(),
  server: { actual: resp([[ACAO, "{origin}"]], 204) },
});

// ---------------------------------------------------------------------------------------------------
// 9. Which request headers are CORS-safelisted (#cors-safelisted-request-header). The preflight here
//    allows the method but no headers, so "blocked" means "the browser sent a preflight for this header";
//    the *-allowed twin lists the header and shows the request passes once it is allowed.
/** @type {{ key: string, method?: string, headers: HeaderLine[], expect: string, acah: string }[]} */
const safelistCases = [
  { key: "content-type-text-plain", headers: [["Content-Type", "text/plain"]], expect: "allowed", acah: "Content-Type" },
  {
    key: "content-type-text-plain-charset",
    headers: [["Content-Type", "text/plain;charset=utf-8"]],
    expect: "allowed",
    acah: "Content-Type",
  },
  {
    key: "content-type-text-plain-charset-space",
    headers: [["Content-Type", "text/plain; charset=UTF-8"]],
    expect: "allowed",
    acah: "Content-Type",
  },
  {
    key: "content-type-quoted-parameter",
    headers: [["Content-Type", 'text/plain; charset="utf-8"']],
    expect: "preflight-header-not-allowed",
    acah: "Content-Type",
  },
  {
    key: "content-type-two-types",
    headers: [["Content-Type", "text/plain, application/json"]],
    expect: "preflight-header-not-allowed",
    acah: "Content-Type",
  },
  {
    key: "content-type-json",
    headers: [["Content-Type", "application/json"]],
    expect: "preflight-header-not-allowed",
    acah: "Content-Type",
  },
  { key: "content-type-multipart", headers: [["Content-Type", "multipart/form-data"]], expect: "allowed", acah: "Content-Type" },
  {
    key: "content-type-multipart-boundary",
    headers: [["Content-Type", "multipart/form-data; boundary=xyz"]],
    expect: "allowed",
    acah: "Content-Type",
  },
  {
    key: "content-type-urlencoded",
    headers: [["Content-Type", "application/x-www-form-urlencoded"]],
    expect: "allowed",
    acah: "Content-Type",
  },
  { key: "content-type-upper-case", headers: [["Content-Type", "TEXT/PLAIN"]], expect: "allowed", acah: "Content-Type" },
  { key: "content-type-text-html", headers: [["Content-Type", "text/html"]], expect: "preflight-header-not-allowed", acah: "Content-Type" },
  { key: "content-type-no-subtype", headers: [["Content-Type", "text"]], expect: "preflight-header-not-allowed", acah: "Content-Type" },
  { key: "content-type-trailing-semicolon", headers: [["Content-Type", "text/plain;"]], expect: "allowed", acah: "Content-Type" },
  { key: "accept-json", headers: [["Accept", "application/json"]], expect: "allowed", acah: "Accept" },
  { key: "accept-list", headers: [["Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.8"]], expect: "allowed", acah: "Accept" },
  { key: "accept-unsafe-quote", headers: [["Accept", 'application/"json"']], expect: "preflight-header-not-allowed", acah: "Accept" },
  { key: "accept-unsafe-parenthesis", headers: [["Accept", "text/plain (x)"]], expect: "preflight-header-not-allowed", acah: "Accept" },
  { key: "accept-unsafe-brace", headers: [["Accept", "{json}"]], expect: "preflight-header-not-allowed", acah: "Accept" },
  { key: "accept-unsafe-at", headers: [["Accept", "a@b"]], expect: "preflight-header-not-allowed", acah: "Accept" },
  { key: "accept-128-bytes", headers: [["Accept", "a".repeat(128)]], expect: "allowed", acah: "Accept" },
  { key: "accept-129-bytes", headers: [["Accept", "a".repeat(129)]], expect: "preflight-header-not-allowed", acah: "Accept" },
  { key: "accept-language-ok", headers: [["Accept-Language", "en-US,en;q=0.9"]], expect: "allowed", acah: "Accept-Language" },
  {
    key: "accept-language-underscore",
    headers: [["Accept-Language", "en_US"]],
    expect: "preflight-header-not-allowed",
    acah: "Accept-Language",
  },
  { key: "accept-language-bang", headers: [["Accept-Language", "fr!"]], expect: "preflight-header-not-allowed", acah: "Accept-Language" },
  {
    key: "accept-language-129-bytes",
    headers: [["Accept-Language", "e".repeat(129)]],
    expect: "preflight-header-not-allowed",
    acah: "Accept-Language",
  },
  { key: "content-language-ok", headers: [["Content-Language", "de-DE"]], expect: "allowed", acah: "Content-Language" },
  {
    key: "content-language-slash",
    headers: [["Content-Language", "de/DE"]],
    expect: "preflight-header-not-allowed",
    acah: "Content-Language",
  },
  {
    key: "content-language-colon",
    headers: [["Content-Language", "de:DE"]],
    expect: "preflight-header-not-allowed",
    acah: "Content-Language",
  },
  { key: "range-bytes-0-10", method: "GET", headers: [["Range", "bytes=0-10"]], expect: "allowed", acah: "Range" },
  { key: "range-open-end", method: "GET", headers: [["Range", "bytes=0-"]], expect: "allowed", acah: "Range" },
  { key: "range-suffix", method: "GET", headers: [["Range", "bytes=-500"]], expect: "preflight-header-not-allowed", acah: "Range" },
  { key: "range-reversed", method: "GET", headers: [["Range", "bytes=10-5"]], expect: "preflight-header-not-allowed", acah: "Range" },
  { key: "range-multi", method: "GET", headers: [["Range", "bytes=0-10,20-30"]], expect: "preflight-header-not-allowed", acah: "Range" },
  { key: "range-whitespace", method: "GET", headers: [["Range", "bytes = 0-10"]], expect: "preflight-header-not-allowed", acah: "Range" },
  {
    key: "x-requested-with",
    headers: [["X-Requested-With", "XMLHttpRequest"]],
    expect: "preflight-header-not-allowed",
    acah: "X-Requested-With",
  },
  {
    key: "four-safelisted-128-bytes",
    headers: [
      ["Accept", "a".repeat(128)],
      ["Accept-Language", "e".repeat(128)],
      ["Content-Language", "d".repeat(128)],
      ["Content-Type", `text/plain;x=${"p".repeat(115)}`],
    ],
    expect: "allowed",
    acah: "Accept, Accept-Language, Content-Language, Content-Type",
  },
  {
    key: "appended-accept-over-128",
    headers: [
      ["Accept", "a".repeat(70)],
      ["Accept", "b".repeat(70)],
    ],
    expect: "preflight-header-not-allowed",
    acah: "Accept",
  },
];
for (const c of safelistCases) {
  const method = c.method ?? "POST";
  for (const allowed of [false, true]) {
    /** @type {HeaderLine[]} */
    const pre = [
      [ACAO, "{origin}"],
      [ACAM, "PUT"],
    ];
    if (allowed) pre.push([ACAH, c.acah]);
    add({
      id: `safelist-${c.key}${allowed ? "-allowed" : ""}`,
      title: `${method} with ${c.headers.map(([n, v]) => `${n}: ${v.length > 40 ? `${v.slice(0, 20)}…(${v.length} bytes)` : v}`).join(" + ")}; preflight ${allowed ? `allows ${c.acah}` : "allows no header"}`,
      expect: allowed ? "allowed" : c.expect,
      request: { method, headers: c.headers, credentials: "omit", ...(method === "GET" ? {} : { body: "x" }) },
      server: { preflight: resp(pre, 204), actual: goodActual() },
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// 10. Simple methods and the 127.0.0.1 spelling of the API (cross-origin by port only).
add({
  id: "method-head",
  title: "HEAD with ACAO",
  expect: "allowed",
  request: { method: "HEAD", headers: [], credentials: "omit" },
  server: { actual: goodActual() },
});
add({
  id: "method-head-no-acao",
  title: "HEAD without ACAO",
  expect: "acao-missing",
  request: { method: "HEAD", headers: [], credentials: "omit" },
  server: { actual: resp([]) },
});
add({
  id: "method-post-simple",
  title: "POST text/plain body with ACAO",
  expect: "allowed",
  request: { method: "POST", headers: [], credentials: "omit", body: "hello" },
  server: { actual: goodActual() },
});
add({
  id: "method-post-simple-no-acao",
  title: "POST text/plain body without ACAO (request reaches the server)",
  expect: "acao-missing",
  request: { method: "POST", headers: [], credentials: "omit", body: "hello" },
  server: { actual: resp([]) },
});
add({
  id: "method-put-no-preflight-handler",
  title: "PUT where the server answers OPTIONS with 405 and no headers",
  expect: "preflight-acao-missing",
  request: preflightedPut(),
  server: { actual: goodActual() },
});
add({
  id: "preflight-ok-actual-missing",
  title: "PUT: preflight fine, actual response lacks ACAO",
  expect: "acao-missing",
  request: preflightedPut(),
  server: { preflight: goodPreflight(), actual: resp([]) },
});
add({
  id: "preflight-ok-actual-mismatch",
  title: "PUT: preflight fine, actual ACAO is another origin",
  expect: "acao-mismatch",
  request: preflightedPut(),
  server: { preflight: goodPreflight(), actual: resp([[ACAO, "http://other.test"]]) },
});
add({
  id: "preflight-ok-actual-ok",
  title: "PUT: preflight and actual both fine",
  expect: "allowed",
  request: preflightedPut(),
  server: { preflight: goodPreflight(), actual: goodActual() },
});
add({
  id: "preflight-wildcard-everything",
  title: "PUT: preflight ACAO/ACAM/ACAH all *",
  expect: "allowed",
  request: preflightedPut(),
  server: {
    preflight: resp(
      [
        [ACAO, "*"],
        [ACAM, "*"],
        [ACAH, "*"],
      ],
      204,
    ),
    actual: resp([[ACAO, "*"]]),
  },
});
add({
  id: "ip-host-exact-origin",
  title: "API reached as 127.0.0.1:Q, ACAO exact",
  expect: "allowed",
  request: { ...simpleGet(), apiHost: "127.0.0.1" },
  server: { actual: goodActual() },
});
add({
  id: "ip-host-localhost-origin",
  title: "API reached as 127.0.0.1:Q, ACAO http://localhost:P",
  expect: "acao-mismatch-other-valid-origin",
  request: { ...simpleGet(), apiHost: "127.0.0.1" },
  server: { actual: resp([[ACAO, "http://localhost:{pagePort}"]]) },
});
add({
  id: "ip-host-missing",
  title: "API reached as 127.0.0.1:Q, no ACAO",
  expect: "acao-missing",
  request: { ...simpleGet(), apiHost: "127.0.0.1" },
  server: { actual: resp([]) },
});
add({
  id: "ip-host-cred-allowed",
  title: "credentialed GET to 127.0.0.1:Q, ACAO exact + ACAC true",
  expect: "allowed",
  request: { ...simpleGet("include"), apiHost: "127.0.0.1" },
  server: { actual: goodActualCred() },
});
add({
  id: "ip-host-preflight",
  title: "PUT to 127.0.0.1:Q, preflight fine",
  expect: "allowed",
  request: { ...preflightedPut(), apiHost: "127.0.0.1" },
  server: { preflight: goodPreflight(), actual: goodActual() },
});

/** The scenario table, in recording order. */
export const scenarios = list;

/** @type {Map<string, Scenario>} */
export const scenarioById = new Map(list.map((s) => [s.id, s]));

if (scenarioById.size !== list.length) {
  const seen = new Set();
  for (const s of list) {
    if (seen.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
    seen.add(s.id);
  }
}
for (const s of list) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(s.id)) throw new Error(`scenario id not kebab-case: ${s.id}`);
}
