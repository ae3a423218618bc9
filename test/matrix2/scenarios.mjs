// The matrix2 cases: failures that look like CORS but are not a CORS check (taxonomy A.5), root causes outside
// the headers (cookies, another extension, exposed headers), other initiators (XHR, worker, iframe, service
// worker, fonts, images, module scripts), and loads CORS does not govern (no-cors, beacons) that must not be
// reported as blocked. Every page is https on a real host name (app.test …), resolved to loopback by the browser.
//
// `expect` is what we aimed at; the browsers decide (the recorder derives each browser's truth from its own
// signals, test/matrix2/truth.mjs, and SIGNALS.md lists where it differs from the aim).
// Ids start with their class; a few prefixes are load-bearing: the test-only blocker extension's rules match
// "/m/dnr-block-", "/m/dnr-preflight-block", "/m/dnr-remove-acao", "/m/dnr-set-acao-wrong", "/m/dnr-add-acao",
// "/m/dnr-remove-acah" (test/fixtures/matrix2/dnr-extension/rules.json).
//
// Header value tokens (server.mjs): {origin} the request's Origin header, {pageOrigin} https://app.test:MAIN,
// {self} the origin the request reached, {hop} same-origin redirect target, {hopOther} the hop on other.test.

/**
 * @typedef {[string, string]} HeaderLine
 * @typedef {{ status: number, headers: HeaderLine[], body?: string, bodyKind?: "png"|"font"|"module"|"script"|"json",
 *   delayMs?: number }} ResponseSpec
 * @typedef {{ preflight?: ResponseSpec, actual: ResponseSpec, redirect?: ResponseSpec, hop?: ResponseSpec,
 *   hopPreflight?: ResponseSpec, requireCookie?: string }} ServerSpec
 * @typedef {"main"|"pub"|"plain"|"wrongname"|"expired"|"unknown"|"reset"|"empty"|"hang"|"refused"} ServerName
 * @typedef {{ server?: ServerName, host?: string, headers?: HeaderLine[] }} PageSpec
 * @typedef {"fetch"|"xhr"|"worker"|"iframe"|"sw"|"sw-passthrough"|"img"|"font"|"font-css"|"module"|"script"|"beacon"} ActionKind
 * @typedef {{
 *   kind: ActionKind,
 *   server?: ServerName, host?: string, scheme?: "http"|"https",
 *   init?: { method?: string, headers?: [string, string][], credentials?: string, mode?: string, redirect?: string,
 *            body?: string, integrity?: string, targetAddressSpace?: string },
 *   crossOrigin?: "anonymous"|"use-credentials",
 *   integrity?: string,
 *   readHeader?: string,
 *   abortAfterMs?: number,
 *   detached?: boolean,
 *   srcBy?: "property"|"setAttribute",
 *   offline?: boolean,
 *   setup?: "cookies"|"partitioned-cookie",
 * }} ActionSpec
 * @typedef {{ verdict: "blocked"|"not-blocked"|"cancelled", id?: string, finding?: string }} Expectation
 * @typedef {{ id: string, cls: string, title: string, page: PageSpec, action: ActionSpec, server: ServerSpec, expect: Expectation }} Scenario
 */

/** A 1×1 transparent PNG. */
export const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

const ACAO = "Access-Control-Allow-Origin";
const ACAC = "Access-Control-Allow-Credentials";
const ACAM = "Access-Control-Allow-Methods";
const ACAH = "Access-Control-Allow-Headers";
const ACEH = "Access-Control-Expose-Headers";

/** @param {HeaderLine[]} headers @param {number} [status] @param {Partial<ResponseSpec>} [more] @returns {ResponseSpec} */
const resp = (headers, status = 200, more = {}) => ({ status, headers, ...more });
const okCors = (/** @type {Partial<ResponseSpec>} */ more = {}) => resp([[ACAO, "{origin}"]], 200, more);
const okCred = () =>
  resp([
    [ACAO, "{origin}"],
    [ACAC, "true"],
  ]);
const noCors = (/** @type {Partial<ResponseSpec>} */ more = {}) => resp([], 200, more);
const goodPreflight = () =>
  resp(
    [
      [ACAO, "{origin}"],
      [ACAM, "PUT, DELETE"],
      [ACAH, "X-Foo"],
    ],
    204,
  );
const put = () => ({ method: "PUT", headers: /** @type {[string, string][]} */ ([["X-Foo", "1"]]), body: "x" });
const corsServer = () => ({ preflight: goodPreflight(), actual: okCors() });

/** @type {Scenario[]} */
const list = [];
/**
 * @param {string} id @param {string} cls @param {string} title @param {ActionSpec} action
 * @param {Expectation} expect @param {{ page?: PageSpec, server?: ServerSpec }} [more]
 */
function add(id, cls, title, action, expect, more = {}) {
  list.push({ id, cls, title, page: more.page ?? {}, action, server: more.server ?? corsServer(), expect });
}
/** @param {string} id @returns {Expectation} */
const blocked = (id) => ({ verdict: "blocked", id });
/** @param {string} [finding] @returns {Expectation} */
const fine = (finding) => ({ verdict: "not-blocked", ...(finding ? { finding } : {}) });

// ---------------------------------------------------------------------------------------------------------
// 1. Network failures, each from five initiators: the page's fetch, XHR, a dedicated worker, a cross-origin
//    iframe (other.test) and a service worker (page on site2.test). The browser never got a response.
const INITIATORS = /** @type {const} */ (["fetch", "xhr", "worker", "iframe", "sw"]);
/** @type {[string, ServerName, string, string][]} */
const NETWORK = [
  ["refused", "refused", "api.test", "not-cors-network-refused"],
  ["dns", "main", "nx.onion", "not-cors-network-dns"],
  ["tls-unknown-ca", "unknown", "api.test", "not-cors-network-tls"],
  ["tls-wrong-name", "wrongname", "api.test", "not-cors-network-tls"],
  ["tls-expired", "expired", "api.test", "not-cors-network-tls"],
  ["reset", "reset", "api.test", "not-cors-network-other"],
  ["empty", "empty", "api.test", "not-cors-network-other"],
];
for (const [key, server, host, id] of NETWORK) {
  for (const kind of INITIATORS) {
    add(
      `net-${key}-${kind}`,
      "network",
      `${key} (${kind})`,
      { kind, server, host },
      blocked(id),
      kind === "sw" ? { page: { host: "site2.test" } } : {},
    );
  }
  // A preflighted request: the preflight is what fails on the wire.
  add(`net-${key}-put`, "network", `${key}, preflighted PUT`, { kind: "fetch", server, host, init: put() }, blocked(id));
}
add(
  "net-offline-fetch",
  "network",
  "browser offline (emulated), fetch",
  { kind: "fetch", offline: true },
  blocked("not-cors-network-offline"),
);
add("net-offline-xhr", "network", "browser offline (emulated), XHR", { kind: "xhr", offline: true }, blocked("not-cors-network-offline"));
add(
  "net-offline-put",
  "network",
  "browser offline (emulated), preflighted PUT",
  { kind: "fetch", offline: true, init: put() },
  blocked("not-cors-network-offline"),
);

// ---------------------------------------------------------------------------------------------------------
// 2. Another extension (the test-only declarativeNetRequest blocker) blocks or rewrites.
add("dnr-block-get", "extension", "blocked by an extension: GET", { kind: "fetch" }, blocked("not-cors-blocked-by-client"));
add(
  "dnr-block-put",
  "extension",
  "blocked by an extension: preflighted PUT",
  { kind: "fetch", init: put() },
  blocked("not-cors-blocked-by-client"),
);
add("dnr-block-xhr", "extension", "blocked by an extension: XHR", { kind: "xhr" }, blocked("not-cors-blocked-by-client"));
add("dnr-block-worker", "extension", "blocked by an extension: worker fetch", { kind: "worker" }, blocked("not-cors-blocked-by-client"));
add(
  "dnr-block-img",
  "extension",
  "blocked by an extension: <img crossorigin>",
  { kind: "img", crossOrigin: "anonymous" },
  blocked("not-cors-blocked-by-client"),
  { server: { actual: okCors({ bodyKind: "png" }) } },
);
// A canvas or WebGL texture loader's `new Image()`, never attached: its error event reaches only the image itself.
add(
  "dnr-block-img-detached",
  "extension",
  "blocked by an extension: new Image() with crossOrigin, never attached",
  { kind: "img", crossOrigin: "anonymous", detached: true },
  blocked("not-cors-blocked-by-client"),
  { server: { actual: okCors({ bodyKind: "png" }) } },
);
// The same loader giving the source with setAttribute("src", …) instead of the property.
add(
  "dnr-block-img-detached-setattr",
  "extension",
  "blocked by an extension: new Image() with crossOrigin, never attached, src by setAttribute",
  { kind: "img", crossOrigin: "anonymous", detached: true, srcBy: "setAttribute" },
  blocked("not-cors-blocked-by-client"),
  { server: { actual: okCors({ bodyKind: "png" }) } },
);
add(
  "dnr-block-cred",
  "extension",
  "blocked by an extension: credentialed GET",
  { kind: "fetch", init: { credentials: "include" } },
  blocked("not-cors-blocked-by-client"),
  { server: { actual: okCred() } },
);
add(
  "dnr-preflight-block-put",
  "extension",
  "an extension blocks the preflight only (PUT)",
  { kind: "fetch", init: put() },
  blocked("not-cors-blocked-by-client"),
);
add(
  "dnr-preflight-block-delete",
  "extension",
  "an extension blocks the preflight only (DELETE + X-Foo)",
  { kind: "fetch", init: { method: "DELETE", headers: [["X-Foo", "1"]] } },
  blocked("not-cors-blocked-by-client"),
);
add(
  "dnr-remove-acao-get",
  "extension",
  "an extension removes ACAO from a good response",
  { kind: "fetch" },
  blocked("cors:MissingAllowOriginHeader"),
);
add(
  "dnr-remove-acao-put",
  "extension",
  "an extension removes ACAO from the preflight and the actual",
  { kind: "fetch", init: put() },
  blocked("cors:PreflightMissingAllowOriginHeader"),
);
add(
  "dnr-set-acao-wrong-get",
  "extension",
  "an extension replaces ACAO with another origin",
  { kind: "fetch" },
  blocked("cors:AllowOriginMismatch"),
);
add("dnr-add-acao-get", "extension", "an extension adds ACAO * to a response without it", { kind: "fetch" }, fine(), {
  server: { actual: noCors() },
});
add(
  "dnr-remove-acah-put",
  "extension",
  "an extension removes Access-Control-Allow-Headers from the preflight",
  { kind: "fetch", init: put() },
  blocked("cors:HeaderDisallowedByPreflightResponse"),
);

// ---------------------------------------------------------------------------------------------------------
// 3. Mixed content: the https page calls http://api.test (the plain server).
const HTTP_API = /** @type {const} */ ({ server: "plain" });
add(
  "mixed-fetch-get",
  "mixed-content",
  "https page → http API, fetch GET",
  { kind: "fetch", ...HTTP_API },
  blocked("not-cors-mixed-content"),
);
add(
  "mixed-fetch-put",
  "mixed-content",
  "https page → http API, preflighted PUT",
  { kind: "fetch", ...HTTP_API, init: put() },
  blocked("not-cors-mixed-content"),
);
add(
  "mixed-fetch-cred",
  "mixed-content",
  "https page → http API, credentialed GET",
  { kind: "fetch", ...HTTP_API, init: { credentials: "include" } },
  blocked("not-cors-mixed-content"),
);
add("mixed-xhr", "mixed-content", "https page → http API, XHR", { kind: "xhr", ...HTTP_API }, blocked("not-cors-mixed-content"));
add(
  "mixed-worker",
  "mixed-content",
  "https page → http API, worker fetch",
  { kind: "worker", ...HTTP_API },
  blocked("not-cors-mixed-content"),
);
add("mixed-iframe", "mixed-content", "https iframe → http API", { kind: "iframe", ...HTTP_API }, blocked("not-cors-mixed-content"));
add(
  "mixed-sw",
  "mixed-content",
  "service worker of an https page → http API",
  { kind: "sw", ...HTTP_API },
  blocked("not-cors-mixed-content"),
  { page: { host: "site2.test" } },
);
add(
  "mixed-module",
  "mixed-content",
  "https page imports an http module",
  { kind: "module", ...HTTP_API },
  blocked("not-cors-mixed-content"),
  { server: { actual: okCors({ bodyKind: "module" }) } },
);
add("mixed-font", "mixed-content", "https page loads an http font", { kind: "font", ...HTTP_API }, blocked("not-cors-mixed-content"), {
  server: { actual: okCors({ bodyKind: "font" }) },
});
add(
  "mixed-font-css",
  "mixed-content",
  "https page's @font-face rule with an http source",
  { kind: "font-css", ...HTTP_API },
  blocked("not-cors-mixed-content"),
  { server: { actual: okCors({ bodyKind: "font" }) } },
);
add(
  "mixed-nocors",
  "mixed-content",
  "https page → http API, no-cors fetch",
  { kind: "fetch", ...HTTP_API, init: { mode: "no-cors" } },
  blocked("not-cors-mixed-content"),
);
add("mixed-redirect-hop", "mixed-content", "https API redirects to http", { kind: "fetch" }, blocked("not-cors-mixed-content"), {
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "http://api.test:{plainPort}/m/mixed-redirect-hop/hop"],
      ],
      302,
    ),
    actual: okCors(),
  },
});
add(
  "mixed-localhost-allowed",
  "mixed-content",
  "https page → http://localhost (potentially trustworthy): allowed",
  { kind: "fetch", ...HTTP_API, host: "localhost" },
  fine(),
);
add(
  "mixed-loopback-ip-allowed",
  "mixed-content",
  "https page → http://127.0.0.1 (potentially trustworthy): allowed",
  { kind: "fetch", ...HTTP_API, host: "127.0.0.1" },
  fine(),
);

// ---------------------------------------------------------------------------------------------------------
// 4. The page's own CSP.
const CSP_SELF = /** @type {PageSpec} */ ({ headers: [["Content-Security-Policy", "connect-src 'self'"]] });
add("csp-fetch-get", "csp", "connect-src 'self' forbids the API: fetch", { kind: "fetch" }, blocked("not-cors-csp-connect-src"), {
  page: CSP_SELF,
});
add("csp-fetch-put", "csp", "connect-src 'self': preflighted PUT", { kind: "fetch", init: put() }, blocked("not-cors-csp-connect-src"), {
  page: CSP_SELF,
});
add("csp-xhr", "csp", "connect-src 'self': XHR", { kind: "xhr" }, blocked("not-cors-csp-connect-src"), { page: CSP_SELF });
add("csp-beacon", "csp", "connect-src 'self': sendBeacon", { kind: "beacon" }, blocked("not-cors-csp-connect-src"), { page: CSP_SELF });
add(
  "csp-default-src",
  "csp",
  "default-src 'self' (no connect-src) forbids the API",
  { kind: "fetch" },
  blocked("not-cors-csp-connect-src"),
  { page: { headers: [["Content-Security-Policy", "default-src 'self' 'unsafe-inline'"]] } },
);
add("csp-allows-api", "csp", "connect-src lists the API: allowed", { kind: "fetch" }, fine(), {
  page: { headers: [["Content-Security-Policy", "connect-src 'self' https://api.test:*"]] },
});
add(
  "csp-redirect-hop",
  "csp",
  "connect-src allows api.test, the API redirects to other.test",
  { kind: "fetch" },
  blocked("not-cors-csp-connect-src"),
  {
    page: { headers: [["Content-Security-Policy", "connect-src 'self' https://api.test:*"]] },
    server: {
      redirect: resp(
        [
          [ACAO, "{origin}"],
          ["Location", "{hopOther}"],
        ],
        302,
      ),
      actual: okCors(),
    },
  },
);
add("csp-report-only", "csp", "Content-Security-Policy-Report-Only does not block", { kind: "fetch" }, fine(), {
  page: { headers: [["Content-Security-Policy-Report-Only", "connect-src 'self'"]] },
});

// ---------------------------------------------------------------------------------------------------------
// 5. CORP / COEP.
const COEP = /** @type {PageSpec} */ ({ headers: [["Cross-Origin-Embedder-Policy", "require-corp"]] });
add(
  "corp-same-origin-nocors",
  "corp-coep",
  "CORP same-origin on a cross-origin no-cors fetch",
  { kind: "fetch", init: { mode: "no-cors" } },
  blocked("not-cors-corp-coep"),
  { server: { actual: resp([["Cross-Origin-Resource-Policy", "same-origin"]]) } },
);
add(
  "corp-same-site-nocors",
  "corp-coep",
  "CORP same-site on a cross-site no-cors fetch",
  { kind: "fetch", init: { mode: "no-cors" } },
  blocked("not-cors-corp-coep"),
  { server: { actual: resp([["Cross-Origin-Resource-Policy", "same-site"]]) } },
);
add("corp-same-origin-img", "corp-coep", "CORP same-origin on a cross-origin <img>", { kind: "img" }, blocked("not-cors-corp-coep"), {
  server: { actual: resp([["Cross-Origin-Resource-Policy", "same-origin"]], 200, { bodyKind: "png" }) },
});
add("corp-cross-origin-img", "corp-coep", "CORP cross-origin on an <img>: allowed", { kind: "img" }, fine(), {
  server: { actual: resp([["Cross-Origin-Resource-Policy", "cross-origin"]], 200, { bodyKind: "png" }) },
});
add("corp-ignored-for-cors", "corp-coep", "CORP same-origin on a CORS fetch with ACAO: CORP does not apply", { kind: "fetch" }, fine(), {
  server: {
    actual: resp([
      [ACAO, "{origin}"],
      ["Cross-Origin-Resource-Policy", "same-origin"],
    ]),
  },
});
add("coep-img-no-corp", "corp-coep", "COEP require-corp page, <img> without CORP", { kind: "img" }, blocked("not-cors-corp-coep"), {
  page: COEP,
  server: { actual: noCors({ bodyKind: "png" }) },
});
add(
  "coep-nocors-no-corp",
  "corp-coep",
  "COEP require-corp page, no-cors fetch without CORP",
  { kind: "fetch", init: { mode: "no-cors" } },
  blocked("not-cors-corp-coep"),
  { page: COEP, server: { actual: noCors() } },
);
add(
  "coep-img-crossorigin-ok",
  "corp-coep",
  "COEP page, <img crossorigin> with ACAO: allowed",
  { kind: "img", crossOrigin: "anonymous" },
  fine(),
  { page: COEP, server: { actual: okCors({ bodyKind: "png" }) } },
);
add(
  "coep-nocors-corp-cross-origin",
  "corp-coep",
  "COEP page, no-cors fetch with CORP cross-origin: allowed",
  { kind: "fetch", init: { mode: "no-cors" } },
  fine(),
  { page: COEP, server: { actual: resp([["Cross-Origin-Resource-Policy", "cross-origin"]]) } },
);
add("coep-credentialless-img", "corp-coep", "COEP credentialless page, <img> without CORP: allowed", { kind: "img" }, fine(), {
  page: { headers: [["Cross-Origin-Embedder-Policy", "credentialless"]] },
  server: { actual: noCors({ bodyKind: "png" }) },
});
add(
  "coep-cors-fetch-no-acao",
  "corp-coep",
  "COEP page, CORS fetch without ACAO: a CORS block, not COEP",
  { kind: "fetch" },
  blocked("cors:MissingAllowOriginHeader"),
  { page: COEP, server: { actual: noCors() } },
);

// ---------------------------------------------------------------------------------------------------------
// 6. ORB (Opaque Response Blocking) of no-cors loads.
add("orb-img-json", "orb", "<img> of a JSON response", { kind: "img" }, blocked("not-cors-orb"), {
  server: { actual: noCors({ bodyKind: "json" }) },
});
add("orb-img-html", "orb", "<img> of an HTML response", { kind: "img" }, blocked("not-cors-orb"), {
  server: { actual: resp([["Content-Type", "text/html"]], 200, { body: "<!doctype html><p>hi" }) },
});
add(
  "orb-nocors-fetch-json",
  "orb",
  "no-cors fetch of JSON: the page still gets an opaque response",
  { kind: "fetch", init: { mode: "no-cors" } },
  fine(),
  { server: { actual: noCors({ bodyKind: "json" }) } },
);
add("orb-script-json", "orb", "<script> (no-cors) of JSON", { kind: "script" }, blocked("not-cors-orb"), {
  server: { actual: noCors({ bodyKind: "json" }) },
});
add("orb-img-png-ok", "orb", "<img> of a real PNG: allowed", { kind: "img" }, fine(), { server: { actual: noCors({ bodyKind: "png" }) } });

// ---------------------------------------------------------------------------------------------------------
// 7. Local Network Access: the page is on pub.test (a server the browsers are told is public) and calls the
//    loopback API. Chromium: --ip-address-space-overrides; Firefox: network.lna.address_space.public.override.
const PUBLIC_PAGE = /** @type {PageSpec} */ ({ server: "pub", host: "pub.test" });
add("lna-fetch-get", "lna", "public page → loopback API, fetch GET", { kind: "fetch" }, blocked("not-cors-local-network-access"), {
  page: PUBLIC_PAGE,
});
add(
  "lna-fetch-put",
  "lna",
  "public page → loopback API, preflighted PUT",
  { kind: "fetch", init: put() },
  blocked("not-cors-local-network-access"),
  { page: PUBLIC_PAGE },
);
add(
  "lna-fetch-cred",
  "lna",
  "public page → loopback API, credentialed",
  { kind: "fetch", init: { credentials: "include" } },
  blocked("not-cors-local-network-access"),
  { page: PUBLIC_PAGE, server: { actual: okCred() } },
);
add(
  "lna-target-local",
  "lna",
  "public page → loopback with targetAddressSpace 'local' (wrong space)",
  { kind: "fetch", init: { targetAddressSpace: "local" } },
  blocked("not-cors-local-network-access"),
  { page: PUBLIC_PAGE },
);
add(
  "lna-target-loopback",
  "lna",
  "public page → loopback with targetAddressSpace 'loopback'",
  { kind: "fetch", init: { targetAddressSpace: "loopback" } },
  blocked("not-cors-local-network-access"),
  { page: PUBLIC_PAGE },
);
add("lna-xhr", "lna", "public page → loopback API, XHR", { kind: "xhr" }, blocked("not-cors-local-network-access"), { page: PUBLIC_PAGE });
add("lna-worker", "lna", "public page → loopback API, worker fetch", { kind: "worker" }, blocked("not-cors-local-network-access"), {
  page: PUBLIC_PAGE,
});
add("lna-img", "lna", "public page → loopback <img>", { kind: "img" }, blocked("not-cors-local-network-access"), {
  page: PUBLIC_PAGE,
  server: { actual: noCors({ bodyKind: "png" }) },
});
add(
  "lna-nocors",
  "lna",
  "public page → loopback, no-cors fetch",
  { kind: "fetch", init: { mode: "no-cors" } },
  blocked("not-cors-local-network-access"),
  { page: PUBLIC_PAGE },
);
add("lna-insecure-page", "lna", "public http page → loopback API", { kind: "fetch" }, blocked("not-cors-local-network-access"), {
  page: { server: "plain", host: "pub.test" },
});
add("lna-control-loopback-page", "lna", "loopback page → loopback API: no LNA check", { kind: "fetch" }, fine());

// ---------------------------------------------------------------------------------------------------------
// 8. Redirects the page forbade or the fetch standard refuses.
for (const status of [301, 302, 303, 307, 308]) {
  add(
    `redirect-error-${status}`,
    "redirect",
    `redirect: 'error' meets a ${status}`,
    { kind: "fetch", init: { redirect: "error" } },
    blocked("not-cors-redirect-mode"),
    {
      server: {
        redirect: resp(
          [
            [ACAO, "{origin}"],
            ["Location", "{hop}"],
          ],
          status,
        ),
        actual: okCors(),
      },
    },
  );
}
add(
  "redirect-error-no-acao",
  "redirect",
  "redirect: 'error' meets a 302 without ACAO",
  { kind: "fetch", init: { redirect: "error" } },
  blocked("not-cors-redirect-mode"),
  { server: { redirect: resp([["Location", "{hop}"]], 302), actual: okCors() } },
);
add(
  "redirect-manual-302",
  "redirect",
  "redirect: 'manual' meets a 302: an opaque-redirect response, not blocked",
  { kind: "fetch", init: { redirect: "manual" } },
  fine(),
  {
    server: {
      redirect: resp(
        [
          [ACAO, "{origin}"],
          ["Location", "{hop}"],
        ],
        302,
      ),
      actual: okCors(),
    },
  },
);
add("redirect-to-data", "redirect", "302 to a data: URL", { kind: "fetch" }, blocked("not-cors-redirect-mode"), {
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "data:text/plain,hello"],
      ],
      302,
    ),
    actual: okCors(),
  },
});
add(
  "redirect-to-data-nocors",
  "redirect",
  "302 to a data: URL, no-cors",
  { kind: "fetch", init: { mode: "no-cors" } },
  blocked("not-cors-redirect-mode"),
  { server: { redirect: resp([["Location", "data:text/plain,hello"]], 302), actual: okCors() } },
);
add("redirect-to-about", "redirect", "302 to about:blank", { kind: "fetch" }, blocked("not-cors-redirect-mode"), {
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "about:blank"],
      ],
      302,
    ),
    actual: okCors(),
  },
});
add("redirect-follow-ok", "redirect", "redirect: 'follow' to a good hop: allowed", { kind: "fetch" }, fine(), {
  server: {
    redirect: resp(
      [
        [ACAO, "{origin}"],
        ["Location", "{hop}"],
      ],
      302,
    ),
    actual: okCors(),
  },
});

// ---------------------------------------------------------------------------------------------------------
// 9. Subresource Integrity.
const WRONG_SRI = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
add(
  "sri-fetch-mismatch",
  "sri",
  "fetch with a wrong integrity",
  { kind: "fetch", init: { integrity: WRONG_SRI } },
  blocked("not-cors-sri"),
);
add(
  "sri-fetch-match",
  "sri",
  "fetch with the right integrity: allowed",
  { kind: "fetch", init: { integrity: "sha256-{bodySha256}" } },
  fine(),
  { server: { actual: okCors({ body: "sri-body" }) } },
);
add(
  "sri-script-mismatch",
  "sri",
  "<script crossorigin integrity> mismatch",
  { kind: "script", crossOrigin: "anonymous", integrity: WRONG_SRI },
  blocked("not-cors-sri"),
  { server: { actual: okCors({ bodyKind: "script" }) } },
);
add("sri-module-mismatch", "sri", "module <script integrity> mismatch", { kind: "module", integrity: WRONG_SRI }, blocked("not-cors-sri"), {
  server: { actual: okCors({ bodyKind: "module" }) },
});

// ---------------------------------------------------------------------------------------------------------
// 10. Cancelled by the page: never a CORS block.
add(
  "cancel-fetch-hang",
  "cancelled",
  "AbortController aborts a fetch the server never answers",
  { kind: "fetch", server: "hang", abortAfterMs: 300 },
  { verdict: "cancelled" },
);
add(
  "cancel-fetch-slow",
  "cancelled",
  "AbortController aborts a slow fetch (server answers with ACAO later)",
  { kind: "fetch", abortAfterMs: 300 },
  { verdict: "cancelled" },
  { server: { actual: okCors({ delayMs: 1500 }) } },
);
add(
  "cancel-fetch-slow-no-acao",
  "cancelled",
  "aborts a slow fetch whose answer would lack ACAO",
  { kind: "fetch", abortAfterMs: 300 },
  { verdict: "cancelled" },
  { server: { actual: noCors({ delayMs: 1500 }) } },
);
add(
  "cancel-put-slow-preflight",
  "cancelled",
  "aborts a PUT while its preflight is pending",
  { kind: "fetch", abortAfterMs: 300, init: put() },
  { verdict: "cancelled" },
  { server: { preflight: { ...goodPreflight(), delayMs: 1500 }, actual: okCors() } },
);
add(
  "cancel-xhr-slow",
  "cancelled",
  "xhr.abort() on a slow request",
  { kind: "xhr", abortAfterMs: 300 },
  { verdict: "cancelled" },
  { server: { actual: okCors({ delayMs: 1500 }) } },
);

// ---------------------------------------------------------------------------------------------------------
// 11. Cookies across two sites: app.test calls api.test with credentials. The API answers 401 without any CORS
//     header when its cookie is missing (as many auth middlewares do), so the browser reports a CORS error
//     whose root cause is the cookie. The cookies were set by a first-party visit to api.test (setup "cookies").
const authed = (/** @type {string} */ cookie) => ({ requireCookie: cookie, actual: okCred() });
add(
  "cookie-lax-default",
  "cookies",
  "cookie without SameSite (Lax by default) not sent cross-site → 401 without CORS headers",
  { kind: "fetch", init: { credentials: "include" }, setup: "cookies" },
  { ...blocked("cors:MissingAllowOriginHeader"), finding: "cookie-not-sent-samesite" },
  { server: authed("m2lax") },
);
add(
  "cookie-strict",
  "cookies",
  "SameSite=Strict cookie not sent cross-site → 401",
  { kind: "fetch", init: { credentials: "include" }, setup: "cookies" },
  { ...blocked("cors:MissingAllowOriginHeader"), finding: "cookie-not-sent-samesite" },
  { server: authed("m2strict") },
);
add(
  "cookie-none-insecure",
  "cookies",
  "SameSite=None without Secure (rejected when set) → 401",
  { kind: "fetch", init: { credentials: "include" }, setup: "cookies" },
  { ...blocked("cors:MissingAllowOriginHeader"), finding: "cookie-not-sent-insecure" },
  { server: authed("m2noneinsecure") },
);
add(
  "cookie-none-secure-3p",
  "cookies",
  "SameSite=None; Secure: a third-party cookie (blocked by default in Chromium) → 401",
  { kind: "fetch", init: { credentials: "include" }, setup: "cookies" },
  { ...blocked("cors:MissingAllowOriginHeader"), finding: "cookie-third-party-blocked" },
  { server: authed("m2none") },
);
add(
  "cookie-partitioned-sent",
  "cookies",
  "Partitioned cookie set in the app.test partition is sent: allowed",
  { kind: "fetch", init: { credentials: "include" }, setup: "partitioned-cookie" },
  fine(),
  { server: authed("m2part") },
);
add(
  "cookie-partitioned-other-top-level",
  "cookies",
  "Partitioned cookie set under another top-level site (site2.test) not sent → 401",
  { kind: "fetch", init: { credentials: "include" }, setup: "partitioned-cookie" },
  { ...blocked("cors:MissingAllowOriginHeader"), finding: "cookie-partitioned" },
  { page: { host: "other.test" }, server: authed("m2part") },
);
add(
  "cookie-omit-401",
  "cookies",
  "credentials omitted, server needs a cookie → 401 without CORS headers",
  { kind: "fetch", setup: "cookies" },
  blocked("cors:MissingAllowOriginHeader"),
  { server: authed("m2none") },
);

// ---------------------------------------------------------------------------------------------------------
// 12. Response headers the page reads.
add(
  "expose-missing",
  "expose-headers",
  "page reads X-Total, not exposed",
  { kind: "fetch", readHeader: "X-Total" },
  fine("response-header-not-exposed"),
  {
    server: {
      actual: resp([
        [ACAO, "{origin}"],
        ["X-Total", "7"],
      ]),
    },
  },
);
add("expose-listed", "expose-headers", "page reads X-Total, exposed", { kind: "fetch", readHeader: "X-Total" }, fine(), {
  server: {
    actual: resp([
      [ACAO, "{origin}"],
      ["X-Total", "7"],
      [ACEH, "X-Total"],
    ]),
  },
});
add("expose-wildcard", "expose-headers", "ACEH * without credentials exposes X-Total", { kind: "fetch", readHeader: "X-Total" }, fine(), {
  server: {
    actual: resp([
      [ACAO, "{origin}"],
      ["X-Total", "7"],
      [ACEH, "*"],
    ]),
  },
});
add(
  "expose-wildcard-cred",
  "expose-headers",
  "ACEH * with credentials is literal: X-Total not exposed",
  { kind: "fetch", readHeader: "X-Total", init: { credentials: "include" } },
  fine("response-header-not-exposed"),
  {
    server: {
      actual: resp([
        [ACAO, "{origin}"],
        [ACAC, "true"],
        ["X-Total", "7"],
        [ACEH, "*"],
      ]),
    },
  },
);
add("expose-safelisted", "expose-headers", "page reads Content-Type (safelisted)", { kind: "fetch", readHeader: "Content-Type" }, fine());

// ---------------------------------------------------------------------------------------------------------
// 13. Other initiators of CORS requests.
for (const kind of /** @type {const} */ (["xhr", "worker", "iframe", "sw", "sw-passthrough"])) {
  const page = kind.startsWith("sw") ? { host: "site2.test" } : {};
  add(`init-${kind}-ok`, "initiators", `${kind}: ACAO matches`, { kind }, fine(), { page });
  add(`init-${kind}-no-acao`, "initiators", `${kind}: no ACAO`, { kind }, blocked("cors:MissingAllowOriginHeader"), {
    page,
    server: { actual: noCors() },
  });
}
add(
  "init-worker-put-no-acah",
  "initiators",
  "worker: PUT whose preflight does not allow X-Foo",
  { kind: "worker", init: put() },
  blocked("cors:HeaderDisallowedByPreflightResponse"),
  {
    server: {
      preflight: resp(
        [
          [ACAO, "{origin}"],
          [ACAM, "PUT"],
        ],
        204,
      ),
      actual: okCors(),
    },
  },
);
add(
  "init-sw-cred-wildcard",
  "initiators",
  "service worker: credentialed fetch, ACAO *",
  { kind: "sw", init: { credentials: "include" } },
  blocked("cors:WildcardOriginNotAllowed"),
  { page: { host: "site2.test" }, server: { actual: resp([[ACAO, "*"]]) } },
);
add("font-ok", "fonts", "cross-origin font with ACAO", { kind: "font" }, fine(), { server: { actual: okCors({ bodyKind: "font" }) } });
add("font-no-acao", "fonts", "cross-origin font without ACAO", { kind: "font" }, blocked("cors:MissingAllowOriginHeader"), {
  server: { actual: noCors({ bodyKind: "font" }) },
});
add("font-wildcard", "fonts", "cross-origin font with ACAO *", { kind: "font" }, fine(), {
  server: { actual: resp([[ACAO, "*"]], 200, { bodyKind: "font" }) },
});
add("img-crossorigin-ok", "img", "<img crossorigin> with ACAO", { kind: "img", crossOrigin: "anonymous" }, fine(), {
  server: { actual: okCors({ bodyKind: "png" }) },
});
add(
  "img-crossorigin-no-acao",
  "img",
  "<img crossorigin> without ACAO",
  { kind: "img", crossOrigin: "anonymous" },
  blocked("cors:MissingAllowOriginHeader"),
  { server: { actual: noCors({ bodyKind: "png" }) } },
);
add(
  "img-use-credentials-wildcard",
  "img",
  "<img crossorigin=use-credentials> with ACAO *",
  { kind: "img", crossOrigin: "use-credentials" },
  blocked("cors:WildcardOriginNotAllowed"),
  { server: { actual: resp([[ACAO, "*"]], 200, { bodyKind: "png" }) } },
);
add("img-nocors-no-acao", "img", "<img> without crossorigin, no ACAO: a no-cors load, fine", { kind: "img" }, fine(), {
  server: { actual: noCors({ bodyKind: "png" }) },
});
add("module-ok", "modules", "cross-origin module script with ACAO", { kind: "module" }, fine(), {
  server: { actual: okCors({ bodyKind: "module" }) },
});
add("module-no-acao", "modules", "cross-origin module script without ACAO", { kind: "module" }, blocked("cors:MissingAllowOriginHeader"), {
  server: { actual: noCors({ bodyKind: "module" }) },
});
add("module-classic-nocors", "modules", "classic <script> without crossorigin, no ACAO: no-cors, fine", { kind: "script" }, fine(), {
  server: { actual: noCors({ bodyKind: "script" }) },
});
add(
  "module-script-crossorigin-no-acao",
  "modules",
  "classic <script crossorigin> without ACAO",
  { kind: "script", crossOrigin: "anonymous" },
  blocked("cors:MissingAllowOriginHeader"),
  { server: { actual: noCors({ bodyKind: "script" }) } },
);

// ---------------------------------------------------------------------------------------------------------
// 14. Loads CORS does not govern: never blocked.
add("nocors-beacon", "no-cors", "sendBeacon to an API without CORS headers", { kind: "beacon" }, fine(), { server: { actual: noCors() } });
add("nocors-beacon-cors-headers", "no-cors", "sendBeacon to an API with ACAO", { kind: "beacon" }, fine());
add("nocors-fetch-get", "no-cors", "no-cors fetch GET, no ACAO", { kind: "fetch", init: { mode: "no-cors" } }, fine(), {
  server: { actual: noCors() },
});
add(
  "nocors-fetch-post",
  "no-cors",
  "no-cors fetch POST text/plain, no ACAO",
  { kind: "fetch", init: { mode: "no-cors", method: "POST", body: "x" } },
  fine(),
  { server: { actual: noCors() } },
);
add("nocors-fetch-500", "no-cors", "no-cors fetch of a 500 without ACAO", { kind: "fetch", init: { mode: "no-cors" } }, fine(), {
  server: { actual: resp([], 500) },
});
add(
  "nocors-fetch-cred",
  "no-cors",
  "no-cors fetch with credentials, no ACAO",
  { kind: "fetch", init: { mode: "no-cors", credentials: "include" } },
  fine(),
  { server: { actual: noCors() } },
);

export const scenarios = list;
export const scenarioById = new Map(list.map((s) => [s.id, s]));
if (scenarioById.size !== list.length) throw new Error("duplicate scenario id in test/matrix2/scenarios.mjs");
