// The devtools page: registers the "CORS" panel. Chrome has `chrome.devtools`; Firefox has both `browser.devtools`
// (promises) and `chrome.devtools` (callbacks). The panel itself is panel.html, which also works as a tab.
// In Chromium it also forwards what only DevTools sees while it is open on a tab: a worker's fetch refused as mixed
// content before any network event (src/capture/devtools-entries.ts). The background keeps it for armed tabs only.
import { mixedContentReportOf } from "../capture/devtools-entries";
import { batched } from "../shared/batches";
import { DEVTOOLS_REPORTS_MESSAGE } from "../shared/protocol";

type PanelsApi = { create(title: string, icon: string, page: string, callback?: (panel: unknown) => void): unknown };
type NetworkApi = { onRequestFinished: { addListener(listener: (entry: unknown) => void): void } };
type DevtoolsApi = { panels?: PanelsApi; network?: NetworkApi; inspectedWindow?: { tabId?: number } };
type RuntimeApi = { getURL(path: string): string; sendMessage(message: unknown): Promise<unknown> | undefined };

const g = globalThis as { browser?: { devtools?: DevtoolsApi }; chrome?: { devtools?: DevtoolsApi; runtime?: RuntimeApi } };
const panels = g.browser?.devtools?.panels ?? g.chrome?.devtools?.panels;

if (panels) {
  try {
    // Firefox returns a promise; a rejection must not go unhandled (it would only say the panel is missing).
    const result = panels.create("CORS", "icons/icon-32.png", "panel.html");
    if (result && typeof (result as Promise<unknown>).catch === "function") {
      (result as Promise<unknown>).catch((error: unknown) => console.error("CORS Doctor: could not create the panel", error));
    }
  } catch (error) {
    console.error("CORS Doctor: could not create the panel", error);
  }
}

/** Reports sent at most this often, and at most this many at a time (as the page-side relay does). */
const BATCH_MS = 100;
const MAX_PER_BATCH = 200;

function forwardRefusedRequests(network: NetworkApi, runtime: RuntimeApi, tabId: number): void {
  const observerUrl = runtime.getURL("page-world.js");
  const forward = batched<string>(
    (reports) => {
      // The worker may be restarting: a lost batch loses only what DevTools added.
      Promise.resolve(runtime.sendMessage({ type: DEVTOOLS_REPORTS_MESSAGE, tabId, reports })).catch(() => {});
    },
    BATCH_MS,
    MAX_PER_BATCH,
  );
  network.onRequestFinished.addListener((entry) => {
    const report = mixedContentReportOf(entry, observerUrl);
    if (report) forward(JSON.stringify(report));
  });
}

// Chromium only: its entries carry the resource type and the initiator's stack this reads, and only there is it proven
// (test/matrix2/devtools-chromium.test.ts); the Firefox tests cannot open its DevTools on a tab.
const network = g.chrome?.devtools?.network;
const tabId = g.chrome?.devtools?.inspectedWindow?.tabId;
const runtime = g.chrome?.runtime;
if (__BROWSER__ !== "firefox" && network && runtime && typeof tabId === "number" && tabId >= 0) {
  forwardRefusedRequests(network, runtime, tabId);
}
