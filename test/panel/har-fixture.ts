// A HAR shaped like Chrome DevTools' "Save all as HAR" for a page at http://127.0.0.1:5173 calling an API at
// http://localhost:8080: the cases of browser-recipes §2 (a–f) plus what the panel must render safely.
// Chrome lists the actual request before its preflight, marks preflights `_resourceType: "preflight"`, and
// writes `response._error` for failed requests (status 0 when the request was never sent).

export const PAGE = "http://127.0.0.1:5173";
export const API = "http://localhost:8080";

type H = [string, string];
const hs = (pairs: H[]) => pairs.map(([name, value]) => ({ name, value }));

interface EntrySpec {
  method: string;
  url: string;
  request: H[];
  status: number;
  response: H[];
  resourceType?: string;
  error?: string;
  redirectURL?: string;
}

let clock = Date.parse("2026-11-21T10:00:00Z");
function entry(spec: EntrySpec) {
  clock += 37;
  return {
    startedDateTime: new Date(clock).toISOString(),
    time: 12,
    request: {
      method: spec.method,
      url: spec.url,
      httpVersion: "HTTP/1.1",
      headers: hs(spec.request),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: spec.status,
      statusText: spec.status === 200 ? "OK" : spec.status === 204 ? "No Content" : "",
      httpVersion: "HTTP/1.1",
      headers: hs(spec.response),
      cookies: [],
      content: { size: 0, mimeType: "text/plain" },
      redirectURL: spec.redirectURL ?? "",
      headersSize: -1,
      bodySize: -1,
      ...(spec.error ? { _error: spec.error } : {}),
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 2 },
    _resourceType: spec.resourceType ?? "fetch",
  };
}

const origin: H = ["Origin", PAGE];

export interface HarOptions {
  /** Extra response headers planted on the "ok" request (hostile values). */
  hostile?: H[];
  /** Duplicate the list to reach at least this many entries (performance). */
  repeat?: number;
}

export function chromeHar(options: HarOptions = {}) {
  clock = Date.parse("2026-11-21T10:00:00Z");
  const once = (n: number) => [
    // (a) simple GET, allowed
    entry({
      method: "GET",
      url: `${API}/ok?n=${n}`,
      request: [origin, ["Accept", "*/*"]],
      status: 200,
      response: [
        ["Access-Control-Allow-Origin", PAGE],
        ["Vary", "Origin"],
        ["Content-Type", "application/json"],
        ...(options.hostile ?? []),
      ],
    }),
    // (b) missing ACAO
    entry({
      method: "GET",
      url: `${API}/no-acao?n=${n}`,
      request: [origin],
      status: 200,
      response: [["Content-Type", "text/plain"]],
      error: "net::ERR_FAILED",
    }),
    // (c) PUT with X-Foo; the preflight only allows Content-Type: the PUT is never sent
    entry({
      method: "PUT",
      url: `${API}/put?n=${n}`,
      request: [origin, ["Content-Type", "application/json"], ["X-Foo", "1"]],
      status: 0,
      response: [],
      error: "net::ERR_FAILED",
    }),
    entry({
      method: "OPTIONS",
      url: `${API}/put?n=${n}`,
      resourceType: "preflight",
      request: [origin, ["Access-Control-Request-Method", "PUT"], ["Access-Control-Request-Headers", "content-type,x-foo"]],
      status: 204,
      response: [
        ["Access-Control-Allow-Origin", PAGE],
        ["Access-Control-Allow-Methods", "GET, PUT"],
        ["Access-Control-Allow-Headers", "Content-Type"],
      ],
    }),
    // (d) credentials with ACAO "*"
    entry({
      method: "GET",
      url: `${API}/cred?n=${n}`,
      request: [origin, ["Cookie", "session=SECRET-COOKIE-CANARY"]],
      status: 200,
      response: [["Access-Control-Allow-Origin", "*"]],
      error: "net::ERR_FAILED",
    }),
    // (e) preflight allows everything: PUT succeeds
    entry({
      method: "PUT",
      url: `${API}/put-ok?n=${n}`,
      request: [origin, ["Content-Type", "application/json"], ["X-Foo", "1"]],
      status: 200,
      response: [
        ["Access-Control-Allow-Origin", PAGE],
        ["Vary", "Origin"],
      ],
    }),
    entry({
      method: "OPTIONS",
      url: `${API}/put-ok?n=${n}`,
      resourceType: "preflight",
      request: [origin, ["Access-Control-Request-Method", "PUT"], ["Access-Control-Request-Headers", "content-type,x-foo"]],
      status: 204,
      response: [
        ["Access-Control-Allow-Origin", PAGE],
        ["Access-Control-Allow-Methods", "PUT"],
        ["Access-Control-Allow-Headers", "content-type, x-foo"],
        ["Access-Control-Max-Age", "600"],
      ],
    }),
    // a same-origin request the panel must not list
    entry({
      method: "GET",
      url: `${PAGE}/app.js`,
      request: [],
      status: 200,
      response: [["Content-Type", "text/javascript"]],
      resourceType: "script",
    }),
  ];
  const entries = [];
  const repeat = options.repeat ?? 1;
  for (let n = 0; entries.length < repeat * 8 || n === 0; n++) entries.push(...once(n));
  return {
    log: {
      version: "1.2",
      creator: { name: "WebInspector", version: "537.36" },
      pages: [{ startedDateTime: new Date(clock).toISOString(), id: "page_1", title: PAGE, pageTimings: {} }],
      entries,
    },
  };
}
