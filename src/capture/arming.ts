// Which tabs are armed (issue 16): full capture costs every request of a tab a round trip to the background, so
// it runs only where the user debugs. Pure: the background feeds it what happened (a panel opened, the toolbar
// button clicked, a tab navigated, the settings changed) and applies the tab changes it returns.
//
// A tab is armed when, in this order:
// 1. the user decided for this tab (panel opened or toolbar click: on; the switch in the popup: on or off), which
//    holds across reloads and navigations until the user changes it or the tab closes;
// 2. the "all tabs" switch is on;
// 3. the page shown in the tab is on the site list (the PAGE's origin, not the requests').
import { originOf } from "../core/origin";

/** The origins developers run locally: armed without a click. */
export const DEFAULT_SITES: readonly string[] = ["localhost", "127.0.0.1", "[::1]", "*.localhost", "*.test"];

export type ArmReason = "user" | "all-tabs" | "site";

export interface ArmingSettings {
  /** Host patterns: `example.com`, `*.example.com` (the domain and its subdomains), optionally `:port`. */
  sites: string[];
  allTabs: boolean;
}

export const DEFAULT_SETTINGS: ArmingSettings = { sites: [...DEFAULT_SITES], allTabs: false };

/** What survives a worker restart (storage.session): the user's per-tab decisions and the tabs' page origins. */
export interface StoredArming {
  user: [number, boolean][];
  pages: [number, string][];
}

const PATTERN = /^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9-]+(\.[a-z0-9-]+)*)(:\d{1,5})?$/;

/** Reads the site list as the user typed it (one pattern a line, or separated by spaces/commas). */
export function parseSites(text: string): { sites: string[]; invalid: string[] } {
  const sites: string[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[\s,]+/)) {
    const item = raw
      .trim()
      .toLowerCase()
      .replace(/^https?:\/\//, "")
      .replace(/\/.*$/, "");
    if (!item) continue;
    if (PATTERN.test(item)) {
      if (!sites.includes(item)) sites.push(item);
    } else invalid.push(raw);
  }
  return { sites, invalid };
}

/** Whether a page origin (`http://127.0.0.1:8080`) is on the list. Only http(s) pages are armed by site. */
export function siteMatches(sites: readonly string[], origin: string | null): boolean {
  if (!origin || !/^https?:\/\//.test(origin)) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  const port = url.port;
  return sites.some((pattern) => {
    const m = PATTERN.exec(pattern);
    if (!m) return false;
    const [, wildcard, name, , portPart] = m;
    if (portPart && portPart.slice(1) !== port) return false;
    // `*.localhost` is the subdomains (a page at `localhost` itself matches its own entry), as in match patterns.
    return wildcard ? host.endsWith(`.${name}`) : host === name;
  });
}

export interface ArmChange {
  tabId: number;
  armed: boolean;
}

export class ArmingState {
  private settings: ArmingSettings = { ...DEFAULT_SETTINGS, sites: [...DEFAULT_SETTINGS.sites] };
  /** The user's decision per tab (panel, click, switch): wins over everything else. */
  private readonly user = new Map<number, boolean>();
  /** The origin of the page each tab shows (as far as known), for the site list. */
  private readonly pages = new Map<number, string>();
  /** The answer last given per tab, to report changes only. */
  private readonly armed = new Set<number>();
  /**
   * Whether each page origin is on the site list, until the list changes: `isArmed` runs for every captured event,
   * and parsing the origin each time was a tenth of the background's own work on a busy page.
   */
  private readonly onList = new Map<string, boolean>();

  isArmed(tabId: number): boolean {
    return this.reason(tabId) !== null;
  }

  armedTabs(): number[] {
    return [...this.armed];
  }

  /** Armed tabs whose page is at this origin (where a site's service worker's requests belong). */
  armedTabsShowing(origin: string | null): number[] {
    if (!origin) return [];
    return [...this.armed].filter((tabId) => this.pages.get(tabId) === origin);
  }

  get allTabs(): boolean {
    return this.settings.allTabs;
  }

  get sites(): string[] {
    return [...this.settings.sites];
  }

  /** Why the tab is armed (or not), for the popup and the badge's tooltip. */
  reason(tabId: number): ArmReason | null {
    const user = this.user.get(tabId);
    if (user !== undefined) return user ? "user" : null;
    if (this.settings.allTabs) return "all-tabs";
    return this.onSiteList(this.pages.get(tabId) ?? null) ? "site" : null;
  }

  private onSiteList(origin: string | null): boolean {
    if (origin === null) return false;
    let on = this.onList.get(origin);
    if (on === undefined) {
      on = siteMatches(this.settings.sites, origin);
      // Bounded: a tab's origins come one per navigation, but a long session navigates a lot.
      if (this.onList.size >= 1000) this.onList.clear();
      this.onList.set(origin, on);
    }
    return on;
  }

  /** The user armed (panel opened, toolbar click, switch on) or disarmed (switch off) the tab. */
  setUser(tabId: number, armed: boolean): ArmChange[] {
    // No tab (a `cors-doctor:arm` message about −1): arming it would register capture listeners with a tabId −1
    // filter, which Chromium reads as every tab.
    if (!Number.isInteger(tabId) || tabId < 0) return [];
    this.user.set(tabId, armed);
    return this.update([tabId]);
  }

  /** The tab is about to show a page of `origin` (its main-frame request started, or a redirect of it). */
  navigated(tabId: number, origin: string | null): ArmChange[] {
    if (origin === null) this.pages.delete(tabId);
    else this.pages.set(tabId, origin);
    return this.update([tabId]);
  }

  removeTab(tabId: number): ArmChange[] {
    this.user.delete(tabId);
    this.pages.delete(tabId);
    const was = this.armed.delete(tabId);
    return was ? [{ tabId, armed: false }] : [];
  }

  setSettings(settings: ArmingSettings): ArmChange[] {
    this.settings = { sites: [...settings.sites], allTabs: settings.allTabs };
    this.onList.clear();
    return this.update(this.knownTabs());
  }

  getStored(): StoredArming {
    return { user: [...this.user], pages: [...this.pages] };
  }

  /** Restores a previous worker's state; what happened since (already applied here) wins. */
  restore(stored: StoredArming | undefined): ArmChange[] {
    if (!stored) return [];
    for (const [tabId, armed] of stored.user ?? []) if (!this.user.has(tabId)) this.user.set(tabId, armed);
    for (const [tabId, origin] of stored.pages ?? []) if (!this.pages.has(tabId)) this.pages.set(tabId, origin);
    return this.update(this.knownTabs());
  }

  /** Only the tabs that still exist: anything else is forgotten (the worker may have missed their closing). */
  retainTabs(existing: Iterable<number>): ArmChange[] {
    const keep = new Set(existing);
    return this.knownTabs()
      .filter((tabId) => !keep.has(tabId))
      .flatMap((tabId) => this.removeTab(tabId));
  }

  private knownTabs(): number[] {
    return [...new Set([...this.user.keys(), ...this.pages.keys(), ...this.armed])];
  }

  private update(tabIds: number[]): ArmChange[] {
    const changes: ArmChange[] = [];
    for (const tabId of tabIds) {
      const armed = this.reason(tabId) !== null;
      if (armed === this.armed.has(tabId)) continue;
      if (armed) this.armed.add(tabId);
      else this.armed.delete(tabId);
      changes.push({ tabId, armed });
    }
    return changes;
  }
}

/** The origin of a main-frame URL, as the site list compares it. */
export function pageOrigin(url: string): string | null {
  return originOf(url);
}
