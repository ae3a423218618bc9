// Validation at the edge: one-line errors that say what is wrong and where; tolerant of optional fields.
import { describe, expect, it } from "vitest";
import { FAILED_WITHOUT_TEXT } from "../../src/core/checks/not-cors";
import { HarError, parseHar, parseHarLog, withoutRepeats } from "../../src/core/har/read";

const ok = (entry: unknown) => ({ log: { entries: [entry] } });
const request = { method: "GET", url: "http://a.test/" };

describe("parseHarLog rejects what is not a HAR log", () => {
  const rows: Array<[string, unknown, string]> = [
    ["null", null, "HAR is not an object (got null)"],
    ["a string", "{}", "HAR is not an object (got a string)"],
    ["an array", [], "HAR is not an object (got an array)"],
    ["no log", {}, 'HAR has no log (expected { "log": { "entries": [...] } })'],
    ["log not an object", { log: [] }, "log is not an object (got an array)"],
    ["no entries", { log: {} }, "log.entries is missing"],
    ["entries not an array", { log: { entries: {} } }, "log.entries is not an array (got an object)"],
    ["entry not an object", ok(5), "entries[0] is not an object (got a number)"],
    ["no request", ok({}), "entries[0].request is missing"],
    ["no method", ok({ request: { url: "x" } }), "entries[0].request.method is not a string"],
    ["url not a string", ok({ request: { method: "GET", url: 1 } }), "entries[0].request.url is not a string"],
    [
      "headers not an array",
      { log: { entries: [{ request }, { request: { ...request, headers: {} } }] } },
      "entries[1].request.headers is not an array (got an object)",
    ],
    [
      "header not an object",
      ok({ request: { ...request, headers: ["Origin: x"] } }),
      "entries[0].request.headers[0] is not an object (got a string)",
    ],
    ["header without name", ok({ request: { ...request, headers: [{ value: "x" }] } }), "entries[0].request.headers[0].name is missing"],
    ["response not an object", ok({ request, response: 200 }), "entries[0].response is not an object (got a number)"],
    ["status not a number", ok({ request, response: { status: "OK" } }), "entries[0].response.status is not a number"],
    [
      "response headers not an array",
      ok({ request, response: { status: 200, headers: "x" } }),
      "entries[0].response.headers is not an array (got a string)",
    ],
  ];
  it.each(rows)("%s", (_name, input, message) => {
    let caught: unknown;
    try {
      parseHarLog(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HarError);
    expect((caught as Error).message).toBe(message);
    expect((caught as Error).message).not.toContain("\n");
  });
});

describe("parseHarLog tolerates missing optional fields", () => {
  it("reads a minimal entry", () => {
    expect(parseHarLog(ok({ request }))).toEqual([{ request: { ...request, headers: [] } }]);
  });

  it("coerces header values to strings and keeps repeated headers", () => {
    const [e] = parseHarLog(
      ok({
        request: {
          ...request,
          headers: [
            { name: "Content-Length", value: 12 },
            { name: "X", value: null },
          ],
        },
        response: {
          status: "204",
          headers: [
            { name: "Vary", value: "Origin" },
            { name: "Vary", value: "Accept" },
          ],
        },
      }),
    );
    expect(e!.request.headers).toEqual([
      { name: "Content-Length", value: "12" },
      { name: "X", value: "" },
    ]);
    expect(e!.response).toEqual({
      status: 204,
      headers: [
        { name: "Vary", value: "Origin" },
        { name: "Vary", value: "Accept" },
      ],
    });
  });

  it("reads Chrome's fields and ignores _corsDoctor from other tools", () => {
    const entry = {
      request,
      response: { status: 0, _error: "net::ERR_FAILED", headers: [] },
      startedDateTime: "2026-01-01T00:00:00.123Z",
      time: 3.5,
      _resourceType: "fetch",
      _initiator: { type: "script", stack: { callFrames: [{ url: "http://p.test/a.js", lineNumber: 1 }] } },
      _corsDoctor: { exchange: 0, leg: 0, part: "request", initiatorOrigin: "http://evil.test" },
    };
    const parsed = parseHar({ log: { creator: { name: "WebInspector", version: "537.36" }, entries: [entry] } });
    expect(parsed.creator).toBe("WebInspector");
    const [e] = parsed.entries;
    expect(e!.response?.error).toBe("net::ERR_FAILED");
    expect(e!.startedAt).toBe(Date.parse("2026-01-01T00:00:00.123Z"));
    expect(e!.resourceType).toBe("fetch");
    expect(e!.initiator?.stack?.callFrames?.[0]?.url).toBe("http://p.test/a.js");
    // Parsed, but the grouper only trusts it when the creator is CORS Doctor (see roundtrip tests).
    expect(e!.corsDoctor?.exchange).toBe(0);
  });
});

// Chrome's export writes `_error: null` for a request that did not fail, the error text for one that did, and an empty
// string for one a policy stopped before it left (CDP's errorText is empty then; measured in matrix2).
describe("Chrome's _error: null, a text, or empty", () => {
  const rows: [string, Record<string, unknown>, string | undefined][] = [
    ["null: not failed", { status: 200, _error: null, headers: [{ name: "a", value: "1" }] }, undefined],
    ["absent: not failed", { status: 200, headers: [] }, undefined],
    ["a net error", { status: 0, _error: "net::ERR_CONNECTION_REFUSED", headers: [] }, "net::ERR_CONNECTION_REFUSED"],
    ["empty, nothing received: failed without words", { status: 0, _error: "", headers: [] }, FAILED_WITHOUT_TEXT],
    ["empty, status -1 (never answered)", { status: -1, _error: "", headers: [] }, FAILED_WITHOUT_TEXT],
    ["empty but answered: nothing claimed", { status: 200, _error: "", headers: [{ name: "a", value: "1" }] }, undefined],
    ["empty, no status but headers: nothing claimed", { status: 0, _error: "", headers: [{ name: "a", value: "1" }] }, undefined],
    ["Playwright's _failureText", { status: 0, _failureText: "net::ERR_FAILED", headers: [] }, "net::ERR_FAILED"],
    ["an empty _failureText: nothing claimed", { status: 0, _failureText: "", headers: [] }, undefined],
  ];
  it.each(rows)("%s", (_name, response, error) => {
    const [e] = parseHar({ log: { creator: { name: "WebInspector", version: "537.36" }, entries: [{ request, response }] } }).entries;
    expect(e!.response?.error).toBe(error);
  });
});

describe("withoutRepeats: an exporter's repeated request header line is dropped, nothing else", () => {
  const h = (name: string, value: string) => ({ name, value });
  const rows: Array<[string, Array<[string, string]>, Array<[string, string]>]> = [
    [
      "no repeat",
      [
        ["Origin", "http://a.test"],
        ["Accept", "*/*"],
      ],
      [
        ["Origin", "http://a.test"],
        ["Accept", "*/*"],
      ],
    ],
    [
      "the same line twice",
      [
        ["Origin", "http://a.test"],
        ["Accept", "*/*"],
        ["Origin", "http://a.test"],
      ],
      [
        ["Origin", "http://a.test"],
        ["Accept", "*/*"],
      ],
    ],
    [
      "names differ in case only",
      [
        ["origin", "http://a.test"],
        ["Origin", "http://a.test"],
      ],
      [["origin", "http://a.test"]],
    ],
    [
      "same name, other value: kept",
      [
        ["X-A", "1"],
        ["X-A", "2"],
      ],
      [
        ["X-A", "1"],
        ["X-A", "2"],
      ],
    ],
    [
      "same value, other name: kept",
      [
        ["X-A", "1"],
        ["X-B", "1"],
      ],
      [
        ["X-A", "1"],
        ["X-B", "1"],
      ],
    ],
    [
      "a value that differs in case: kept",
      [
        ["X-A", "abc"],
        ["X-A", "ABC"],
      ],
      [
        ["X-A", "abc"],
        ["X-A", "ABC"],
      ],
    ],
    [
      "three copies",
      [
        ["A", "1"],
        ["a", "1"],
        ["B", "2"],
        ["A", "1"],
      ],
      [
        ["A", "1"],
        ["B", "2"],
      ],
    ],
    ["empty", [], []],
  ];
  // Lists of up to 32 headers are compared pairwise, longer ones through a set of keys: both must agree.
  const padding = Array.from({ length: 40 }, (_, i): [string, string] => [`X-Pad-${i}`, String(i)]);
  it.each(rows)("%s", (_, input, expected) => {
    expect(withoutRepeats(input.map(([n, v]) => h(n, v)))).toEqual(expected.map(([n, v]) => h(n, v)));
    expect(withoutRepeats([...padding, ...input].map(([n, v]) => h(n, v)))).toEqual([...padding, ...expected].map(([n, v]) => h(n, v)));
  });
  it("returns the list itself when nothing repeats", () => {
    const list = [h("A", "1"), h("B", "2")];
    expect(withoutRepeats(list)).toBe(list);
  });
});
