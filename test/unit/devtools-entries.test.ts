// DevTools' HAR entries → page reports (src/capture/devtools-entries.ts): only a fetch or XHR that got no response,
// refused as mixed content (an https context calling plain http that is not potentially trustworthy), made by code
// the page-side observer does not wrap. Entries are untrusted input: anything else, or anything malformed, is null.
import { describe, expect, it } from "vitest";
import { mixedContentReportOf } from "../../src/capture/devtools-entries";
import { parsePageReport } from "../../src/capture/page-reports";

const OBSERVER = "chrome-extension://abc/page-world.js";
const WORKER = "https://app.test/worker.js";
const AT = "2026-12-01T04:29:57.592Z";

function entry(
  over: { type?: unknown; status?: unknown; url?: unknown; method?: unknown; frames?: unknown; initiatorUrl?: unknown; at?: unknown } = {},
) {
  const o = { type: "fetch", status: 0, url: "http://api.test/w", method: "GET", frames: [{ url: WORKER }], at: AT, ...over };
  return {
    startedDateTime: o.at,
    _resourceType: o.type,
    _initiator: { type: "script", ...(o.initiatorUrl !== undefined ? { url: o.initiatorUrl } : {}), stack: { callFrames: o.frames } },
    request: { method: o.method, url: o.url },
    response: { status: o.status },
  };
}

describe("mixedContentReportOf", () => {
  it("reports a worker's fetch refused as mixed content, with the worker as its context", () => {
    expect(mixedContentReportOf(entry(), OBSERVER)).toEqual({
      kind: "fetch",
      url: "http://api.test/w",
      method: "GET",
      outcome: "network-error",
      at: Date.parse(AT),
      pageUrl: WORKER,
    });
  });

  const nulls: Array<[string, unknown]> = [
    ["a response came back", entry({ status: 200 })],
    ["a status that is not a number", entry({ status: "0" })],
    ["an image (not fetch or XHR)", entry({ type: "image" })],
    ["a script", entry({ type: "script" })],
    ["no resource type (not Chromium's entry)", entry({ type: undefined })],
    ["an https target: not mixed content", entry({ url: "https://api.test/w" })],
    ["http://localhost: potentially trustworthy", entry({ url: "http://localhost:8080/w" })],
    ["http://127.0.0.1: potentially trustworthy", entry({ url: "http://127.0.0.1:8080/w" })],
    ["an http context: not mixed content", entry({ frames: [{ url: "http://app.test/worker.js" }] })],
    [
      "made through the page-side observer's wrapper (it reported it)",
      entry({ frames: [{ url: OBSERVER }, { url: "https://app.test/" }] }),
    ],
    ["the observer deeper in the stack", entry({ frames: [{ url: WORKER }, { url: OBSERVER }] })],
    ["no context at all", entry({ frames: [] })],
    ["no start time", entry({ at: undefined })],
    ["a start time that is not a date", entry({ at: "yesterday" })],
    ["a URL that is not a string", entry({ url: 42 })],
    ["no method", entry({ method: undefined })],
    ["an unparseable target", entry({ url: "http://[nope/w" })],
    ["null", null],
    ["a string", "entry"],
    ["an empty object", {}],
  ];
  it.each(nulls)("null for %s", (_, raw) => {
    expect(mixedContentReportOf(raw, OBSERVER)).toBeNull();
  });

  it("takes the initiator's URL when there is no stack, and XHR as XHR", () => {
    const report = mixedContentReportOf(entry({ type: "xhr", frames: undefined, initiatorUrl: "https://app.test/page" }), OBSERVER);
    expect(report).toMatchObject({ kind: "xhr", pageUrl: "https://app.test/page" });
  });

  it("reads hostile stacks without throwing: frames that are not objects, URLs that are not strings", () => {
    const frames = [null, 7, "x", { url: 5 }, { url: "" }, { url: WORKER }];
    expect(mixedContentReportOf(entry({ frames }), OBSERVER)?.pageUrl).toBe(WORKER);
    expect(mixedContentReportOf(entry({ frames: "not a list" }), OBSERVER)).toBeNull();
  });

  it("looks at the first 64 frames only (a stack is bounded work)", () => {
    const frames = [...Array.from({ length: 64 }, () => ({ url: WORKER })), { url: OBSERVER }];
    expect(mixedContentReportOf(entry({ frames }), OBSERVER)).not.toBeNull();
  });

  it("makes a report the background accepts as it is", () => {
    const report = mixedContentReportOf(entry(), OBSERVER);
    expect(parsePageReport(JSON.stringify(report))).toEqual(report);
  });
});
