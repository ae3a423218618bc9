// Precise mode (src/background/precise.ts) against a stand-in for chrome.debugger: it attaches to the armed tabs only,
// follows their workers' sessions, turns Chromium's own mixed-content refusals into page reports, and lets go. The
// real browser proves the rest (test/matrix2/precise-chromium.test.ts).
import { describe, expect, it } from "vitest";
import { type Debuggee, type DebuggerApi, PreciseMode } from "../../src/background/precise";
import { mixedContentReportFromCdp } from "../../src/capture/devtools-entries";

const OBSERVER = "chrome-extension://abc/page-world.js";
const WORKER = "https://app.test/worker.js";

function standIn() {
  const calls: string[] = [];
  let onEvent: (source: Debuggee, method: string, params?: unknown) => void = () => {};
  let onDetach: (source: Debuggee, reason: string) => void = () => {};
  const api: DebuggerApi = {
    attach: async (t) => void calls.push(`attach ${t.tabId}`),
    detach: async (t) => void calls.push(`detach ${t.tabId}`),
    sendCommand: async (t, method) => void calls.push(`${method} ${t.tabId}${t.sessionId ? `/${t.sessionId}` : ""}`),
    onEvent: { addListener: (l) => void (onEvent = l) },
    onDetach: { addListener: (l) => void (onDetach = l) },
  };
  return {
    api,
    calls,
    emit: (s: Debuggee, m: string, p?: unknown) => onEvent(s, m, p),
    detached: (s: Debuggee) => onDetach(s, "canceled_by_user"),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A worker's fetch of an http URL, as Network.requestWillBeSent says it. */
const sent = (requestId: string, url = "http://api.test/data", type = "Fetch") => ({
  requestId,
  wallTime: 1_764_590_000,
  type,
  initiator: { type: "script", stack: { callFrames: [{ url: WORKER }] } },
  request: { method: "GET", url },
});

describe("precise mode", () => {
  it("attaches to the armed tabs while on, follows their workers, and detaches what is no longer wanted", async () => {
    const { api, calls, emit } = standIn();
    const mode = new PreciseMode(
      () => api,
      OBSERVER,
      () => {},
      (m) => calls.push(`error ${m}`),
    );
    mode.sync(true, [5, 6]);
    await settle();
    expect(calls).toEqual([
      "attach 5",
      "attach 6",
      "Network.enable 5",
      "Network.enable 6",
      "Target.setAutoAttach 5",
      "Target.setAutoAttach 6",
    ]);
    expect(mode.attachedTabs().sort()).toEqual([5, 6]);
    calls.length = 0;
    emit({ tabId: 5 }, "Target.attachedToTarget", { sessionId: "w1", targetInfo: { type: "worker" } });
    await settle();
    expect(calls).toEqual(["Network.enable 5/w1", "Target.setAutoAttach 5/w1"]);
    calls.length = 0;
    mode.sync(true, [6]);
    mode.sync(false, [6]);
    await settle();
    expect(calls).toEqual(["detach 5", "detach 6"]);
    expect(mode.attachedTabs()).toEqual([]);
  });

  it("does nothing without the permission (no chrome.debugger) and never attaches twice", async () => {
    const { api, calls } = standIn();
    let granted = false;
    const mode = new PreciseMode(
      () => (granted ? api : undefined),
      OBSERVER,
      () => {},
      () => {},
    );
    mode.sync(true, [5]);
    await settle();
    expect(calls).toEqual([]);
    granted = true;
    mode.sync(true, [5]);
    mode.sync(true, [5]);
    await settle();
    expect(calls.filter((c) => c.startsWith("attach"))).toEqual(["attach 5"]);
    expect(mode.attachedTabs()).toEqual([5]);
    // The permission given back: Chrome detached everything, nothing is followed.
    granted = false;
    mode.sync(true, [5]);
    expect(mode.attachedTabs()).toEqual([]);
  });

  it("reports a worker's fetch Chromium refused as mixed content, and Chromium's own reason for every failure that has one", async () => {
    const { api, emit, detached } = standIn();
    const delivered: [number, string[]][] = [];
    const mode = new PreciseMode(
      () => api,
      OBSERVER,
      (tabId, reports) => delivered.push([tabId, reports]),
      () => {},
    );
    mode.sync(true, [5]);
    await settle();
    const worker = { tabId: 5, sessionId: "w1" };
    emit(worker, "Network.requestWillBeSent", sent("1"));
    emit(worker, "Network.loadingFailed", { requestId: "1", blockedReason: "mixed-content" });
    // A failure with no reason of the browser's, a finished request, another tab's: nothing.
    emit(worker, "Network.requestWillBeSent", sent("2"));
    emit(worker, "Network.loadingFailed", { requestId: "2", errorText: "net::ERR_CONNECTION_REFUSED" });
    emit(worker, "Network.requestWillBeSent", sent("3"));
    emit(worker, "Network.loadingFinished", { requestId: "3" });
    emit(worker, "Network.loadingFailed", { requestId: "3", blockedReason: "mixed-content" });
    emit({ tabId: 9, sessionId: "w1" }, "Network.requestWillBeSent", sent("5"));
    emit({ tabId: 9, sessionId: "w1" }, "Network.loadingFailed", { requestId: "5", blockedReason: "mixed-content" });
    // The page's own <img crossorigin> CORS refused: Chromium's CorsError, for its first URL (a redirect keeps it).
    emit({ tabId: 5 }, "Network.requestWillBeSent", { ...sent("7", "https://cdn.test/a.png", "Image"), documentURL: "https://app.test/" });
    emit({ tabId: 5 }, "Network.requestWillBeSent", { ...sent("7", "https://cdn2.test/a.png", "Image"), documentURL: "https://app.test/" });
    emit({ tabId: 5 }, "Network.loadingFailed", {
      requestId: "7",
      corsErrorStatus: { corsError: "MissingAllowOriginHeader", failedParameter: "" },
    });
    const reports = delivered.map(([tabId, list]) => [tabId, list.map((r) => JSON.parse(r))] as const);
    expect(reports).toEqual([
      [
        5,
        [
          expect.objectContaining({ kind: "fetch", url: "http://api.test/data", method: "GET", pageUrl: WORKER, outcome: "network-error" }),
          expect.objectContaining({ kind: "browser", url: "http://api.test/data", blockedReason: "mixed-content" }),
        ],
      ],
      [
        5,
        [
          {
            kind: "browser",
            url: "https://cdn.test/a.png",
            method: "GET",
            at: 1_764_590_000_000,
            pageUrl: "https://app.test/",
            corsError: "MissingAllowOriginHeader",
          },
        ],
      ],
    ]);
    // The user dismissed Chrome's bar: the tab is no longer followed.
    detached({ tabId: 5 });
    emit(worker, "Network.requestWillBeSent", sent("6"));
    emit(worker, "Network.loadingFailed", { requestId: "6", blockedReason: "mixed-content" });
    expect(delivered).toHaveLength(2);
    expect(mode.attachedTabs()).toEqual([]);
  });
});

describe("mixedContentReportFromCdp", () => {
  const rows: [string, ReturnType<typeof sent>, unknown, boolean][] = [
    ["a worker's fetch, mixed content", sent("1"), { blockedReason: "mixed-content" }, true],
    ["a worker's XHR, mixed content", sent("1", undefined, "XHR"), { blockedReason: "mixed-content" }, true],
    ["another reason", sent("1"), { blockedReason: "csp" }, false],
    ["no reason", sent("1"), {}, false],
    ["an https URL (not mixed)", sent("1", "https://api.test/data"), { blockedReason: "mixed-content" }, false],
    [
      "a request the page-side observer made (its stack passes through it)",
      { ...sent("1"), initiator: { type: "script", stack: { callFrames: [{ url: OBSERVER }, { url: "https://app.test/app.js" }] } } },
      { blockedReason: "mixed-content" },
      false,
    ],
    ["no time", { ...sent("1"), wallTime: undefined as unknown as number }, { blockedReason: "mixed-content" }, false],
  ];
  it.each(rows)("%s: reported %s", (_name, s, failed, reported) => {
    expect(mixedContentReportFromCdp(s, failed as object, OBSERVER) !== null).toBe(reported);
  });
});
