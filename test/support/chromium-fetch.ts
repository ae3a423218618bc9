// Runs one fetch() from a page at a given origin in the system Chromium and reports what the
// browser did (CDP's corsErrorStatus: the ground truth) together with the Exchange the engine
// would see (built from CDP's raw request/response headers, preflight included).
import { chromium, type BrowserContext, type CDPSession, type Page } from "playwright-core";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Exchange, Header, Leg } from "../../src/core/model";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";

export { CHROMIUM_ARGS };

export interface BrowserFetchRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: "omit" | "same-origin" | "include";
  body?: string;
  redirect?: "follow" | "manual" | "error";
}

export interface BrowserFetchResult {
  blocked: boolean;
  /** CDP Network.CorsError name, when Chromium blamed CORS. */
  corsError?: string;
  failedParameter?: string;
  /** net::ERR_… when the request failed. */
  errorText?: string;
  /** What the page's fetch() resolved to: the status, or the error message. */
  page: { ok: true; status: number } | { ok: false; error: string };
  exchange: Exchange;
}

/** A page server that serves an empty HTML page on every path, so any origin on loopback can host the fetch. */
export async function startPageServer(host = "127.0.0.1"): Promise<{ origin: string; port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>page</title>");
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ChromiumSession {
  context: BrowserContext;
  close(): Promise<void>;
  /** Runs `request` from a page at `pageUrl` (an http URL of a page server) and reports the outcome. */
  fetchFrom(pageUrl: string, request: BrowserFetchRequest): Promise<BrowserFetchResult>;
}

export async function launchChromium(): Promise<ChromiumSession> {
  const context = await chromium.launchPersistentContext("", {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  return {
    context,
    close: () => context.close(),
    fetchFrom: (pageUrl, request) => fetchFrom(context, pageUrl, request),
  };
}

interface CdpRequestRecord {
  requestId: string;
  url: string;
  method: string;
  isPreflight: boolean;
  headers?: Header[];
  response?: { status: number; statusText: string; headers: Header[] };
  redirects: Array<{
    url: string;
    method: string;
    headers?: Header[];
    response: { status: number; statusText: string; headers: Header[] };
  }>;
  failed?: { errorText: string; corsError?: string; failedParameter?: string };
  finished?: boolean;
}

/** Parses a raw header block ("HTTP/1.1 200 OK\r\nA: b\r\n…") keeping duplicate lines. */
export function parseHeadersText(text: string): Header[] {
  const lines = text.split(/\r?\n/).slice(1);
  const out: Header[] = [];
  for (const line of lines) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    out.push({ name: line.slice(0, i).trim(), value: line.slice(i + 1).trim() });
  }
  return out;
}

function objectHeaders(obj: Record<string, string> | undefined): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(obj ?? {})) {
    for (const v of String(value).split("\n")) out.push({ name, value: v });
  }
  return out;
}

async function fetchFrom(context: BrowserContext, pageUrl: string, request: BrowserFetchRequest): Promise<BrowserFetchResult> {
  const page: Page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  const records = new Map<string, CdpRequestRecord>();
  const extraRequestHeaders = new Map<string, Header[]>();
  const extraResponseHeaders = new Map<string, Header[]>();
  // A CORS-blocked response never gets Network.responseReceived; its status and raw headers only
  // arrive in responseReceivedExtraInfo.
  const extraResponseStatus = new Map<string, number>();
  try {
    await page.goto(pageUrl);
    await cdp.send("Network.enable");
    // Fresh preflight cache per fetch: a cached preflight would hide what we want to observe.
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    cdp.on("Network.requestWillBeSent", (e: any) => {
      const existing = records.get(e.requestId);
      if (existing && e.redirectResponse) {
        existing.redirects.push({
          url: existing.url,
          method: existing.method,
          headers: extraRequestHeaders.get(e.requestId) ?? existing.headers,
          response: {
            status: e.redirectResponse.status,
            statusText: e.redirectResponse.statusText,
            headers: extraResponseHeaders.get(e.requestId) ?? objectHeaders(e.redirectResponse.headers),
          },
        });
        extraRequestHeaders.delete(e.requestId);
        extraResponseHeaders.delete(e.requestId);
        existing.url = e.request.url;
        existing.method = e.request.method;
        existing.headers = objectHeaders(e.request.headers);
        return;
      }
      records.set(e.requestId, {
        requestId: e.requestId,
        url: e.request.url,
        method: e.request.method,
        isPreflight: e.initiator?.type === "preflight",
        headers: objectHeaders(e.request.headers),
        redirects: [],
      });
    });
    cdp.on("Network.requestWillBeSentExtraInfo", (e: any) => {
      extraRequestHeaders.set(e.requestId, objectHeaders(e.headers));
    });
    cdp.on("Network.responseReceivedExtraInfo", (e: any) => {
      extraResponseHeaders.set(e.requestId, e.headersText ? parseHeadersText(e.headersText) : objectHeaders(e.headers));
      if (typeof e.statusCode === "number") extraResponseStatus.set(e.requestId, e.statusCode);
    });
    cdp.on("Network.responseReceived", (e: any) => {
      const r = records.get(e.requestId);
      if (r) r.response = { status: e.response.status, statusText: e.response.statusText, headers: objectHeaders(e.response.headers) };
    });
    cdp.on("Network.loadingFailed", (e: any) => {
      const r = records.get(e.requestId);
      if (r)
        r.failed = { errorText: e.errorText, corsError: e.corsErrorStatus?.corsError, failedParameter: e.corsErrorStatus?.failedParameter };
    });
    cdp.on("Network.loadingFinished", (e: any) => {
      const r = records.get(e.requestId);
      if (r) r.finished = true;
    });

    const pageResult = await page.evaluate(async (req) => {
      try {
        const res = await fetch(req.url, {
          method: req.method ?? "GET",
          headers: req.headers ?? {},
          credentials: req.credentials ?? "same-origin",
          body: req.body,
          redirect: req.redirect ?? "follow",
        });
        return { ok: true as const, status: res.status };
      } catch (err) {
        return { ok: false as const, error: String(err) };
      }
    }, request);

    // Events can trail the page's promise: wait (bounded) until the actual request has settled.
    const deadline = Date.now() + 5000;
    const actualOf = () => [...records.values()].find((r) => !r.isPreflight && r.url !== pageUrl && !r.url.startsWith(pageUrl + "favicon"));
    while (Date.now() < deadline) {
      const a = actualOf();
      if (a && (a.failed || a.finished) && !extraResponsePending(a, extraResponseHeaders)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const actual = actualOf();
    if (!actual) throw new Error(`Chromium did not report the request to ${request.url}`);
    const preflights = [...records.values()].filter((r) => r.isPreflight);
    return {
      blocked: !pageResult.ok,
      corsError: actual.failed?.corsError,
      failedParameter: actual.failed?.failedParameter,
      errorText: actual.failed?.errorText,
      page: pageResult,
      exchange: toExchange(new URL(pageUrl).origin, actual, preflights, extraRequestHeaders, extraResponseHeaders, extraResponseStatus),
    };
  } finally {
    await cdp.detach().catch(() => {});
    await page.close().catch(() => {});
  }
}

function extraResponsePending(r: CdpRequestRecord, extra: Map<string, Header[]>): boolean {
  return Boolean(r.response) && !extra.has(r.requestId);
}

function toExchange(
  pageOrigin: string,
  actual: CdpRequestRecord,
  preflights: CdpRequestRecord[],
  extraRequest: Map<string, Header[]>,
  extraResponse: Map<string, Header[]>,
  extraStatus: Map<string, number>,
): Exchange {
  const responseOf = (r: CdpRequestRecord) =>
    r.response
      ? { ...r.response, headers: extraResponse.get(r.requestId) ?? r.response.headers }
      : extraResponse.has(r.requestId) && extraStatus.has(r.requestId)
        ? { status: extraStatus.get(r.requestId)!, headers: extraResponse.get(r.requestId)! }
        : undefined;
  const legs: Leg[] = actual.redirects.map((hop) => ({
    request: { method: hop.method, url: hop.url, headers: hop.headers ?? [] },
    response: hop.response,
  }));
  legs.push({
    request: { method: actual.method, url: actual.url, headers: extraRequest.get(actual.requestId) ?? actual.headers ?? [] },
    response: responseOf(actual),
  });
  // Preflights precede the leg whose URL they share (a redirect to another origin gets its own).
  for (const p of preflights) {
    const leg = legs.find((l) => l.request.url === p.url && !l.preflight);
    if (!leg) continue;
    leg.preflight = {
      request: { method: "OPTIONS", url: p.url, headers: extraRequest.get(p.requestId) ?? p.headers ?? [] },
      response: responseOf(p),
      error: p.failed?.errorText,
    };
  }
  return {
    initiatorOrigin: pageOrigin,
    legs,
    outcome: actual.failed ? { kind: "failed", error: actual.failed.errorText } : { kind: "completed" },
    observedBy: "chrome",
    resourceType: "fetch",
  };
}
