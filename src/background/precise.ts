// Precise mode (Chromium, opt-in): the browser's own record of what webRequest and the page-side observer cannot see.
// A dedicated or service worker's fetch refused as mixed content never reaches webRequest, and the observer runs in
// documents only; DevTools sees it (src/capture/devtools-entries.ts forwards it while DevTools is open). With the
// optional `debugger` permission granted and the mode on, the background attaches to each armed tab and its workers
// (chrome.debugger, the DevTools Protocol) and turns the same refusals into the same page reports, DevTools closed.
// Chrome shows its "started debugging this browser" bar while attached: that is why it is opt-in, and why it follows
// arming (attached to armed tabs only, detached when a tab is disarmed or the mode turned off).
import {
  browserReasonReportFromCdp,
  type CdpLoadingFailed,
  type CdpRequestSent,
  mixedContentReportFromCdp,
} from "../capture/devtools-entries";

/** chrome.debugger's target: a tab, or a session of one of its workers (flat sessions, Chrome 125+). */
export interface Debuggee {
  tabId?: number;
  sessionId?: string;
}

export interface DebuggerApi {
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  onEvent: { addListener(listener: (source: Debuggee, method: string, params?: unknown) => void): void };
  onDetach: { addListener(listener: (source: Debuggee, reason: string) => void): void };
}

/** Requests awaiting their end, at most (a tab that never ends its requests must not grow memory). */
const MAX_IN_FLIGHT = 2_000;

export class PreciseMode {
  /** Tabs being attached or attached (an attach is not repeated while it runs). */
  private readonly attached = new Set<number>();
  /** Tabs whose network events are followed (attach and Network.enable done). */
  private readonly following = new Set<number>();
  /** Fetch/XHR sent and not ended yet, by tab, session and request id. */
  private readonly inFlight = new Map<string, CdpRequestSent>();
  private listening = false;

  constructor(
    /** chrome.debugger once the permission is granted (the API appears then), else undefined. */
    private readonly api: () => DebuggerApi | undefined,
    private readonly observerUrl: string,
    private readonly deliver: (tabId: number, reports: string[]) => void,
    private readonly reportError: (message: string) => void,
  ) {}

  /** Attached to exactly the armed tabs while `on`, to none otherwise. */
  sync(on: boolean, armedTabs: number[]): void {
    const api = this.api();
    if (!api) {
      // The permission was given back: Chrome has detached everything.
      for (const tabId of [...this.attached]) this.forget(tabId);
      return;
    }
    this.listen(api);
    const wanted = new Set(on ? armedTabs : []);
    for (const tabId of wanted) if (!this.attached.has(tabId)) void this.attach(api, tabId);
    for (const tabId of [...this.attached]) if (!wanted.has(tabId)) void this.detach(api, tabId);
  }

  attachedTabs(): number[] {
    return [...this.following];
  }

  private listen(api: DebuggerApi): void {
    if (this.listening) return;
    this.listening = true;
    api.onEvent.addListener((source, method, params) => this.onEvent(api, source, method, params));
    // The user dismissed Chrome's bar, DevTools took over, or the tab closed: the tab is no longer followed.
    api.onDetach.addListener((source) => {
      if (source.tabId !== undefined) this.forget(source.tabId);
    });
  }

  private async attach(api: DebuggerApi, tabId: number): Promise<void> {
    this.attached.add(tabId);
    try {
      await api.attach({ tabId }, "1.3");
    } catch (error) {
      // A worker restarted while attached finds the tab still attached: carry on with it.
      if (!/already attached/i.test(String(error))) {
        this.forget(tabId);
        this.reportError(`precise mode, tab ${tabId}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
    if (await this.follow(api, { tabId })) this.following.add(tabId);
  }

  /** Network events of a target, and its workers attached as they start (without pausing them). */
  private async follow(api: DebuggerApi, target: Debuggee): Promise<boolean> {
    try {
      await api.sendCommand(target, "Network.enable");
      await api.sendCommand(target, "Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: false, flatten: true });
      return true;
    } catch (error) {
      this.reportError(`precise mode: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  private async detach(api: DebuggerApi, tabId: number): Promise<void> {
    this.forget(tabId);
    await api.detach({ tabId }).catch(() => {});
  }

  private forget(tabId: number): void {
    this.attached.delete(tabId);
    this.following.delete(tabId);
    for (const key of this.inFlight.keys()) if (key.startsWith(`${tabId}:`)) this.inFlight.delete(key);
  }

  private onEvent(api: DebuggerApi, source: Debuggee, method: string, params: unknown): void {
    const tabId = source.tabId;
    if (tabId === undefined || !this.attached.has(tabId) || typeof params !== "object" || params === null) return;
    const p = params as { requestId?: unknown; sessionId?: unknown; type?: unknown };
    if (method === "Target.attachedToTarget") {
      if (typeof p.sessionId === "string") void this.follow(api, { tabId, sessionId: p.sessionId });
      return;
    }
    const key = `${tabId}:${source.sessionId ?? ""}:${String(p.requestId)}`;
    if (method === "Network.requestWillBeSent") {
      // The first URL stays (a redirect sends the event again with the same id): capture matches requests by it.
      if (this.inFlight.has(key)) return;
      if (this.inFlight.size >= MAX_IN_FLIGHT) this.inFlight.delete(this.inFlight.keys().next().value!);
      this.inFlight.set(key, params as CdpRequestSent);
    } else if (method === "Network.loadingFinished") {
      this.inFlight.delete(key);
    } else if (method === "Network.loadingFailed") {
      const sent = this.inFlight.get(key);
      this.inFlight.delete(key);
      if (!sent) return;
      const failed = params as CdpLoadingFailed;
      // What nothing else sees (a worker's mixed content), and Chromium's own reason for what capture saw fail.
      const reports = [mixedContentReportFromCdp(sent, failed, this.observerUrl), browserReasonReportFromCdp(sent, failed)]
        .filter((r) => r !== null)
        .map((r) => JSON.stringify(r));
      if (reports.length) this.deliver(tabId, reports);
    }
  }
}
