// Chromium's DevTools sees requests that neither webRequest nor the page-side observer can: a dedicated worker's
// fetch that the browser refused as mixed content before any network event (the observer runs in documents only).
// While DevTools is open on a tab, the extension's devtools page gets each finished request as a HAR entry
// (`devtools.network.onRequestFinished`); this turns the ones capture cannot know into page reports, which the
// background treats like the observer's (listed only in armed tabs, after the same grace period).
//
// Pure: the entry is DevTools' HAR entry, read as untrusted input like any HAR; the report is parsed again by the
// background (page-reports.ts `parsePageReport`).
import { type PageReport, refusedBeforeNetwork } from "./page-reports";

/** The parts of a DevTools HAR entry read here (Chromium writes `_resourceType` and `_initiator`). */
interface DevtoolsEntry {
  startedDateTime?: unknown;
  _resourceType?: unknown;
  _initiator?: { url?: unknown; stack?: { callFrames?: unknown } };
  request?: { method?: unknown; url?: unknown };
  response?: { status?: unknown };
}

const MAX_FRAMES = 64;

/**
 * A page report for a fetch or XHR that got no response and that the browser refused as mixed content, made by
 * code the page-side observer does not wrap (a worker; a page observed only from a later reload). `observerUrl` is
 * the observer script's URL (`runtime.getURL("page-world.js")`): a request whose stack passes through it was
 * reported by the observer already. Null for everything else.
 */
export function mixedContentReportOf(raw: unknown, observerUrl: string): PageReport | null {
  if (typeof raw !== "object" || raw === null) return null;
  const entry = raw as DevtoolsEntry;
  const type = entry._resourceType;
  if (type !== "fetch" && type !== "xhr") return null;
  if (entry.response?.status !== 0) return null;
  const url = entry.request?.url;
  const method = entry.request?.method;
  if (typeof url !== "string" || typeof method !== "string") return null;
  const frames = Array.isArray(entry._initiator?.stack?.callFrames) ? (entry._initiator.stack.callFrames as unknown[]) : [];
  const frameUrls = frames
    .slice(0, MAX_FRAMES)
    .map((f) => (typeof f === "object" && f !== null ? (f as { url?: unknown }).url : undefined))
    .filter((u): u is string => typeof u === "string" && u !== "");
  if (frameUrls.some((u) => u === observerUrl)) return null;
  // The context that made the request: the worker's script (its first frame), else the initiating document.
  const context = frameUrls[0] ?? (typeof entry._initiator?.url === "string" ? entry._initiator.url : undefined);
  if (!context) return null;
  const at = typeof entry.startedDateTime === "string" ? Date.parse(entry.startedDateTime) : Number.NaN;
  if (!Number.isFinite(at)) return null;
  const report: PageReport = { kind: type, url, method, outcome: "network-error", at, pageUrl: context };
  return refusedBeforeNetwork(report, false) === "mixed-content" ? report : null;
}

/** The parts of CDP's Network.requestWillBeSent read here (precise mode: src/background/precise.ts). */
export interface CdpRequestSent {
  requestId?: unknown;
  wallTime?: unknown;
  type?: unknown;
  initiator?: DevtoolsEntry["_initiator"];
  request?: { method?: unknown; url?: unknown };
}

/** The parts of CDP's Network.loadingFailed read here. */
export interface CdpLoadingFailed {
  requestId?: unknown;
  blockedReason?: unknown;
  corsErrorStatus?: { corsError?: unknown; failedParameter?: unknown };
}

/**
 * The same report from the DevTools Protocol's own events, as precise mode receives them for a tab and its workers: a
 * fetch or XHR the browser refused as mixed content (`blockedReason`, its own word, not a guess from the URLs). Built as
 * the DevTools entry DevTools would have written, so both sources keep one rule.
 */
export function mixedContentReportFromCdp(sent: CdpRequestSent, failed: CdpLoadingFailed, observerUrl: string): PageReport | null {
  if (failed.blockedReason !== "mixed-content" || typeof sent.wallTime !== "number" || typeof sent.type !== "string") return null;
  const entry: DevtoolsEntry = {
    startedDateTime: new Date(sent.wallTime * 1000).toISOString(),
    _resourceType: sent.type.toLowerCase(),
    _initiator: sent.initiator,
    request: { method: sent.request?.method, url: sent.request?.url },
    response: { status: 0 },
  };
  return mixedContentReportOf(entry, observerUrl);
}

/**
 * Chromium's own reason for a failed request, as precise mode hears it (`corsErrorStatus`, `blockedReason`): a
 * "browser" page report for the request's first URL, which the background matches to the captured request like the
 * page's own facts (page-reports.ts `evidenceFor`). Null when the browser gave no reason.
 */
export function browserReasonReportFromCdp(sent: CdpRequestSent & { documentURL?: unknown }, failed: CdpLoadingFailed): PageReport | null {
  const cors = failed.corsErrorStatus;
  const corsError = typeof cors?.corsError === "string" ? cors.corsError : undefined;
  const blockedReason = typeof failed.blockedReason === "string" ? failed.blockedReason : undefined;
  const url = sent.request?.url;
  const method = sent.request?.method;
  if ((!corsError && !blockedReason) || typeof url !== "string" || typeof method !== "string" || typeof sent.wallTime !== "number")
    return null;
  const pageUrl = typeof sent.documentURL === "string" && sent.documentURL ? sent.documentURL : url;
  return {
    kind: "browser",
    url,
    method,
    at: sent.wallTime * 1000,
    pageUrl,
    ...(corsError ? { corsError } : {}),
    ...(corsError && typeof cors?.failedParameter === "string" && cors.failedParameter ? { failedParameter: cors.failedParameter } : {}),
    ...(blockedReason ? { blockedReason } : {}),
  };
}
