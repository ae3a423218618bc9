// Puts the page-side observer (src/content/page-world.ts + relay.ts) into armed tabs only, as capture is armed:
// sites that are always armed get registered content scripts (they run at document_start, before the page's
// first fetch); a tab armed by hand gets the scripts injected now and again on each navigation. Unarmed tabs get
// nothing. Browser APIs come in through `ScriptingApi` so the rule can be driven by tests.
export const OBSERVER_SCRIPT_IDS = { page: "cors-doctor-page-world", relay: "cors-doctor-relay" } as const;
const PAGE_FILE = "page-world.js";
const RELAY_FILE = "relay.js";

export interface ScriptingApi {
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

  /** Registers the observer for these page match patterns (empty: none). Idempotent. */
  async registerFor(patterns: readonly string[]): Promise<void> {
    const key = [...patterns].sort().join(" ");
    if (!this.scripting || key === this.registered) return;
    this.registered = key;
    try {
      await this.scripting.unregisterContentScripts({ ids: [OBSERVER_SCRIPT_IDS.page, OBSERVER_SCRIPT_IDS.relay] }).catch(() => {});
      if (patterns.length === 0) return;
      const common = { matches: [...patterns], runAt: "document_start", allFrames: true, persistAcrossSessions: false };
      await this.scripting.registerContentScripts([
        { id: OBSERVER_SCRIPT_IDS.page, js: [PAGE_FILE], world: "MAIN", ...common },
        { id: OBSERVER_SCRIPT_IDS.relay, js: [RELAY_FILE], ...common },
      ]);
    } catch (error) {
      this.registered = null;
      this.reportError(`page observer: ${error instanceof Error ? error.message : String(error)}`);
    }
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
