// Which tabs are armed (src/capture/arming.ts): the site list matches the PAGE's origin, the user's decision for
// a tab wins over everything, "all tabs" arms the rest, and a restarted worker gets back what the old one knew.
import { describe, expect, it } from "vitest";
import { ArmingState, DEFAULT_SITES, parseSites, siteMatches } from "../../src/capture/arming";

describe("site list", () => {
  const cases: [string, string | null, boolean][] = [
    ["http://localhost:5173", null, true],
    ["http://127.0.0.1:8080", null, true],
    ["http://[::1]:3000", null, true],
    ["http://app.localhost:3000", null, true],
    ["https://shop.test", null, true],
    ["https://a.b.test", null, true],
    ["https://test", null, false], // `*.test` is the subdomains
    ["https://localhost.example.com", null, false],
    ["https://example.com", null, false],
    ["http://127.0.0.2:8080", null, false],
    ["chrome-extension://abc", null, false],
    ["file:///tmp/x.html", null, false],
    ["null", null, false],
  ];
  it.each(cases)("%s on the default list: %s", (origin, _unused, expected) => {
    void _unused;
    expect(siteMatches(DEFAULT_SITES, origin)).toBe(expected);
  });

  it.each([
    [["example.com:8443"], "https://example.com:8443", true],
    [["example.com:8443"], "https://example.com", false],
    [["*.example.com"], "https://api.example.com", true],
    [["*.example.com"], "https://example.com", false],
    [["Example.COM"], "https://example.com", false], // patterns are stored lower-case by parseSites
  ] as [string[], string, boolean][])("%j matches %s: %s", (sites, origin, expected) => {
    expect(siteMatches(sites, origin)).toBe(expected);
  });

  it("reads what users type: one a line, URLs cut to their host, junk reported", () => {
    expect(parseSites("localhost\nhttps://Example.com/path\n*.dev.internal:8080, [::1]\n\nbad_host!\nlocalhost")).toEqual({
      sites: ["localhost", "example.com", "*.dev.internal:8080", "[::1]"],
      invalid: ["bad_host!"],
    });
  });
});

describe("ArmingState", () => {
  it("arms a tab by its page's site, and disarms it when it leaves", () => {
    const s = new ArmingState();
    expect(s.navigated(1, "http://127.0.0.1:8080")).toEqual([{ tabId: 1, armed: true }]);
    expect(s.reason(1)).toBe("site");
    expect(s.navigated(1, "http://127.0.0.1:8080")).toEqual([]); // reload: nothing changes
    expect(s.navigated(1, "https://example.com")).toEqual([{ tabId: 1, armed: false }]);
    expect(s.isArmed(1)).toBe(false);
  });

  it("the user's decision holds across navigations and wins over the site list", () => {
    const s = new ArmingState();
    s.navigated(2, "https://example.com");
    expect(s.setUser(2, true)).toEqual([{ tabId: 2, armed: true }]);
    expect(s.navigated(2, "https://other.example")).toEqual([]);
    expect(s.reason(2)).toBe("user");
    s.navigated(3, "http://localhost:3000");
    expect(s.setUser(3, false)).toEqual([{ tabId: 3, armed: false }]);
    expect(s.navigated(3, "http://localhost:3000")).toEqual([]);
    expect(s.isArmed(3)).toBe(false);
  });

  it("all tabs arms every tab the user did not switch off; an empty site list arms none", () => {
    const s = new ArmingState();
    s.navigated(1, "https://a.example");
    s.navigated(2, "http://localhost");
    s.setUser(3, false);
    expect(s.setSettings({ sites: [], allTabs: true })).toEqual([{ tabId: 1, armed: true }]);
    expect([1, 2, 3, 99].map((t) => s.isArmed(t))).toEqual([true, true, false, true]);
    expect(s.setSettings({ sites: [], allTabs: false })).toEqual([
      { tabId: 1, armed: false },
      { tabId: 2, armed: false },
    ]);
  });

  it("a restarted worker restores the decisions and pages, and what it saw since wins", () => {
    const before = new ArmingState();
    before.setUser(5, true);
    before.navigated(6, "http://localhost:1");
    before.navigated(7, "https://example.com");
    const stored = JSON.parse(JSON.stringify(before.getStored()));
    const after = new ArmingState();
    after.navigated(6, "https://example.com"); // seen by the new worker before the old state came back
    expect(after.restore(stored)).toEqual([{ tabId: 5, armed: true }]);
    expect(after.armedTabs().sort()).toEqual([5]);
    expect(after.retainTabs([6, 7])).toEqual([{ tabId: 5, armed: false }]);
  });

  it("a closed tab is forgotten", () => {
    const s = new ArmingState();
    s.setUser(4, true);
    expect(s.removeTab(4)).toEqual([{ tabId: 4, armed: false }]);
    expect(s.getStored()).toEqual({ user: [], pages: [] });
  });
});
