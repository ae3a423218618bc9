// Armed tabs whose page has a service worker, and the page's origin: while there is one, the worker listeners
// (src/background/listeners.ts `followWorkers`) follow sites' service-worker requests, which webRequest gives no tab.
// The page-side observer says so once per page load, so the set is kept in storage.session: a background stopped and
// started again (Chromium's service worker) must not forget a page that will not say it again until reloaded.

/** storage.session key: [tabId, origin] pairs. */
export const WORKER_TABS_KEY = "capture:worker-tabs";

interface SessionLike {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export class WorkerTabs {
  private readonly tabs = new Map<number, string>();
  /** Until the stored set is read, nothing is written: it would overwrite what the last worker kept. */
  private restored = false;

  constructor(
    private readonly session: SessionLike,
    private readonly isArmed: (tabId: number) => boolean,
    private readonly reportError: (message: string) => void,
  ) {}

  /** The pairs the previous worker kept, for tabs still armed; then changes are written. */
  async restore(): Promise<void> {
    const stored = await this.session.get(WORKER_TABS_KEY).catch(() => ({}) as Record<string, unknown>);
    const pairs = stored[WORKER_TABS_KEY];
    if (Array.isArray(pairs))
      for (const pair of pairs.slice(0, 1000)) {
        if (!Array.isArray(pair) || !Number.isInteger(pair[0]) || typeof pair[1] !== "string") continue;
        if (!this.tabs.has(pair[0]) && this.isArmed(pair[0])) this.tabs.set(pair[0], pair[1]);
      }
    this.restored = true;
    this.store();
  }

  /** The page of an armed tab, at this origin, has a service worker. */
  add(tabId: number, origin: string): void {
    if (this.tabs.get(tabId) === origin) return;
    this.tabs.set(tabId, origin);
    this.store();
  }

  /** The tab goes to this URL: a service worker belongs to its origin, so another origin's page says again. */
  navigated(tabId: number, origin: string | null): void {
    const known = this.tabs.get(tabId);
    if (known !== undefined && known !== origin) this.forget(tabId);
  }

  forget(tabId: number): void {
    if (this.tabs.delete(tabId)) this.store();
  }

  /** Drops the tabs that are no longer armed; true while one is left (the worker listeners are wanted). */
  wanted(): boolean {
    let changed = false;
    for (const tabId of [...this.tabs.keys()])
      if (!this.isArmed(tabId)) {
        this.tabs.delete(tabId);
        changed = true;
      }
    if (changed) this.store();
    return this.tabs.size > 0;
  }

  /** The tabs, among these, whose page has a service worker of this origin. */
  showing(tabs: number[], origin: string | null): number[] {
    return origin ? tabs.filter((tabId) => this.tabs.get(tabId) === origin) : [];
  }

  private store(): void {
    if (!this.restored) return;
    this.session.set({ [WORKER_TABS_KEY]: [...this.tabs] }).catch((e: unknown) => this.reportError(`storage.session: ${String(e)}`));
  }
}
