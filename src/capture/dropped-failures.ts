// Failures capture saw and did not keep: a cross-origin image, script or stylesheet that failed before its headers
// (another extension blocked it, the network refused it) looks like a plain no-cors load, which is not CORS. The
// page-side observer may report that the element was loaded in CORS mode (`crossorigin`, a module script): then the
// failure is the evidence of what happened to it (page-reports.ts). Per tab, recent and bounded; memory only.
import type { WebRequestDetails } from "./events";

const MAX_PER_TAB = 64;
/** A page report and the failure of the same load are this close in time (the page's clock and the browser's). */
const WINDOW_MS = 5_000;

interface Dropped {
  url: string;
  error: string;
  at: number;
}

export class DroppedFailures {
  private readonly byTab = new Map<number, Dropped[]>();

  note(details: Pick<WebRequestDetails, "tabId" | "url" | "error" | "timeStamp">): void {
    if (details.tabId < 0 || !details.error) return;
    const list = this.byTab.get(details.tabId) ?? [];
    list.push({ url: details.url, error: details.error, at: details.timeStamp });
    if (list.length > MAX_PER_TAB) list.shift();
    this.byTab.set(details.tabId, list);
  }

  /** The error of a dropped load of this URL around this time, newest first. */
  errorOf(tabId: number, url: string, at: number): string | undefined {
    const list = this.byTab.get(tabId);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const d = list[i]!;
      if (d.url === url && Math.abs(d.at - at) <= WINDOW_MS) return d.error;
    }
    return undefined;
  }

  removeTab(tabId: number): void {
    this.byTab.delete(tabId);
  }
}
