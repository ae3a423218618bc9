// Builders for HAR entries as Chrome ("WebInspector") and Firefox DevTools write them, kept small so
// each table row reads like the file it stands for.
type Headers = Record<string, string> | Array<[string, string]>;

export interface EntrySpec {
  req?: Headers;
  status?: number;
  res?: Headers;
  /** Chrome's response._error */
  error?: string;
  /** Chrome's _resourceType */
  type?: string;
  /** ms after 2026-01-01T00:00:00Z */
  at?: number;
  time?: number;
  redirectURL?: string;
  initiator?: Record<string, unknown>;
  pageref?: string;
}

const T0 = Date.parse("2026-01-01T00:00:00.000Z");

function toHeaders(headers: Headers | undefined) {
  const list = Array.isArray(headers) ? headers : Object.entries(headers ?? {});
  return list.map(([name, value]) => ({ name, value }));
}

export function entry(method: string, url: string, spec: EntrySpec = {}): Record<string, unknown> {
  const e: Record<string, unknown> = {
    startedDateTime: new Date(T0 + (spec.at ?? 0)).toISOString(),
    time: spec.time ?? 5,
    request: {
      method,
      url,
      httpVersion: "HTTP/1.1",
      headers: toHeaders(spec.req),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: spec.status ?? 200,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: toHeaders(spec.res),
      cookies: [],
      content: { size: 0, mimeType: "" },
      redirectURL: spec.redirectURL ?? "",
      headersSize: -1,
      bodySize: 0,
      ...(spec.error ? { _error: spec.error } : {}),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: spec.time ?? 5, receive: 0 },
  };
  if (spec.type) e._resourceType = spec.type;
  if (spec.initiator) e._initiator = spec.initiator;
  if (spec.pageref) e.pageref = spec.pageref;
  return e;
}

/** A Chrome-style preflight entry for `method` on `url` from `origin`. */
export function preflight(url: string, method: string, origin: string, spec: EntrySpec = {}) {
  return entry("OPTIONS", url, {
    type: "preflight",
    initiator: { type: "preflight", requestId: "123.4" },
    status: 204,
    ...spec,
    req: { Origin: origin, "Access-Control-Request-Method": method, ...(spec.req as Record<string, string> | undefined) },
  });
}

export function har(entries: unknown[], creator = "WebInspector", pages?: unknown[]) {
  return { log: { version: "1.2", creator: { name: creator, version: "1" }, ...(pages ? { pages } : {}), entries } };
}
