// Hostile numbers and shapes at the edge: every number read from a HAR file is range-checked once, in
// read.ts, so nothing later sizes an array or a loop by it. The 334-byte file below hung the CLI and the
// panel's import for minutes: `_corsDoctor.leg` 4294967294 made the grouper walk a sparse array of 2^32 slots.
import { describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { HarError, parseHar } from "../../src/core/har/read";
import { runCli } from "../cli/run-cli";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function ownEntry(corsDoctor: Record<string, unknown>, url = "http://127.0.0.1:4000/a") {
  return {
    startedDateTime: "2026-01-01T00:00:00.000Z",
    request: { method: "GET", url, headers: [{ name: "Origin", value: "http://127.0.0.1:3000" }] },
    response: { status: 200, headers: [] },
    _corsDoctor: { exchange: 0, leg: 0, part: "request", initiatorOrigin: "http://127.0.0.1:3000", ...corsDoctor },
  };
}
const own = (...entries: unknown[]) => ({ log: { version: "1.2", creator: { name: "CORS Doctor", version: "0.1.0" }, entries } });

/** The file of the report: 334 bytes, one entry, `leg` 2^32 - 2. */
function hostileLegHar(path: string): string {
  return JSON.stringify({
    log: {
      version: "1.2",
      creator: { name: "CORS Doctor", version: "0.1.0" },
      entries: [
        {
          request: { method: "GET", url: `http://api.test/${path}`, headers: [{ name: "Origin", value: "http://p.test" }] },
          response: { status: 200, headers: [] },
          _corsDoctor: { exchange: 0, leg: 4294967294, part: "request", initiatorOrigin: "http://p.test" },
        },
      ],
    },
  });
}
const HOSTILE_LEG_HAR = hostileLegHar("a".repeat(Math.max(0, 334 - hostileLegHar("").length)));

describe("numbers from input are range-checked at the edge", () => {
  it("the 334-byte HAR with leg 4294967294 is read at once, as one request", () => {
    expect(Buffer.byteLength(HOSTILE_LEG_HAR)).toBe(334);
    const started = performance.now();
    const analysis = analyzeHar(JSON.parse(HOSTILE_LEG_HAR));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(analysis.entries).toHaveLength(1);
  });

  // Out-of-range values in our own record: the record is ignored (the heuristics take over), never trusted.
  const corsDoctorRows: Array<[string, Record<string, unknown>]> = [
    ["leg 2^32 - 2", { leg: 4294967294 }],
    ["leg 21 (a 21st redirect is a network error: at most 21 legs, 0..20)", { leg: 21 }],
    ["negative leg", { leg: -1 }],
    ["fractional leg", { leg: 0.5 }],
    ["leg 1e308", { leg: 1e308 }],
    ["exchange beyond 2^53", { exchange: 2 ** 60 }],
    ["negative exchange", { exchange: -3 }],
    ["fractional exchange", { exchange: 1.5 }],
  ];
  it.each(corsDoctorRows)("_corsDoctor with %s is ignored", (_name, fields) => {
    const [entry] = parseHar(own(ownEntry(fields))).entries;
    expect(entry!.corsDoctor).toBeUndefined();
  });

  it("_corsDoctor with the last leg Fetch allows (20) is kept", () => {
    const [entry] = parseHar(own(ownEntry({ leg: 20, exchange: 7 }))).entries;
    expect(entry!.corsDoctor).toMatchObject({ leg: 20, exchange: 7 });
  });

  it("_corsDoctor.startedAt beyond what Date can hold is dropped", () => {
    const [entry] = parseHar(own(ownEntry({ startedAt: 1e300 }))).entries;
    expect(entry!.corsDoctor?.startedAt).toBeUndefined();
  });

  const statusRows: Array<[string, unknown, number | string]> = [
    ["200", 200, 200],
    ['"204" (a string)', "204", 204],
    ["0 (no response)", 0, 0],
    ["-1 (some tools' 'no response')", -1, 0],
    ["999 (the largest Fetch allows)", 999, 999],
    ["1000", 1000, "entries[0].response.status is 1000, not an HTTP status (an integer from 0 to 999)"],
    ["4294967294", 4294967294, "entries[0].response.status is 4294967294, not an HTTP status (an integer from 0 to 999)"],
    ["200.5", 200.5, "entries[0].response.status is 200.5, not an HTTP status (an integer from 0 to 999)"],
    ['"99999999999999999999" (a string of digits)', "99999999999999999999", "entries[0].response.status is not a number"],
  ];
  it.each(statusRows)("response.status %s", (_name, status, expected) => {
    const doc = { log: { entries: [{ request: { method: "GET", url: "http://a.test/" }, response: { status, headers: [] } }] } };
    if (typeof expected === "number") {
      expect(parseHar(doc).entries[0]!.response!.status).toBe(expected);
    } else {
      expect(() => parseHar(doc)).toThrow(HarError);
      expect(() => parseHar(doc)).toThrow(expected);
    }
  });

  const timeRows: Array<[string, unknown, number | undefined]> = [
    ["5.25", 5.25, 5.25],
    ["-1 (HAR: not known)", -1, undefined],
    ["1e300", 1e300, undefined],
    ["a string", "5", undefined],
  ];
  it.each(timeRows)("entry.time %s", (_name, time, expected) => {
    const doc = { log: { entries: [{ request: { method: "GET", url: "http://a.test/" }, time }] } };
    expect(parseHar(doc).entries[0]!.time).toBe(expected);
  });

  it("a startedDateTime beyond what Date can hold leaves startedAt unset", () => {
    const doc = {
      log: { entries: [{ request: { method: "GET", url: "http://a.test/" }, startedDateTime: "+275760-09-13T00:00:00.001Z" }] },
    };
    expect(parseHar(doc).entries[0]!.startedAt).toBeUndefined();
  });
});

describe("the built CLI on the hostile file", () => {
  it("finishes at once (it hung for minutes)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cors-doctor-hostile-"));
    const file = join(dir, "leg.har");
    writeFileSync(file, HOSTILE_LEG_HAR);
    const started = performance.now();
    const result = await runCli(["analyze", "--json", file], { timeoutMs: 30_000 });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).entries).toHaveLength(1);
  }, 40_000);
});
