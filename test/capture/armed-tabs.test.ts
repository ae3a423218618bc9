// ArmedTabs (src/background/armed-tabs.ts) restoring its state when the background starts, against a browser
// stand-in that answers each call with the state of the moment it is asked: the race of a worker that starts beside
// a loading page. The events of a navigation that commits during the worker's first turn are lost (no listener is
// registered yet), so the tab list must be asked for after that turn, or the tab is armed by neither.
import { describe, expect, it } from "vitest";
import { ArmedTabs, SETTINGS_KEY } from "../../src/background/armed-tabs";

interface Tab {
  id: number;
  url: string;
}

function browserStandIn(tabs: Tab[], settings?: unknown) {
  const store = (initial: Record<string, unknown>) => {
    const items = { ...initial };
    return {
      get: async (key: string) => (key in items ? { [key]: items[key] } : {}),
      set: async (more: Record<string, unknown>) => void Object.assign(items, more),
    };
  };
  const queried: Tab[][] = [];
  return {
    queried,
    apis: {
      session: store({}),
      local: store(settings ? { [SETTINGS_KEY]: settings } : {}),
      // The list as it is when asked, not when answered.
      queryTabs: () => {
        const now = tabs.map((t) => ({ ...t }));
        queried.push(now);
        return Promise.resolve(now);
      },
      reportError: (message: string) => {
        throw new Error(message);
      },
    },
  };
}

describe("ArmedTabs at start", () => {
  it("asks for the tab list only after the first turn", async () => {
    const browser = browserStandIn([]);
    const armed = new ArmedTabs(browser.apis);
    expect(browser.queried).toHaveLength(0);
    await armed.ready;
    expect(browser.queried).toHaveLength(1);
  });

  it("arms a page that committed during the first turn, whose events came before the listeners", async () => {
    const tabs: Tab[] = [{ id: 7, url: "about:blank" }];
    const browser = browserStandIn(tabs);
    const armed = new ArmedTabs(browser.apis);
    // Still the first turn (the rest of the background script runs): the page commits, and its events are lost.
    tabs[0]!.url = "http://localhost:5173/";
    await armed.ready;
    expect(armed.isArmed(7)).toBe(true);
    expect(armed.reason(7)).toBe("site");
  });

  it("arms the tabs already showing a page of the site list, and only those", async () => {
    const browser = browserStandIn([
      { id: 1, url: "http://127.0.0.1:8080/app" },
      { id: 2, url: "https://example.com/" },
      { id: 3, url: "https://shop.test/" },
    ]);
    const armed = new ArmedTabs(browser.apis);
    await armed.ready;
    expect([1, 2, 3].map((id) => armed.isArmed(id))).toEqual([true, false, true]);
  });

  it("what a tab's events said while it restored wins over the older tab list", async () => {
    const tabs: Tab[] = [{ id: 4, url: "http://localhost:3000/" }];
    const browser = browserStandIn(tabs);
    const armed = new ArmedTabs(browser.apis);
    // The listeners are live now: the tab navigates away before the list is asked for.
    armed.navigated(4, "https://example.com/");
    await armed.ready;
    expect(armed.isArmed(4)).toBe(false);
  });
});
