// The armed tabs whose page has a service worker (src/background/worker-tabs.ts): kept across a background restart,
// forgotten when the tab is disarmed or its page leaves the worker's origin, and never written before the stored
// set was read (that would overwrite what the previous worker kept).
import { describe, expect, it } from "vitest";
import { WORKER_TABS_KEY, WorkerTabs } from "../../src/background/worker-tabs";

function session(initial: unknown) {
  const writes: unknown[] = [];
  return {
    writes,
    get: async () => (initial === undefined ? {} : { [WORKER_TABS_KEY]: initial }),
    set: async (items: Record<string, unknown>) => void writes.push(items[WORKER_TABS_KEY]),
  };
}

describe("WorkerTabs", () => {
  it.each([
    { name: "nothing stored", stored: undefined, armed: [1], kept: [] },
    { name: "an armed tab is kept", stored: [[1, "https://a.test"]], armed: [1], kept: [[1, "https://a.test"]] },
    { name: "a tab no longer armed is dropped", stored: [[1, "https://a.test"]], armed: [], kept: [] },
    { name: "not a list", stored: "[[1,'x']]", armed: [1], kept: [] },
    {
      name: "malformed pairs are skipped, good ones kept",
      stored: [[1.5, "https://a.test"], ["2", "https://b.test"], [3, 7], null, [4, "https://d.test"]],
      armed: [1, 2, 3, 4],
      kept: [[4, "https://d.test"]],
    },
  ])("restores: $name", async ({ stored, armed, kept }) => {
    const store = session(stored);
    const tabs = new WorkerTabs(
      store,
      (t) => armed.includes(t),
      () => {},
    );
    await tabs.restore();
    expect(store.writes.at(-1)).toEqual(kept);
    expect(tabs.wanted()).toBe(kept.length > 0);
  });

  it("writes nothing before the stored set was read, then the whole set", async () => {
    const store = session([[1, "https://a.test"]]);
    const tabs = new WorkerTabs(
      store,
      () => true,
      () => {},
    );
    tabs.add(2, "https://b.test");
    expect(store.writes).toEqual([]);
    await tabs.restore();
    expect(store.writes).toEqual([
      [
        [2, "https://b.test"],
        [1, "https://a.test"],
      ],
    ]);
  });

  it("a navigation to another origin forgets the tab; one within the origin keeps it; disarming drops it", async () => {
    let armed = [1, 2];
    const tabs = new WorkerTabs(
      session(undefined),
      (t) => armed.includes(t),
      () => {},
    );
    await tabs.restore();
    tabs.add(1, "https://a.test");
    tabs.add(2, "https://b.test");
    tabs.navigated(1, "https://a.test");
    expect(tabs.showing([1, 2], "https://a.test")).toEqual([1]);
    tabs.navigated(1, "https://other.test");
    expect(tabs.showing([1, 2], "https://a.test")).toEqual([]);
    expect(tabs.showing([1, 2], "https://b.test")).toEqual([2]);
    expect(tabs.showing([1, 2], null)).toEqual([]);
    armed = [];
    expect(tabs.wanted()).toBe(false);
    expect(tabs.showing([2], "https://b.test")).toEqual([]);
  });
});
