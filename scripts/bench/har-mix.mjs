// The deterministic HAR mix the benchmarks feed to every surface: a page at PAGE calling APIs the way real
// sessions do. Mostly allowed requests; preflights written after their actual request as Chrome DevTools'
// "Save all as HAR" does (`_resourceType: "preflight"`, `_initiator.type: "preflight"`); redirect chains;
// every kind of CORS failure the engine knows; same-origin noise; large header sets; some bodies.
// Everything comes from one seeded PRNG, so a seed and a size always give the same bytes.

/** Bump when the output changes, so cached inputs in bench/inputs/ are regenerated. */
export const GENERATOR_VERSION = 2;

export const PAGE = "http://127.0.0.1:5173";
const APIS = ["http://localhost:8080", "https://api.example.test", "https://cdn.example.test:8443"];
const OTHER_ORIGIN = "http://evil.example.test";

/** mulberry32: tiny, fast and good enough to pick cases; the same seed gives the same sequence everywhere. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hs = (pairs) => pairs.map(([name, value]) => ({ name, value }));

/**
 * Cases and weights. `kind` decides the entries; the weights make "mostly allowed" (≈ 70 %).
 * Failures cover the Chromium CorsError families: missing/mismatched/multiple/invalid ACAO (with the origin
 * near-misses: trailing slash, scheme, port, case, localhost vs 127.0.0.1, wildcard patterns), wildcard with
 * credentials, ACAC, preflight status/ACAO/ACAC/methods/headers (refused and unparsable), redirects (preflight
 * redirected, credentials in Location, redirect to a foreign origin), and network errors on either request.
 * On 30,000 entries the engine reports 25 distinct blocking finding ids.
 */
const CASES = [
  ["simple-ok", 30],
  ["simple-ok-credentials", 6],
  ["preflight-ok", 14],
  ["same-origin", 8],
  ["navigation", 2],
  ["image-no-cors", 4],
  ["redirect-ok", 4],
  ["large-headers-ok", 4],
  ["missing-acao", 3],
  ["acao-mismatch", 2],
  ["acao-multiple", 1],
  ["acao-null", 1],
  ["wildcard-credentials", 2],
  ["acac-missing", 2],
  ["preflight-status", 2],
  ["preflight-missing-acao", 2],
  ["preflight-method", 2],
  ["preflight-header", 3],
  ["preflight-redirect", 1],
  ["preflight-network-error", 1],
  ["redirect-foreign-blocked", 1],
  ["dynamic-acao-no-vary", 3],
  // The near-misses developers actually ship (taxonomy A.2 refinements of an origin mismatch).
  ["acao-trailing-slash", 1],
  ["acao-scheme", 1],
  ["acao-port", 1],
  ["acao-case", 1],
  ["acao-localhost-vs-127", 1],
  ["acao-wildcard-pattern", 1],
  ["acao-invalid", 1],
  ["preflight-allow-methods-invalid", 1],
  ["preflight-allow-headers-invalid", 1],
  ["redirect-credentials-in-location", 1],
  ["network-error", 1],
];
const TOTAL_WEIGHT = CASES.reduce((s, [, w]) => s + w, 0);

const WORDS = ["users", "orders", "items", "search", "graphql", "v2", "profile", "cart", "metrics", "events", "feed", "auth"];

function pick(rand, list) {
  return list[Math.floor(rand() * list.length)];
}

function caseOf(rand) {
  let r = rand() * TOTAL_WEIGHT;
  for (const [kind, w] of CASES) {
    if ((r -= w) < 0) return kind;
  }
  return CASES[0][0];
}

function token(rand, n) {
  let s = "";
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** Headers every browser request carries; `large` adds the long tail (cookies, tracing, client hints). */
function requestHeaders(rand, url, extra, large) {
  const h = [
    ["Accept", "application/json, text/plain, */*"],
    ["Accept-Encoding", "gzip, deflate, br, zstd"],
    ["Accept-Language", "en-GB,en;q=0.9"],
    ["Connection", "keep-alive"],
    ["Host", new URL(url).host],
    ["Referer", `${PAGE}/app`],
    ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"],
    ["sec-ch-ua", '"Chromium";v="156", "Not:A-Brand";v="24"'],
    ["sec-ch-ua-mobile", "?0"],
    ["sec-ch-ua-platform", '"Linux"'],
    ...extra,
  ];
  if (large) {
    const n = 30 + Math.floor(rand() * 50);
    for (let i = 0; i < n; i++) h.push([`X-Trace-${i}`, token(rand, 16 + Math.floor(rand() * 120))]);
    h.push(["Authorization", `Bearer ${token(rand, 600)}`]);
  }
  return h;
}

function responseHeaders(rand, extra, large) {
  const h = [
    ["Content-Type", "application/json; charset=utf-8"],
    ["Date", "Sat, 21 Nov 2026 10:00:00 GMT"],
    ["Server", "nginx/1.26.3"],
    ["Cache-Control", "no-store"],
    ...extra,
  ];
  if (large) {
    const n = 20 + Math.floor(rand() * 40);
    for (let i = 0; i < n; i++) h.push([`X-Backend-${i}`, token(rand, 24 + Math.floor(rand() * 80))]);
    h.push(["Content-Security-Policy", `default-src 'self'; script-src 'self' ${token(rand, 400)}`]);
  }
  return h;
}

function body(rand) {
  // About one response in five carries a body, from a few hundred bytes to a few tens of KB (JSON lists).
  if (rand() >= 0.2) return undefined;
  const n = Math.floor(rand() * rand() * 400) + 2;
  const items = [];
  for (let i = 0; i < n; i++)
    items.push(
      `{"id":${i},"name":"${token(rand, 8)}","tags":["${pick(rand, WORDS)}","${pick(rand, WORDS)}"],"score":${(rand() * 100).toFixed(3)}}`,
    );
  return `[${items.join(",")}]`;
}

/** Script-like text that `scriptBody` cuts response bodies from: built once, from its own seed. */
let scriptCorpus = "";
const SCRIPT_CORPUS_CHARS = 1 << 18;

/**
 * A response body as a DevTools export "with content" holds them: a bundle or a JSON document of 2 to 60 KB (with
 * the escapes JSON gives quotes, backslashes and newlines). Cut from a fixed corpus: fast, and the same for a seed.
 */
function scriptBody(rand) {
  if (!scriptCorpus) {
    const r = prng(7);
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 (){};=.,+-"\\\n';
    let text = "";
    while (text.length < SCRIPT_CORPUS_CHARS) text += alphabet[Math.floor(r() * alphabet.length)];
    scriptCorpus = text;
  }
  const n = 2000 + Math.floor(rand() * 58_000);
  const start = Math.floor(rand() * (SCRIPT_CORPUS_CHARS - n));
  return scriptCorpus.slice(start, start + n);
}

/** Builds entries in file order; `state` carries the clock and the DevTools request id counter. */
export class HarMix {
  /**
   * @param {number} [seed]
   * @param {{ content?: boolean }} [options] content: six responses in ten without a body of their own get one of
   *   2–60 KB (`scriptBody`), so that bodies are most of the file's bytes. The default mix is unchanged by it.
   */
  constructor(seed = 1, { content = false } = {}) {
    this.content = content;
    this.rand = prng(seed);
    this.clock = Date.parse("2026-11-21T10:00:00.000Z");
    this.requestId = 1000;
    this.n = 0;
  }

  entry({ method, url, request, status, response, resourceType = "fetch", error, redirectURL = "", text, initiator, time }) {
    const rand = this.rand;
    this.clock += 1 + Math.floor(rand() * 40);
    const id = String(this.requestId++);
    const t = time ?? 5 + Math.floor(rand() * 200);
    // With content, six answered requests in ten that carry no body of their own get one (never a failure or a preflight).
    const added = this.content && text === undefined && status > 0 && method !== "OPTIONS" && rand() < 0.6 ? scriptBody(rand) : undefined;
    const bodyText = text ?? added;
    const content = { size: bodyText ? bodyText.length : 0, mimeType: added ? "application/javascript" : "application/json" };
    if (bodyText) content.text = bodyText;
    const e = {
      _initiator: initiator ?? {
        type: "script",
        stack: { callFrames: [{ functionName: "load", scriptId: "12", url: `${PAGE}/assets/app.js`, lineNumber: 10, columnNumber: 4 }] },
      },
      _priority: "High",
      _resourceType: resourceType,
      cache: {},
      connection: String(40000 + Math.floor(rand() * 1000)),
      pageref: "page_1",
      request: {
        method,
        url,
        httpVersion: "HTTP/1.1",
        headers: hs(request),
        queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
        cookies: [],
        headersSize: -1,
        bodySize: method === "GET" || method === "OPTIONS" ? 0 : 64,
        ...(method === "POST" || method === "PUT"
          ? { postData: { mimeType: "application/json", text: `{"q":"${token(rand, 40)}"}` } }
          : {}),
      },
      response: {
        status,
        statusText: status === 0 ? "" : status === 200 ? "OK" : status === 204 ? "No Content" : status === 302 ? "Found" : "",
        httpVersion: status === 0 ? "" : "HTTP/1.1",
        headers: hs(response),
        cookies: [],
        content,
        redirectURL,
        headersSize: -1,
        bodySize: content.size,
        _transferSize: content.size + 300,
        _error: error ?? null,
      },
      serverIPAddress: "127.0.0.1",
      startedDateTime: new Date(this.clock).toISOString(),
      time: t,
      timings: { blocked: 1, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: t - 2, receive: 0.9, _blocked_queueing: 0.5 },
      _devtoolsId: id,
    };
    this.clock += Math.floor(t / 4);
    return e;
  }

  /** The entries of one request as the page issued it (1 to 3 entries). */
  next() {
    const rand = this.rand;
    const kind = caseOf(rand);
    this.lastKind = kind;
    const api = pick(rand, APIS);
    const n = this.n++;
    const path = `/${pick(rand, WORDS)}/${pick(rand, WORDS)}?n=${n}&k=${token(rand, 6)}`;
    const url = `${api}${path}`;
    const origin = ["Origin", PAGE];
    const fetchHeaders = [origin, ["Sec-Fetch-Mode", "cors"], ["Sec-Fetch-Site", "cross-site"], ["Sec-Fetch-Dest", "empty"]];
    const cookie = ["Cookie", `session=${token(rand, 32)}; theme=dark`];
    const vary = ["Vary", "Origin"];
    const okAcao = ["Access-Control-Allow-Origin", PAGE];
    const large = kind === "large-headers-ok" || rand() < 0.03;
    const get = (resp, extra = {}) =>
      this.entry({
        method: "GET",
        url,
        request: requestHeaders(rand, url, fetchHeaders, large),
        status: 200,
        response: responseHeaders(rand, resp, large),
        text: body(rand),
        ...extra,
      });
    // Chrome writes the actual request first, then its preflight (browser-recipes §3c).
    const preflighted = (method, reqExtra, preStatus, preResp, actual) => {
      const custom = reqExtra.map(([k]) => k.toLowerCase()).join(",");
      const requestId = String(this.requestId);
      const a = actual();
      const p = this.entry({
        method: "OPTIONS",
        url,
        request: requestHeaders(
          rand,
          url,
          [origin, ["Access-Control-Request-Method", method], ["Access-Control-Request-Headers", custom], ["Sec-Fetch-Mode", "cors"]],
          false,
        ),
        status: preStatus,
        response: preStatus === 0 ? [] : responseHeaders(rand, preResp, false),
        resourceType: "preflight",
        initiator: { type: "preflight", url, requestId },
        error: preStatus === 0 ? "net::ERR_CONNECTION_REFUSED" : undefined,
        time: 3,
      });
      return [a, p];
    };
    const write = (method, reqExtra, status, resp, error) =>
      this.entry({
        method,
        url,
        request: requestHeaders(rand, url, [...fetchHeaders, ...reqExtra, ["Content-Type", "application/json"]], large),
        status,
        response: status === 0 ? [] : responseHeaders(rand, resp, large),
        error,
        text: status === 0 ? undefined : body(rand),
      });
    const json = [["X-Request-Id", token(rand, 12)]];
    const preOk = (methods, headers) => [
      okAcao,
      ["Access-Control-Allow-Methods", methods],
      ["Access-Control-Allow-Headers", headers],
      ["Access-Control-Max-Age", "600"],
      vary,
    ];
    const failed = { status: 0, error: "net::ERR_FAILED" };

    switch (kind) {
      case "simple-ok":
        return [get([okAcao, vary])];
      case "simple-ok-credentials":
        return [
          this.entry({
            method: "GET",
            url,
            request: requestHeaders(rand, url, [...fetchHeaders, cookie], large),
            status: 200,
            response: responseHeaders(rand, [okAcao, ["Access-Control-Allow-Credentials", "true"], vary], large),
            text: body(rand),
          }),
        ];
      case "large-headers-ok":
        return [get([okAcao, vary, ["Access-Control-Expose-Headers", "X-Total-Count, X-Page"]])];
      case "preflight-ok": {
        const method = pick(rand, ["PUT", "POST", "DELETE", "PATCH"]);
        return preflighted(method, json, 204, preOk(`GET, ${method}, OPTIONS`, "content-type, x-request-id"), () =>
          write(method, json, 200, [okAcao, vary]),
        );
      }
      case "same-origin": {
        const u = `${PAGE}/api/${pick(rand, WORDS)}?n=${n}`;
        return [
          this.entry({
            method: "GET",
            url: u,
            request: requestHeaders(
              rand,
              u,
              [
                ["Sec-Fetch-Mode", "cors"],
                ["Sec-Fetch-Site", "same-origin"],
              ],
              false,
            ),
            status: 200,
            response: responseHeaders(rand, [], false),
            text: body(rand),
          }),
        ];
      }
      case "navigation": {
        const u = `${PAGE}/app?n=${n}`;
        return [
          this.entry({
            method: "GET",
            url: u,
            request: requestHeaders(
              rand,
              u,
              [
                ["Sec-Fetch-Mode", "navigate"],
                ["Sec-Fetch-Dest", "document"],
              ],
              false,
            ),
            status: 200,
            response: responseHeaders(rand, [["Content-Type", "text/html"]], false),
            resourceType: "document",
            initiator: { type: "other" },
          }),
        ];
      }
      case "image-no-cors":
        return [
          this.entry({
            method: "GET",
            url: `${api}/img/${n}.png`,
            request: requestHeaders(
              rand,
              url,
              [
                ["Sec-Fetch-Mode", "no-cors"],
                ["Sec-Fetch-Dest", "image"],
              ],
              false,
            ),
            status: 200,
            response: responseHeaders(rand, [["Content-Type", "image/png"]], false),
            resourceType: "image",
          }),
        ];
      case "redirect-ok": {
        const target = `${api}/moved${path}`;
        const hop = this.entry({
          method: "GET",
          url,
          request: requestHeaders(rand, url, fetchHeaders, false),
          status: 302,
          response: responseHeaders(rand, [okAcao, ["Location", target]], false),
          redirectURL: target,
        });
        const end = this.entry({
          method: "GET",
          url: target,
          request: requestHeaders(
            rand,
            target,
            [
              ["Origin", PAGE],
              ["Sec-Fetch-Mode", "cors"],
            ],
            false,
          ),
          status: 200,
          response: responseHeaders(rand, [okAcao, vary], false),
          text: body(rand),
        });
        return [hop, end];
      }
      case "redirect-foreign-blocked": {
        const target = `${OTHER_ORIGIN}/landing?n=${n}`;
        const hop = this.entry({
          method: "GET",
          url,
          request: requestHeaders(rand, url, fetchHeaders, false),
          status: 302,
          response: responseHeaders(rand, [okAcao, ["Location", target]], false),
          redirectURL: target,
        });
        const end = this.entry({
          method: "GET",
          url: target,
          request: requestHeaders(
            rand,
            target,
            [
              ["Origin", "null"],
              ["Sec-Fetch-Mode", "cors"],
            ],
            false,
          ),
          status: 200,
          response: responseHeaders(rand, [["Access-Control-Allow-Origin", PAGE]], false),
          error: "net::ERR_FAILED",
        });
        return [hop, end];
      }
      case "missing-acao":
        return [get([], { error: "net::ERR_FAILED" })];
      case "acao-mismatch":
        return [get([["Access-Control-Allow-Origin", "https://app.example.test"]], { error: "net::ERR_FAILED" })];
      case "acao-multiple":
        return [get([okAcao, ["Access-Control-Allow-Origin", "https://app.example.test"]], { error: "net::ERR_FAILED" })];
      case "acao-null":
        return [get([["Access-Control-Allow-Origin", "null"]], { error: "net::ERR_FAILED" })];
      case "dynamic-acao-no-vary":
        return [get([okAcao])];
      case "acao-trailing-slash":
        return [get([["Access-Control-Allow-Origin", `${PAGE}/`]], { error: "net::ERR_FAILED" })];
      case "acao-scheme":
        return [get([["Access-Control-Allow-Origin", PAGE.replace("http:", "https:")]], { error: "net::ERR_FAILED" })];
      case "acao-port":
        return [get([["Access-Control-Allow-Origin", PAGE.replace(":5173", ":3000")]], { error: "net::ERR_FAILED" })];
      case "acao-case":
        return [get([["Access-Control-Allow-Origin", PAGE.replace("http://", "HTTP://")]], { error: "net::ERR_FAILED" })];
      case "acao-localhost-vs-127":
        return [get([["Access-Control-Allow-Origin", PAGE.replace("127.0.0.1", "localhost")]], { error: "net::ERR_FAILED" })];
      case "acao-wildcard-pattern":
        return [get([["Access-Control-Allow-Origin", "http://127.0.0.*:5173"]], { error: "net::ERR_FAILED" })];
      case "acao-invalid":
        return [get([["Access-Control-Allow-Origin", "127.0.0.1:5173"]], { error: "net::ERR_FAILED" })];
      case "preflight-allow-methods-invalid":
        return preflighted(
          "PUT",
          json,
          204,
          [okAcao, ["Access-Control-Allow-Methods", "PUT;GET"], ["Access-Control-Allow-Headers", "content-type, x-request-id"]],
          () => write("PUT", json, failed.status, [], failed.error),
        );
      case "preflight-allow-headers-invalid":
        return preflighted(
          "PUT",
          json,
          204,
          [okAcao, ["Access-Control-Allow-Methods", "PUT"], ["Access-Control-Allow-Headers", "content-type; x-request-id"]],
          () => write("PUT", json, failed.status, [], failed.error),
        );
      case "redirect-credentials-in-location": {
        const target = `${api.replace("://", "://user:secret@")}/moved${path}`;
        return [
          this.entry({
            method: "GET",
            url,
            request: requestHeaders(rand, url, fetchHeaders, false),
            status: 302,
            response: responseHeaders(rand, [okAcao, ["Location", target]], false),
            redirectURL: target,
            error: "net::ERR_FAILED",
          }),
        ];
      }
      case "network-error":
        return [
          this.entry({
            method: "GET",
            url,
            request: requestHeaders(rand, url, fetchHeaders, false),
            status: 0,
            response: [],
            error: "net::ERR_CONNECTION_RESET",
          }),
        ];
      case "wildcard-credentials":
        return [
          this.entry({
            method: "GET",
            url,
            request: requestHeaders(rand, url, [...fetchHeaders, cookie], large),
            status: 200,
            response: responseHeaders(
              rand,
              [
                ["Access-Control-Allow-Origin", "*"],
                ["Access-Control-Allow-Credentials", "true"],
              ],
              large,
            ),
            error: "net::ERR_FAILED",
          }),
        ];
      case "acac-missing":
        return [
          this.entry({
            method: "GET",
            url,
            request: requestHeaders(rand, url, [...fetchHeaders, cookie], large),
            status: 200,
            response: responseHeaders(rand, [okAcao, vary], large),
            error: "net::ERR_FAILED",
          }),
        ];
      case "preflight-status":
        return preflighted("PUT", json, pick(rand, [404, 405, 500]), [okAcao], () => write("PUT", json, failed.status, [], failed.error));
      case "preflight-missing-acao":
        return preflighted(
          "DELETE",
          json,
          204,
          [
            ["Access-Control-Allow-Methods", "DELETE"],
            ["Access-Control-Allow-Headers", "content-type, x-request-id"],
          ],
          () => write("DELETE", json, failed.status, [], failed.error),
        );
      case "preflight-method":
        return preflighted("PATCH", json, 204, preOk("GET, POST", "content-type, x-request-id"), () =>
          write("PATCH", json, failed.status, [], failed.error),
        );
      case "preflight-header":
        return preflighted("POST", [["X-Api-Key", token(rand, 20)]], 204, preOk("GET, POST", "content-type"), () =>
          write("POST", [["X-Api-Key", token(rand, 20)]], failed.status, [], failed.error),
        );
      case "preflight-redirect":
        return preflighted("PUT", json, 301, [okAcao, ["Location", `${api}/elsewhere`]], () =>
          write("PUT", json, failed.status, [], failed.error),
        );
      case "preflight-network-error":
        return preflighted("PUT", json, 0, [], () => write("PUT", json, failed.status, [], "net::ERR_CONNECTION_REFUSED"));
      default:
        throw new Error(`unknown case ${kind}`);
    }
  }
}

export function harHead() {
  return (
    '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},' +
    `"pages":[{"startedDateTime":"2026-11-21T10:00:00.000Z","id":"page_1","title":"${PAGE}/app","pageTimings":{"onContentLoad":120,"onLoad":340}}],` +
    '"entries":['
  );
}

export const HAR_TAIL = "]}}\n";

/** Cases that are no CORS request (the panel lists no row for them). */
export const NOT_CORS_CASES = new Set(["same-origin", "navigation", "image-no-cors"]);

/**
 * A whole HAR object in memory (small inputs only: the engine and panel benches): at least `entries`
 * entries, or exactly `rows` cross-origin requests (what the panel shows as rows).
 */
export function harDocument({ seed = 1, entries = 0, rows = 0 }) {
  const mix = new HarMix(seed);
  const list = [];
  let corsRequests = 0;
  while (rows ? corsRequests < rows : list.length < entries) {
    list.push(...mix.next());
    if (!NOT_CORS_CASES.has(mix.lastKind)) corsRequests++;
  }
  const doc = JSON.parse(`${harHead()}${HAR_TAIL}`);
  doc.log.entries = list;
  return doc;
}
