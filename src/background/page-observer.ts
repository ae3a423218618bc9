// Puts the page-side observer (src/content/page-world.ts + relay.ts) into armed tabs only, as capture is armed:
// sites that are always armed get registered content scripts (they run at document_start, before the page's
// first fetch); a tab armed by hand gets the scripts injected now and again on each navigation. Unarmed tabs get
// nothing. Browser APIs come in through `ScriptingApi` so the rule can be driven by tests.
export const OBSERVER_SCRIPT_IDS = { page: "cors-doctor-page-world", relay: "cors-doctor-relay" } as const;
const PAGE_FILE = "page-world.js";
const RELAY_FILE = "relay.js";

interface RegisteredScript {
  id: string;
  matches?: string[];
  js?: string[];
  runAt?: string;
  allFrames?: boolean;
  persistAcrossSessions?: boolean;
}

export interface ScriptingApi {
  getRegisteredContentScripts?(filter?: { ids?: string[] }): Promise<RegisteredScript[]>;
  registerContentScripts(scripts: object[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
  executeScript(injection: object): Promise<unknown>;
}

/** Match patterns for the page origins of a site list ("localhost", "*.test", "[::1]", "app.example.com:8443"). */
export function matchPatternsForSites(sites: readonly string[]): string[] {
  const patterns = new Set<string>();
  for (const site of sites) {
    // Match patterns have no port: "localhost:5173" arms localhost on every port, which is what the user means.
    const host = site
      .trim()
      .toLowerCase()
      .replace(/^[a-z]+:\/\//, "")
      .replace(/\/.*$/, "")
      .replace(/:\d+$/, "");
    if (!host || /[\s/?#]/.test(host)) continue;
    patterns.add(`*://${host}/*`);
  }
  return [...patterns];
}

export class PageObserverInjector {
  private registered: string | null = null;

  constructor(
    private readonly scripting: ScriptingApi | undefined,
    private readonly reportError: (message: string) => void,
  ) {}

  /**
   * Registers the observer for these page match patterns (empty: none). Idempotent. A background that starts (after
   * being stopped when idle, typically woken by the very navigation that loads a page of the site list) keeps a
   * registration that already says the same: unregistering first left a gap in which that page loaded without the
   * observer (measured in Chromium: 6 of 45 pages, none since; chromium-page-observer.test.ts). The registration also
   * persists across browser restarts, so the background finds it there at start-up (whether that gives a tab opened
   * at once the observer was not shown: 6 of 8 with it and without it, under --load-extension).
   */
  async registerFor(patterns: readonly string[]): Promise<void> {
    const key = [...patterns].sort().join(" ");
    if (!this.scripting || key === this.registered) return;
    const first = this.registered === null;
    this.registered = key;
    try {
      if (first && (await this.alreadyRegistered(key))) return;
      await this.scripting.unregisterContentScripts({ ids: [OBSERVER_SCRIPT_IDS.page, OBSERVER_SCRIPT_IDS.relay] }).catch(() => {});
      if (patterns.length === 0) return;
      const common = { matches: [...patterns], runAt: "document_start", allFrames: true, persistAcrossSessions: true };
      await this.scripting.registerContentScripts([
        { id: OBSERVER_SCRIPT_IDS.page, js: [PAGE_FILE], world: "MAIN", ...common },
        { id: OBSERVER_SCRIPT_IDS.relay, js: [RELAY_FILE], ...common },
      ]);
    } catch (error) {
      this.registered = null;
      this.reportError(`page observer: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Whether both scripts are registered for exactly these patterns (by an earlier background, or before a restart). */
  private async alreadyRegistered(key: string): Promise<boolean> {
    const ids: string[] = [OBSERVER_SCRIPT_IDS.page, OBSERVER_SCRIPT_IDS.relay];
    const found = await this.scripting?.getRegisteredContentScripts?.({ ids }).catch(() => []);
    if (!found) return false;
    if (key === "") return found.length === 0;
    const files: Record<string, string> = { [OBSERVER_SCRIPT_IDS.page]: PAGE_FILE, [OBSERVER_SCRIPT_IDS.relay]: RELAY_FILE };
    // Everything this version registers, so that another version's registration (or a non-persistent one) is replaced.
    const same = (s: RegisteredScript) =>
      [...(s.matches ?? [])].sort().join(" ") === key &&
      s.js?.length === 1 &&
      s.js[0]?.replace(/^\//, "") === files[s.id] &&
      s.runAt === "document_start" &&
      s.allFrames === true &&
      s.persistAcrossSessions === true;
    return found.length === ids.length && ids.every((id) => found.some((s) => s.id === id && same(s)));
  }

  /** Injects the observer into one tab now (armed by hand); both scripts guard against running twice. */
  async injectInto(tabId: number): Promise<void> {
    if (!this.scripting) return;
    const target = { tabId, allFrames: true };
    try {
      await this.scripting.executeScript({ target, files: [PAGE_FILE], world: "MAIN", injectImmediately: true });
      await this.scripting.executeScript({ target, files: [RELAY_FILE], injectImmediately: true });
    } catch {
      // A tab showing a page we may not script (chrome://, the Web Store, about:) simply has no observer.
    }
  }
}
