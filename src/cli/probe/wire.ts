// One HTTP request over node:http/node:https, with the response headers exactly as they came over the wire.
// `res.rawHeaders` keeps every line (two Access-Control-Allow-Origin lines stay two) and the server's
// spelling; a client that folds headers into an object would hide the very duplicates CORS fails on.
import http from "node:http";
import https from "node:https";
import type { Header, HttpRequest, HttpResponse } from "../../core/model";

export interface WireResponse extends HttpResponse {
  headers: Header[];
  httpVersion: string;
}

/** A failure below HTTP: the one line the user sees, and the browser's name for it. */
export class ProbeNetworkError extends Error {
  constructor(
    message: string,
    readonly netError: string,
  ) {
    super(message);
  }
}

export interface SendOptions {
  timeoutMs: number;
}

export type Transport = (request: HttpRequest, options: SendOptions) => Promise<WireResponse>;

/** Headers Node adds itself (Host, Connection) are not in `request.headers`; everything else is sent verbatim, in order. */
export const sendOverWire: Transport = (request, options) =>
  new Promise<WireResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const client = url.protocol === "https:" ? https : http;
    // A flat [name, value, name, value…] list keeps order, case and duplicates on the way out too.
    // Node adds no Host when headers are given as a raw list; HTTP/1.1 servers answer 400 without one.
    const rawHeaders: string[] = ["Host", url.host];
    for (const h of request.headers) rawHeaders.push(h.name, h.value);
    const hasBody = !/^(GET|HEAD|OPTIONS)$/.test(request.method);
    if (hasBody) rawHeaders.push("Content-Length", "0");
    let settled = false;
    const fail = (err: ProbeNetworkError) => {
      if (settled) return;
      settled = true;
      reject(err);
    };
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: url.pathname + url.search,
        method: request.method,
        headers: rawHeaders as unknown as http.OutgoingHttpHeaders,
        agent: false,
        // Browsers tolerate control characters in header values that Node's strict parser rejects; the probe
        // must show what the server sent (escaped on output), not fail where the browser would not.
        insecureHTTPParser: true,
        // The browser would show the certificate error; we report it (no silent insecure mode).
        rejectUnauthorized: true,
      },
      (res) => {
        const headers: Header[] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push({ name: res.rawHeaders[i]!, value: res.rawHeaders[i + 1]! });
        // CORS is decided on the headers; the body is drained and dropped.
        res.resume();
        res.on("end", () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers, httpVersion: res.httpVersion });
        });
        res.on("error", (err) => fail(describe(err, request, options)));
      },
    );
    req.setTimeout(options.timeoutMs, () => {
      fail(
        new ProbeNetworkError(
          `${request.method} ${url.href}: no response within ${options.timeoutMs} ms (--timeout)`,
          "net::ERR_TIMED_OUT",
        ),
      );
      req.destroy();
    });
    req.on("error", (err) => fail(describe(err, request, options)));
    req.end();
  });

function describe(err: Error & { code?: string }, request: HttpRequest, options: SendOptions): ProbeNetworkError {
  const url = new URL(request.url);
  const where = `${request.method} ${url.href}`;
  const code = err.code ?? "";
  switch (code) {
    case "ECONNREFUSED":
      return new ProbeNetworkError(`${where}: connection refused (nothing listens on ${url.host})`, "net::ERR_CONNECTION_REFUSED");
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new ProbeNetworkError(`${where}: host ${url.hostname} not found (DNS)`, "net::ERR_NAME_NOT_RESOLVED");
    case "ECONNRESET":
      return new ProbeNetworkError(`${where}: connection reset by the server`, "net::ERR_CONNECTION_RESET");
    case "ETIMEDOUT":
      return new ProbeNetworkError(`${where}: no response within ${options.timeoutMs} ms (--timeout)`, "net::ERR_TIMED_OUT");
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new ProbeNetworkError(`${where}: host unreachable`, "net::ERR_ADDRESS_UNREACHABLE");
  }
  if (/CERT|SELF_SIGNED|TLS|SSL|ERR_SSL/i.test(code) || /certificate|ssl|tls/i.test(err.message)) {
    return new ProbeNetworkError(
      `${where}: TLS failure (${code || err.message}); the browser would refuse this certificate too`,
      "net::ERR_CERT_INVALID",
    );
  }
  if (code === "HPE_INVALID_HEADER_TOKEN" || code.startsWith("HPE_")) {
    return new ProbeNetworkError(`${where}: the server sent an invalid HTTP response (${code})`, "net::ERR_INVALID_HTTP_RESPONSE");
  }
  return new ProbeNetworkError(`${where}: ${err.message}${code ? ` (${code})` : ""}`, "net::ERR_FAILED");
}
