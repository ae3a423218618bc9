// The extension's HAR report: valid HAR 1.2, one entry per request in start order, `_cors` per entry, and
// a lossless round trip through our own reader (contracts §4: `analyze` on an export = what the panel showed).
import { describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";
import type { HarEntry, HarLog } from "../../src/core/har/types";
import { buildHarReport, type ReportItem } from "../../src/core/har/write";
import type { CorsDiagnosis, Exchange, Finding } from "../../src/core/model";

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000";

const preflightFailure: Finding = {
  id: "preflight-header-not-allowed",
  severity: "error",
  title: "x-foo is not allowed",
  detail: "…",
  request: "preflight",
  header: "x-foo",
  chromeCorsError: "HeaderDisallowedByPreflightResponse",
  failedParameter: "x-foo",
};

const allowed: CorsDiagnosis = { role: "actual", pairedWith: null, verdict: "allowed", blockedBy: null, findings: [], assumptions: [] };
const blocked: CorsDiagnosis = {
  role: "actual",
  pairedWith: null,
  verdict: "blocked",
  blockedBy: preflightFailure,
  findings: [preflightFailure],
};

export const EXCHANGES: Exchange[] = [
  {
    // PUT with a rejected preflight: the actual never left.
    initiatorOrigin: PAGE,
    legs: [
      {
        request: {
          method: "PUT",
          url: `${API}/items/1`,
          headers: [
            { name: "Origin", value: PAGE },
            { name: "X-Foo", value: "1" },
          ],
        },
        preflight: {
          request: {
            method: "OPTIONS",
            url: `${API}/items/1`,
            headers: [
              { name: "Origin", value: PAGE },
              { name: "Access-Control-Request-Method", value: "PUT" },
              { name: "Access-Control-Request-Headers", value: "x-foo" },
            ],
          },
          response: {
            status: 204,
            statusText: "No Content",
            headers: [
              { name: "Access-Control-Allow-Origin", value: PAGE },
              { name: "Access-Control-Allow-Headers", value: "Content-Type" },
            ],
          },
          ref: "live-8",
        },
        ref: "live-7",
      },
    ],
    outcome: { kind: "failed", error: "net::ERR_FAILED" },
    observedBy: "chrome",
    capturedBy: "webRequest",
    // What the live capture knew beyond the headers: an export must carry it, so analyze gives what the panel showed.
    blockedReason: "csp",
    corsErrorStatus: { corsError: "InvalidLocalNetworkAccess", failedParameter: "local" },
    pageObserved: { kind: "csp", directive: "connect-src", message: "TypeError: Failed to fetch" },
    redirectMode: "error",
    readHeaders: ["x-total-count"],
    addressSpace: { initiator: "public", resource: "loopback", initiatorIsSecureContext: true },
    targetAddressSpace: "local",
    credentials: "same-origin",
    mode: "cors",
    resourceType: "xmlhttprequest",
    startedAt: 1767225600123,
  },
  {
    // Redirect to another origin, each hop preflighted (Chrome sends Origin: null after the cross-origin hop).
    initiatorOrigin: PAGE,
    legs: [
      {
        request: { method: "PATCH", url: `${API}/old`, headers: [{ name: "Origin", value: PAGE }] },
        preflight: {
          request: {
            method: "OPTIONS",
            url: `${API}/old`,
            headers: [
              { name: "Origin", value: PAGE },
              { name: "Access-Control-Request-Method", value: "PATCH" },
            ],
          },
          response: {
            status: 204,
            headers: [
              { name: "Access-Control-Allow-Origin", value: "*" },
              { name: "Access-Control-Allow-Methods", value: "PATCH" },
            ],
          },
        },
        response: {
          status: 307,
          headers: [
            { name: "Location", value: "http://127.0.0.2:5000/new" },
            { name: "Access-Control-Allow-Origin", value: "*" },
          ],
        },
      },
      {
        request: { method: "PATCH", url: "http://127.0.0.2:5000/new", headers: [{ name: "Origin", value: "null" }] },
        preflight: {
          request: {
            method: "OPTIONS",
            url: "http://127.0.0.2:5000/new",
            headers: [
              { name: "Origin", value: "null" },
              { name: "Access-Control-Request-Method", value: "PATCH" },
            ],
          },
          error: "net::ERR_CONNECTION_REFUSED",
        },
      },
    ],
    outcome: { kind: "failed", error: "net::ERR_FAILED" },
    observedBy: "firefox",
    resourceType: "fetch",
    startedAt: 1767225601000,
  },
  {
    // Live capture without a browser verdict yet; no start time.
    initiatorOrigin: null,
    legs: [
      {
        request: { method: "GET", url: `${API}/img.png`, headers: [] },
        response: { status: 200, headers: [{ name: "Content-Type", value: "image/png" }] },
      },
    ],
    outcome: { kind: "unknown" },
    resourceType: "image",
  },
  {
    // Earlier than the first one: the report is in start order.
    initiatorOrigin: PAGE,
    legs: [{ request: { method: "GET", url: `${PAGE}/`, headers: [] }, response: { status: 200, headers: [] } }],
    outcome: { kind: "completed" },
    observedBy: "chrome",
    mode: "navigate",
    resourceType: "main_frame",
    startedAt: 1767225500000,
  },
];

const ITEMS: ReportItem[] = EXCHANGES.map((exchange, i) => ({ exchange, diagnosis: i === 0 ? blocked : allowed }));

function withoutRefs(exchange: Exchange): Exchange {
  return {
    ...exchange,
    legs: exchange.legs.map(({ ref: _r, preflight, ...leg }) => {
      if (!preflight) return leg;
      const { ref: _p, ...rest } = preflight;
      return { ...leg, preflight: rest };
    }),
  };
}

function readBack(report: { log: unknown }) {
  const parsed = parseHar(report);
  return harEntriesToExchanges(parsed.entries, { creator: parsed.creator, pages: parsed.pages });
}

describe("buildHarReport", () => {
  const report = buildHarReport(ITEMS, { version: "0.1.0", includeSecrets: true });
  const log = report.log as HarLog;

  it("is HAR 1.2 from CORS Doctor with one entry per request, preflights included, in start order", () => {
    expect(log.version).toBe("1.2");
    expect(log.creator).toEqual({ name: "CORS Doctor", version: "0.1.0" });
    expect(log.entries.map((e) => `${e.request.method} ${e.request.url} ${e._resourceType}`)).toEqual([
      `GET ${PAGE}/ document`,
      `OPTIONS ${API}/items/1 preflight`,
      `PUT ${API}/items/1 xhr`,
      `OPTIONS ${API}/old preflight`,
      `PATCH ${API}/old fetch`,
      "OPTIONS http://127.0.0.2:5000/new preflight",
      "PATCH http://127.0.0.2:5000/new fetch",
      `GET ${API}/img.png image`,
    ]);
  });

  it("fills every required HAR field", () => {
    for (const e of log.entries as HarEntry[]) {
      expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
      expect(e.startedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const { timings } = e;
      for (const k of ["send", "wait", "receive"] as const) expect(timings[k]).toBeGreaterThanOrEqual(0);
      for (const k of ["blocked", "dns", "connect", "ssl"] as const) expect(timings[k]).toBe(-1);
      expect(e.time).toBe(timings.send + timings.wait + timings.receive);
      expect(e.cache).toEqual({});
      expect(typeof e.request.httpVersion).toBe("string");
      expect(Array.isArray(e.request.cookies) && Array.isArray(e.request.queryString)).toBe(true);
      expect(e.request.headersSize).toBe(-1);
      expect(Number.isInteger(e.request.bodySize)).toBe(true);
      expect(typeof e.response.content.size).toBe("number");
      expect(typeof e.response.content.mimeType).toBe("string");
      expect(typeof e.response.redirectURL).toBe("string");
      expect(typeof e.response.statusText).toBe("string");
    }
  });

  it("marks failures with response._error and redirects with redirectURL", () => {
    expect(log.entries[2]!.response._error).toBe("net::ERR_FAILED");
    expect(log.entries[2]!.response.status).toBe(0);
    expect(log.entries[4]!.response.redirectURL).toBe("http://127.0.0.2:5000/new");
    expect(log.entries[5]!.response._error).toBe("net::ERR_CONNECTION_REFUSED");
    expect(log.entries[6]!.response._error).toBe("net::ERR_FAILED");
    expect(log.entries[0]!.response._error).toBeUndefined();
  });

  it("gives each entry its _cors with pairedWith as an entry index", () => {
    const cors = log.entries.map((e) => [e._cors!.role, e._cors!.pairedWith, e._cors!.verdict]);
    expect(cors).toEqual([
      ["actual", null, "allowed"],
      ["preflight", 2, "blocked"],
      ["actual", 1, "blocked"],
      ["preflight", 4, "allowed"],
      ["actual", 3, "allowed"],
      ["preflight", 6, "allowed"],
      ["actual", 5, "allowed"],
      ["actual", null, "allowed"],
    ]);
    expect(log.entries[1]!._cors!.blockedBy?.id).toBe("preflight-header-not-allowed");
  });

  it("reads back to the same exchanges (lossless round trip)", () => {
    const groups = readBack(report);
    const byStart = [3, 0, 1, 2].map((i) => EXCHANGES[i]!);
    expect(groups.map((g) => withoutRefs(g.exchange))).toEqual(byStart.map(withoutRefs));
    expect(groups.map((g) => [g.entryIndices, g.preflightIndices])).toEqual([
      [[0], []],
      [[2], [1]],
      [
        [4, 6],
        [3, 5],
      ],
      [[7], []],
    ]);
  });

  it.each([
    ["blockedReason", { not: "text" }],
    ["corsErrorStatus", "MissingAllowOriginHeader"],
    ["corsErrorStatus", { failedParameter: "x" }],
    ["pageObserved", { kind: "<img src=x onerror=alert(1)>" }],
    ["redirectMode", "sideways"],
    ["readHeaders", ["bad name", 7, null]],
    ["addressSpace", [1, 2]],
    ["targetAddressSpace", "mars"],
  ])("a hostile _cors.%s is dropped on reading, never trusted", (key, value) => {
    const hostile = JSON.parse(JSON.stringify(report)) as { log: HarLog };
    for (const entry of hostile.log.entries) {
      const own = (entry as unknown as { _corsDoctor?: Record<string, unknown> })._corsDoctor;
      if (own) own[key] = value;
    }
    const exchanges = readBack(hostile).map((g) => g.exchange as unknown as Record<string, unknown>);
    expect(exchanges.some((e) => e[key] !== undefined)).toBe(false);
  });

  it("reads back the same way entry by entry through analyzeHar", () => {
    const analysis = analyzeHar(JSON.parse(JSON.stringify(report)));
    expect(analysis.creator).toBe("CORS Doctor");
    // Entries 0 (navigation) and 7 (no Origin) are not CORS for the engine.
    expect(analysis.entries.map((e) => [e.index, e.diagnosis.role, e.diagnosis.pairedWith])).toEqual([
      [0, "not-cors", null],
      [1, "preflight", 2],
      [2, "actual", 1],
      [3, "preflight", 4],
      [4, "actual", 3],
      [5, "preflight", 6],
      [6, "actual", 5],
      [7, "not-cors", null],
    ]);
    // The engine sees the same exchanges the extension diagnosed.
    expect(analysis.exchanges.map((g) => withoutRefs(g.exchange))).toEqual([3, 0, 1, 2].map((i) => withoutRefs(EXCHANGES[i]!)));
  });

  it("round-trips the redacted report to the redacted exchanges", () => {
    const secretive: Exchange = {
      ...EXCHANGES[3]!,
      legs: [
        {
          request: { method: "GET", url: `${API}/x?token=abcdef&a=1`, headers: [{ name: "Authorization", value: "Bearer abcdef" }] },
          response: { status: 200, headers: [] },
        },
      ],
    };
    const groups = readBack(buildHarReport([{ exchange: secretive, diagnosis: allowed }], { version: "0.1.0" }));
    expect(groups[0]!.exchange.legs[0]!.request).toEqual({
      method: "GET",
      url: `${API}/x?token=%5Bredacted%5D&a=1`,
      headers: [{ name: "Authorization", value: "[redacted]" }],
    });
  });

  it("is not trusted as our own export when the creator is someone else", () => {
    const forged = JSON.parse(JSON.stringify(report));
    forged.log.creator.name = "WebInspector";
    const groups = readBack(forged);
    // Heuristics instead of _corsDoctor: same pairing here, but the outcome now comes from the HAR fields.
    expect(groups.map((g) => g.exchange.observedBy)).toEqual(["chrome", "chrome", "chrome", "chrome"]);
  });

  it("handles an empty list", () => {
    const empty = buildHarReport([], { version: "1.0.0" });
    expect(empty.log.entries).toEqual([]);
    expect(readBack(empty)).toEqual([]);
  });
});
