// Which tabs are armed (src/capture/arming.ts): the site list matches the PAGE's origin, the user's decision for
// a tab wins over everything, "all tabs" arms the rest, and a restarted worker gets back what the old one knew.
import { describe, expect, it } from "vitest";
import { CaptureListeners } from "../../src/background/listeners";
import { ArmingState, DEFAULT_SITES, parseSites, siteMatches } from "../../src/capture/arming";
import { Capture, seenOnlyFailing } from "../../src/capture/capture";
import { LiveLog } from "../../src/capture/live-log";
import { API, ORIGIN, PAGE, req } from "./events";
import { CAPTURE_EVENTS, RESOURCE_TYPES } from "./helpers/webrequest-enums";

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

  it("arms no tab for a panel or page that has none (tab −1: Chromium's filter would read it as every tab)", () => {
    const s = new ArmingState();
    expect(s.setUser(-1, true)).toEqual([]);
    expect(s.setUser(Number.NaN, true)).toEqual([]);
    expect(s.armedTabs()).toEqual([]);
    expect(s.isArmed(-1)).toBe(false);
  });

  it("a change of the site list is seen by every tab at once, whatever was answered for its origin before", () => {
    const s = new ArmingState();
    s.navigated(1, "https://app.example:8443");
    s.navigated(2, "https://app.example:8443");
    expect([s.isArmed(1), s.isArmed(2)]).toEqual([false, false]);
    expect(s.setSettings({ sites: ["app.example:8443"], allTabs: false })).toEqual([
      { tabId: 1, armed: true },
      { tabId: 2, armed: true },
    ]);
    expect(s.reason(2)).toBe("site");
    expect(s.setSettings({ sites: ["app.example:9000"], allTabs: false })).toEqual([
      { tabId: 1, armed: false },
      { tabId: 2, armed: false },
    ]);
    expect(s.isArmed(1)).toBe(false);
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

// In an armed Chromium tab, the capture listeners follow only the types where CORS decides the outcome; images,
// scripts, stylesheets and media reach capture only when they fail (src/background/listeners.ts).
describe("requests seen only at their failure", () => {
  const image = (id: string, url: string, error: string) => {
    const r = req("chrome", id, "GET", url);
    return { event: "ErrorOccurred" as const, details: { ...r.error(error).details, type: "image" }, errorOnly: true };
  };
  const cases: [string, string, string, boolean][] = [
    ["a cross-origin image failed by CORS", `${API}/a.png`, "net::ERR_FAILED", true],
    ["a cross-origin image refused by the network (no-cors loads fail so too)", `${API}/b.png`, "net::ERR_CONNECTION_REFUSED", false],

    ["a cancelled image", `${API}/d.png`, "net::ERR_ABORTED", false],
    ["a same-origin image", `${PAGE}/e.png`, "net::ERR_FAILED", false],
  ];
  it.each(cases)("%s: listed %s", (_name, url, error, listed) => {
    const log = new LiveLog({ browser: "chrome" });
    log.handle(image("100", url, error));
    log.flush();
    const items = log.items(7);
    expect(items.length).toBe(listed ? 1 : 0);
    if (!listed) return;
    const [item] = items;
    expect(item!.exchange.legs[0]!.request.headers).toEqual([]);
    expect(item!.diagnosis.verdict).toBe("blocked");
    // The engine's words assume captured headers; the log says what is known instead.
    expect(item!.diagnosis.blockedBy!.title).toBe(
      "The image failed (net::ERR_FAILED), most likely refused by CORS; its headers were not captured",
    );
    expect(item!.diagnosis.blockedBy!.detail).not.toContain("passes on what was captured");
    expect(item!.diagnosis.assumptions?.join(" ")).toContain("the reason is unknown");
    expect(log.report(7).items[0]!.diagnosis.blockedBy!.fixes).toBeUndefined();
  });

  it("a cross-origin image blocked by ORB or CORP (policies of every mode) is listed with the engine's own words", () => {
    for (const [error, id] of [
      ["net::ERR_BLOCKED_BY_ORB", "not-cors-orb"],
      ["net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin", "not-cors-corp-coep"],
    ]) {
      const log = new LiveLog({ browser: "chrome" });
      log.handle(image("100", `${API}/c.png`, error!));
      log.flush();
      const [item] = log.items(7);
      expect(item!.diagnosis.blockedBy!.id).toBe(id);
      expect(item!.diagnosis.blockedBy!.title).not.toContain("refused by CORS");
      expect(item!.diagnosis.assumptions?.join(" ")).toContain("no request or response headers");
    }
  });

  it("a request the full listeners already follow is not listed twice, and one whose headers said no-cors is not listed", () => {
    const capture = new Capture();
    // Widened tab: the full listeners saw the crossorigin image (Origin) and a plain one (no Origin), both failed.
    const cors = req("chrome", "200", "GET", `${API}/cors.png`);
    const plain = req("chrome", "201", "GET", `${API}/plain.png`);
    const asImage = (e: ReturnType<typeof cors.before>) => ({ ...e, details: { ...e.details, type: "image" } });
    for (const e of [cors.before(), cors.send([ORIGIN]), cors.error("net::ERR_FAILED")]) capture.handle(asImage(e));
    for (const e of [plain.before(), plain.send([["Accept", "image/*"]]), plain.error("net::ERR_FAILED")]) capture.handle(asImage(e));
    capture.handle({ ...asImage(cors.error("net::ERR_FAILED")), errorOnly: true });
    capture.handle({ ...asImage(plain.error("net::ERR_FAILED")), errorOnly: true });
    expect(capture.exchangesOf(7).map((r) => [r.requestId, seenOnlyFailing(r)])).toEqual([["200", false]]);
  });

  it("start order after every record, without a scan (nextSeq)", () => {
    const capture = new Capture();
    capture.handle(image("5000", `${API}/x.png`, "net::ERR_FAILED"));
    expect(capture.nextSeq()).toBe(5001);
    expect(capture.nextSeq()).toBe(5002);
  });
});

describe("capture listeners per armed tab (Chromium)", () => {
  function chromeApi() {
    const calls: { event: string; filter?: { tabId?: number; types?: string[] } }[] = [];
    const api: Record<string, unknown> = {
      OnBeforeSendHeadersOptions: { EXTRA_HEADERS: "extraHeaders", REQUEST_HEADERS: "requestHeaders" },
      ResourceType: RESOURCE_TYPES.chrome,
    };
    for (const event of CAPTURE_EVENTS)
      api[event] = {
        addListener: (_cb: unknown, filter: { tabId?: number; types?: string[] }) => calls.push({ event, filter }),
        removeListener: () => calls.push({ event: `-${event}` }),
      };
    return { api, calls };
  }

  it("follows the types where CORS decides; a widened tab adds the rest, and loses them when disarmed", () => {
    const { api, calls } = chromeApi();
    const listeners = new CaptureListeners(
      api,
      () => {},
      () => {},
    );
    listeners.add(3);
    expect(calls[0]!.filter).toEqual({ urls: ["<all_urls>"], tabId: 3, types: ["main_frame", "xmlhttprequest", "font", "ping", "other"] });
    expect(
      ["xmlhttprequest", "font", "ping", "other", "image", "script", "stylesheet", "media"].map((t) => listeners.covers(3, t)),
    ).toEqual([true, true, true, true, false, false, false, false]);
    expect(listeners.covers(4, "xmlhttprequest")).toBe(false);
    calls.length = 0;
    listeners.widen(3);
    expect(calls).toHaveLength(7);
    expect(calls[0]!.filter).toEqual({
      urls: ["<all_urls>"],
      tabId: 3,
      types: ["stylesheet", "script", "image", "object", "csp_report", "media", "webbundle"],
    });
    expect(listeners.widened()).toEqual([3]);
    // Still "not from the start" for those types: requests in flight when it widened show only their end.
    expect(listeners.covers(3, "image")).toBe(false);
    calls.length = 0;
    listeners.remove(3);
    expect(calls.filter((c) => c.event.startsWith("-"))).toHaveLength(14);
    expect(listeners.widened()).toEqual([]);
  });

  it("Firefox: every type (a CORS-blocked load is reported completed, not failed)", () => {
    const { api } = chromeApi();
    delete api.OnBeforeSendHeadersOptions;
    const listeners = new CaptureListeners(
      api,
      () => {},
      () => {},
    );
    expect(listeners.types).toBeNull();
    listeners.add("all");
    expect(listeners.covers(9, "image")).toBe(true);
  });
});
