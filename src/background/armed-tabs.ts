// The armed tabs (issue 16), the seam for everything that follows arming: the capture listeners today, and
// next anything else observed or injected per tab (a page-side observer of failed requests, service-worker
// requests of an armed page). Subscribe with `onChange`, ask with `isArmed`; never keep a copy of the set.
//
// State lives where it survives what it must: the user's settings (site list, "all tabs") in storage.local;
// the per-tab decisions and page origins in storage.session (gone with the browser session, like tab ids),
// restored when the worker starts again. Firefox's event page also mirrors the armed tabs in localStorage,
// which it can read synchronously, so that its capture listeners are registered again in the first turn.
import {
  ArmingState,
  DEFAULT_SETTINGS,
  pageOrigin,
  parseSites,
  type ArmChange,
  type ArmReason,
  type ArmingSettings,
  type StoredArming,
} from "../capture/arming";
import type { ArmingRequest, ArmingStatus } from "../shared/protocol";

export const SETTINGS_KEY = "settings:arming";
export const SESSION_KEY = "arming";
/** localStorage key of the synchronous mirror (Firefox event page only: a service worker has no localStorage). */
export const MIRROR_KEY = "cors-doctor:armed";

interface StorageArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface ArmingApis {
  session: StorageArea;
  local: StorageArea;
  /** Firefox event page: window.localStorage (synchronous). Absent in a service worker. */
  mirror?: Pick<Storage, "getItem" | "setItem"> | null;
  /** Every open tab with the URL of its page (host permissions make it visible). */
  queryTabs(): Promise<{ id?: number; url?: string }[]>;
  /** Any cheap extension API call: keeps the worker alive while a tab is armed, so no event falls in a restart. */
  keepAlive?(): void;
  /** How often (below the browser's idle timeout: 30 s in Chromium, an API call resets it from Chrome 110). */
  keepAliveMs?: number;
  reportError(message: string): void;
}

export type ArmingListener = (change: ArmChange) => void;

/** What the synchronous mirror holds: the armed tabs and the "all tabs" switch, as last known. */
export interface ArmedMirror {
  tabs: number[];
  allTabs: boolean;
}

export function readMirror(mirror: ArmingApis["mirror"]): ArmedMirror | null {
  try {
    const text = mirror?.getItem(MIRROR_KEY);
    if (!text) return null;
    const value = JSON.parse(text) as ArmedMirror;
    return Array.isArray(value.tabs) ? { tabs: value.tabs.filter((t) => Number.isInteger(t)), allTabs: value.allTabs === true } : null;
  } catch {
    return null;
  }
}

export class ArmedTabs {
  private readonly state = new ArmingState();
  private readonly listeners = new Set<ArmingListener>();
  private restored = false;
  /** Tabs seen (navigated, armed by the user, closed) while restoring: newer than the tab list asked for then. */
  private readonly seenWhileRestoring = new Set<number>();
  private keepAliveTimer: ReturnType<typeof setInterval> | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly apis: ArmingApis) {
    this.ready = this.restore();
  }

  // ---- the seam ----

  isArmed(tabId: number): boolean {
    return this.state.isArmed(tabId);
  }

  /** Tabs armed one by one (in "all tabs" mode, every tab is armed without being listed). */
  armedTabs(): number[] {
    return this.state.armedTabs();
  }

  get allTabs(): boolean {
    return this.state.allTabs;
  }

  armedTabsShowing(origin: string | null): number[] {
    return this.state.armedTabsShowing(origin);
  }

  reason(tabId: number): ArmReason | null {
    return this.state.reason(tabId);
  }

  /** Called for each tab whose armed state changed (after the previous worker's state is restored). */
  onChange(listener: ArmingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- inputs ----

  /** The user armed the tab (panel opened on it, toolbar click, switch on) or disarmed it (switch off). */
  setUser(tabId: number, armed: boolean): void {
    if (!this.restored) this.seenWhileRestoring.add(tabId);
    this.apply(this.state.setUser(tabId, armed));
  }

  /** A main-frame request of the tab started (or was redirected): its page's origin decides arming by site. */
  navigated(tabId: number, url: string): void {
    if (tabId < 0) return;
    if (!this.restored) this.seenWhileRestoring.add(tabId);
    this.apply(this.state.navigated(tabId, pageOrigin(url)));
  }

  tabRemoved(tabId: number): void {
    if (!this.restored) this.seenWhileRestoring.add(tabId);
    this.apply(this.state.removeTab(tabId));
  }

  settings(): ArmingSettings {
    return { sites: this.state.sites, allTabs: this.state.allTabs };
  }

  async setSettings(settings: ArmingSettings): Promise<void> {
    await this.ready;
    this.apply(this.state.setSettings(settings), true);
    await this.apis.local.set({ [SETTINGS_KEY]: settings }).catch((e: unknown) => this.apis.reportError(`storage.local: ${String(e)}`));
  }

  status(tabId: number): ArmingStatus {
    return { tabId, armed: this.isArmed(tabId), reason: this.reason(tabId), ...this.settings() };
  }

  /** The popup's and the panel's messages about arming; undefined for messages that are not about it. */
  onRuntimeMessage(message: unknown): Promise<unknown> | undefined {
    const request = message as ArmingRequest | undefined;
    if (!request || typeof request !== "object") return undefined;
    switch (request.type) {
      case "cors-doctor:arming":
        if (typeof request.tabId !== "number") return undefined;
        return this.ready.then(() => this.status(request.tabId));
      case "cors-doctor:arm":
        if (typeof request.tabId !== "number" || typeof request.armed !== "boolean") return undefined;
        return this.ready.then(() => {
          this.setUser(request.tabId, request.armed);
          return this.status(request.tabId);
        });
      case "cors-doctor:arming-settings": {
        if (!Array.isArray(request.sites) || typeof request.allTabs !== "boolean") return undefined;
        const { sites, invalid } = parseSites(request.sites.join("\n"));
        return this.setSettings({ sites, allTabs: request.allTabs }).then(() => ({ ...this.settings(), invalid }));
      }
      default:
        return undefined;
    }
  }

  // ---- state ----

  private async restore(): Promise<void> {
    const stored = Promise.all([
      this.apis.session.get(SESSION_KEY).catch(() => ({}) as Record<string, unknown>),
      this.apis.local.get(SETTINGS_KEY).catch(() => ({}) as Record<string, unknown>),
    ]);
    // The tab list is asked for once the first turn is over, when the background's listeners are registered (this
    // runs in the constructor, before them): a page that committed in between was in neither, its events came before
    // the listeners and its URL after the list, and its tab stayed unarmed until it navigated again (a worker just
    // installed or started beside a loading page: it fits the warm-up requests never captured in CI and the bench).
    await new Promise((resolve) => setTimeout(resolve, 0));
    const tabs = await this.apis.queryTabs().catch(() => null);
    const [session, local] = await stored;
    const settings = local[SETTINGS_KEY] as Partial<ArmingSettings> | undefined;
    this.state.setSettings({
      sites: Array.isArray(settings?.sites) ? settings.sites.filter((s): s is string => typeof s === "string") : DEFAULT_SETTINGS.sites,
      allTabs: settings?.allTabs === true,
    });
    this.state.restore(session[SESSION_KEY] as StoredArming | undefined);
    if (tabs) {
      // Tabs whose page the worker never saw load (open before install, or loaded while it was stopped). The tab
      // list was asked for when restoring began: what happened to a tab since (it navigated, was armed, opened,
      // or closed) is newer and stands.
      const known = new Set(this.state.getStored().pages.map(([id]) => id));
      for (const tab of tabs) {
        if (tab.id === undefined || !tab.url || known.has(tab.id) || this.seenWhileRestoring.has(tab.id)) continue;
        this.state.navigated(tab.id, pageOrigin(tab.url));
      }
      this.state.retainTabs([...tabs.flatMap((t) => (t.id === undefined ? [] : [t.id])), ...this.seenWhileRestoring]);
    }
    this.restored = true;
    // Every tab, armed or not, is reported once: listeners registered early (Firefox's mirror) are reconciled.
    this.apply([], true);
  }

  private apply(changes: ArmChange[], everything = false): void {
    if (!this.restored) return;
    void this.apis.session
      .set({ [SESSION_KEY]: this.state.getStored() })
      .catch((e: unknown) => this.apis.reportError(`storage.session: ${String(e)}`));
    const armed = this.state.armedTabs();
    try {
      this.apis.mirror?.setItem(MIRROR_KEY, JSON.stringify({ tabs: armed, allTabs: this.state.allTabs } satisfies ArmedMirror));
    } catch {
      // A full or disabled localStorage only costs the synchronous restart.
    }
    this.updateKeepAlive(armed.length > 0 || this.state.allTabs);
    const report = everything ? [...changes, ...armed.map((tabId) => ({ tabId, armed: true }))] : changes;
    for (const change of report) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          this.apis.reportError(`arming listener: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  private updateKeepAlive(needed: boolean): void {
    const keepAlive = this.apis.keepAlive;
    if (!keepAlive) return;
    if (needed && !this.keepAliveTimer) this.keepAliveTimer = setInterval(() => keepAlive(), this.apis.keepAliveMs ?? 20_000);
    else if (!needed && this.keepAliveTimer) {
      clearInterval(this.keepAliveTimer);
      this.keepAliveTimer = null;
    }
  }
}
