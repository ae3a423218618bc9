// How the background registers the page-side observer (src/background/page-observer.ts), against a stand-in of
// chrome.scripting that keeps registrations as the browser does: a background that starts keeps a registration
// that already says the same (no gap in which a loading page goes without the observer: measured in Chromium,
// chromium-page-observer.test.ts), and replaces any other.
import { describe, expect, it } from "vitest";
import { OBSERVER_SCRIPT_IDS, PageObserverInjector, type ScriptingApi } from "../../src/background/page-observer";

type Script = { id: string; matches?: string[]; js?: string[]; runAt?: string; allFrames?: boolean; persistAcrossSessions?: boolean };

function scripting(initial: Script[]) {
  let registered = [...initial];
  const calls: string[] = [];
  const api: ScriptingApi = {
    getRegisteredContentScripts: async (filter) => {
      calls.push("get");
      return registered.filter((s) => !filter?.ids || filter.ids.includes(s.id));
    },
    registerContentScripts: async (scripts) => {
      calls.push("register");
      registered.push(...(scripts as Script[]));
    },
    unregisterContentScripts: async (filter) => {
      calls.push("unregister");
      registered = registered.filter((s) => filter?.ids && !filter.ids.includes(s.id));
    },
    executeScript: async () => undefined,
  };
  return { api, calls, registered: () => registered };
}

const SITES = ["*://127.0.0.1/*", "*://localhost/*"];
const ours = (matches: string[], persist = true): Script[] => [
  {
    id: OBSERVER_SCRIPT_IDS.page,
    js: ["page-world.js"],
    matches,
    runAt: "document_start",
    allFrames: true,
    persistAcrossSessions: persist,
  },
  { id: OBSERVER_SCRIPT_IDS.relay, js: ["relay.js"], matches, runAt: "document_start", allFrames: true, persistAcrossSessions: persist },
];

describe("registering the page-side observer when the background starts", () => {
  it.each([
    { name: "nothing registered (a fresh profile)", before: [], calls: ["get", "unregister", "register"] },
    { name: "the same registration, from the last background or the last session", before: ours(SITES), calls: ["get"] },
    { name: "the same sites in another order", before: ours([...SITES].reverse()), calls: ["get"] },
    { name: "another site list", before: ours(["*://localhost/*"]), calls: ["get", "unregister", "register"] },
    { name: "an older version's registration that does not persist", before: ours(SITES, false), calls: ["get", "unregister", "register"] },
    { name: "one of the two scripts only", before: ours(SITES).slice(0, 1), calls: ["get", "unregister", "register"] },
  ])("$name", async ({ before, calls }) => {
    const browser = scripting(before);
    await new PageObserverInjector(browser.api, () => {}).registerFor(SITES);
    expect(browser.calls).toEqual(calls);
    expect(browser.registered().map((s) => [s.id, [...(s.matches ?? [])].sort(), s.persistAcrossSessions])).toEqual([
      [OBSERVER_SCRIPT_IDS.page, SITES, true],
      [OBSERVER_SCRIPT_IDS.relay, SITES, true],
    ]);
  });

  it("a later change of the site list replaces the registration without asking again; no sites, no scripts", async () => {
    const browser = scripting(ours(SITES));
    const injector = new PageObserverInjector(browser.api, () => {});
    await injector.registerFor(SITES);
    await injector.registerFor(["*://localhost/*"]);
    await injector.registerFor([]);
    expect(browser.calls).toEqual(["get", "unregister", "register", "unregister"]);
    expect(browser.registered()).toEqual([]);
  });

  it("a browser without getRegisteredContentScripts registers as before", async () => {
    const browser = scripting(ours(SITES));
    delete browser.api.getRegisteredContentScripts;
    await new PageObserverInjector(browser.api, () => {}).registerFor(SITES);
    expect(browser.calls).toEqual(["unregister", "register"]);
  });
});
