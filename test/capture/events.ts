// Recorded webRequest event sequences (browser-recipes.md §2 Chromium 156 with extraHeaders, §5 Firefox ESR 153),
// rebuilt as data: page http://127.0.0.1:8000, API http://localhost:9000.
import type { WebRequestDetails, WebRequestEvent, WebRequestEventName } from "../../src/capture/events";

export const PAGE = "http://127.0.0.1:8000";
export const API = "http://localhost:9000";

type H = [string, string][];
const lines = (h: H) => h.map(([name, value]) => ({ name, value }));

let clock = 1_700_000_000_000;

/** One request's events as a browser reports them; fields common to every event are filled per browser. */
export function req(browser: "chrome" | "firefox", requestId: string, method: string, url: string, tabId = 7) {
  const base = (): WebRequestDetails => ({
    requestId,
    url,
    method,
    tabId,
    frameId: 0,
    type: "xmlhttprequest",
    timeStamp: clock++,
    documentId: browser === "chrome" ? "DOC1" : "fxdoc-1",
    ...(browser === "chrome" ? { initiator: PAGE } : { originUrl: `${PAGE}/page.html`, documentUrl: `${PAGE}/page.html` }),
  });
  const ev = (event: WebRequestEventName, extra: Partial<WebRequestDetails> = {}): WebRequestEvent => ({
    event,
    details: { ...base(), ...extra },
  });
  return {
    before: () => ev("BeforeRequest"),
    beforeSend: (h: H) => ev("BeforeSendHeaders", { requestHeaders: lines(h) }),
    send: (h: H) => ev("SendHeaders", { requestHeaders: lines(h) }),
    headers: (status: number, h: H) =>
      ev("HeadersReceived", {
        statusCode: status,
        statusLine: `HTTP/1.1 ${status} ${status === 204 ? "No Content" : status === 302 ? "Found" : "OK"}`,
        responseHeaders: lines(h),
      }),
    redirect: (status: number, to: string, h: H) =>
      ev("BeforeRedirect", { statusCode: status, statusLine: `HTTP/1.1 ${status} Found`, redirectUrl: to, responseHeaders: lines(h) }),
    started: (status: number) => ev("ResponseStarted", { statusCode: status, fromCache: false, ip: "::1" }),
    completed: (status: number) => ev("Completed", { statusCode: status, fromCache: false, ip: "::1" }),
    error: (error: string) => ev("ErrorOccurred", { error, fromCache: false }),
    at: (newUrl: string) => req(browser, requestId, method, newUrl, tabId),
  };
}

export const ORIGIN: [string, string] = ["Origin", PAGE];
