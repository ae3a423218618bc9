// Runs in the extension's isolated world next to page-world.ts, in armed tabs only: forwards what the page-world
// script reports to the background, in small batches. It forwards text as it came; the background parses it as
// untrusted input (src/capture/page-reports.ts). Bounded: a page that fires thousands of failing requests a
// second costs at most MAX_PER_BATCH messages every BATCH_MS.
import browser from "webextension-polyfill";
import { PAGE_REPORT_EVENT, PAGE_REPORT_SEPARATOR } from "../capture/page-reports";
import { batched } from "../shared/batches";
import { PAGE_REPORTS_MESSAGE } from "../shared/protocol";

const BATCH_MS = 100;
const MAX_PER_BATCH = 200;
const MAX_REPORT_LENGTH = 64 * 1024;
/** Reports read from one event at most (page-world.ts sends fewer): a page's own giant event is not split whole. */
const MAX_PER_EVENT = 1000;
/** How page-world.ts's JSON of a service-worker report begins (its `kind` comes first). */
const SERVICE_WORKER_REPORT = '{"kind":"service-worker"';

declare global {
  interface Window {
    __corsDoctorRelay?: true;
  }
}

if (!window.__corsDoctorRelay) {
  Object.defineProperty(window, "__corsDoctorRelay", { value: true });
  const forward = batched<string>(
    (reports) => {
      // The worker may be restarting, or the extension reloaded: a lost batch only loses page-side detail.
      browser.runtime.sendMessage({ type: PAGE_REPORTS_MESSAGE, reports }).catch(() => {});
    },
    BATCH_MS,
    MAX_PER_BATCH,
  );
  window.addEventListener(PAGE_REPORT_EVENT, (event) => {
    const detail = (event as CustomEvent<unknown>).detail;
    if (typeof detail !== "string") return;
    // One event carries a batch of reports (page-world.ts). A service worker's report leaves at once: the background
    // must follow the worker before it fetches.
    for (const report of detail.split(PAGE_REPORT_SEPARATOR, MAX_PER_EVENT))
      if (report.length <= MAX_REPORT_LENGTH) forward(report, report.startsWith(SERVICE_WORKER_REPORT));
  });
}
