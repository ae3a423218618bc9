// Private windows (src/background/private.ts): which events are private, the memory-only session area, and
// how a tab's privacy is decided when a panel asks before any event arrived.
import { describe, expect, it } from "vitest";
import { askerIsPrivate, isPrivateEvent, memorySession, PrivateTabs } from "../../src/background/private";

describe("isPrivateEvent", () => {
  const cases: [string, object, boolean][] = [
    ["Firefox, private window", { tabId: 3, incognito: true }, true],
    ["Firefox, normal window", { tabId: 3, incognito: false }, false],
    ["Chrome (no flag: split mode separates the instances)", { tabId: 3 }, false],
    ["a truthy non-boolean is not a mark", { tabId: 3, incognito: "true" }, false],
  ];
  it.each(cases)("%s", (_name, details, expected) => expect(isPrivateEvent(details)).toBe(expected));
});

describe("askerIsPrivate: a private tab's capture is served only to a page in a private window", () => {
  const cases: [string, object | undefined, unknown, boolean][] = [
    ["a page in a private tab", { tab: { incognito: true } }, { tabId: 3 }, true],
    ["a page in a normal tab", { tab: { incognito: false } }, { tabId: 3 }, false],
    [
      "a page in a normal tab that claims to be private: the browser's word wins",
      { tab: { incognito: false } },
      { incognito: true },
      false,
    ],
    ["a page in a private tab that claims otherwise: still private", { tab: { incognito: true } }, { incognito: false }, true],
    ["a page without a tab (popup, DevTools panel) in a private window", {}, { tabId: 3, incognito: true }, true],
    ["a page without a tab in a normal window", {}, { tabId: 3, incognito: false }, false],
    ["a page without a tab that says nothing", {}, { tabId: 3 }, false],
    ["a truthy non-boolean is not a claim", {}, { incognito: "true" }, false],
    ["no sender, no message", undefined, null, false],
  ];
  it.each(cases)("%s", (_name, sender, message, expected) => expect(askerIsPrivate(sender, message)).toBe(expected));
});

describe("memorySession", () => {
  it("behaves like storage.session for set, remove and get(null), and is private to its instance", async () => {
    const a = memorySession();
    const b = memorySession();
    await a.set({ "rec:1": "x", "tab:3": { evicted: 0 } });
    await a.remove(["rec:1", "missing"]);
    expect(await a.get(null)).toEqual({ "tab:3": { evicted: 0 } });
    expect(await b.get(null)).toEqual({});
  });
});

describe("PrivateTabs", () => {
  it("an event's mark wins over the lookup, the lookup is asked once per tab, and a closed tab is forgotten", async () => {
    const asked: number[] = [];
    const tabs = new PrivateTabs(async (tabId) => {
      asked.push(tabId);
      return tabId === 7;
    });
    tabs.note(5, true);
    expect(await tabs.isPrivate(5)).toBe(true);
    expect(await tabs.isPrivate(7)).toBe(true);
    expect(await tabs.isPrivate(7)).toBe(true);
    expect(await tabs.isPrivate(8)).toBe(false);
    expect(asked).toEqual([7, 8]);
    tabs.forget(7);
    await tabs.isPrivate(7);
    expect(asked).toEqual([7, 8, 7]);
  });

  it("a lookup that fails (tab gone, no private access) means not private; negative tab ids are never noted", async () => {
    const tabs = new PrivateTabs(async () => {
      throw new Error("No tab with id");
    });
    expect(await tabs.isPrivate(9)).toBe(false);
    tabs.note(-1, true);
    expect(await tabs.isPrivate(-1)).toBe(false);
  });
});
