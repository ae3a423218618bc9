// HAR → one diagnosis per entry: roles, pairing by entry index, and the preflight's own verdict.
import { describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { HarError } from "../../src/core/har/read";
import { entryDiagnoses } from "../../src/core/har/roles";
import type { CorsDiagnosis, Exchange, Finding } from "../../src/core/model";
import { entry, har, preflight } from "./helpers";

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000/api";

const finding = (request: "preflight" | "actual"): Finding => ({ id: `${request}-x`, severity: "error", title: "t", detail: "d", request });

describe("entryDiagnoses", () => {
  const exchange: Exchange = {
    initiatorOrigin: PAGE,
    legs: [{ request: { method: "PUT", url: API, headers: [] }, preflight: { request: { method: "OPTIONS", url: API, headers: [] } } }],
    outcome: { kind: "unknown" },
  };
  const entryOf = (_leg: number, part: "preflight" | "request") => (part === "preflight" ? 4 : 5);
  const rows: Array<{ name: string; diagnosis: CorsDiagnosis; preflight: [string, string | null]; actual: string }> = [
    {
      name: "blocked on the preflight: the preflight entry is blocked too",
      diagnosis: {
        role: "actual",
        pairedWith: null,
        verdict: "blocked",
        blockedBy: finding("preflight"),
        findings: [finding("preflight"), finding("actual")],
      },
      preflight: ["blocked", "preflight-x"],
      actual: "blocked",
    },
    {
      name: "blocked on the actual response: the preflight passed",
      diagnosis: { role: "actual", pairedWith: null, verdict: "blocked", blockedBy: finding("actual"), findings: [finding("actual")] },
      preflight: ["allowed", null],
      actual: "blocked",
    },
    {
      name: "allowed",
      diagnosis: { role: "actual", pairedWith: null, verdict: "allowed", blockedBy: null, findings: [] },
      preflight: ["allowed", null],
      actual: "allowed",
    },
  ];
  it.each(rows)("$name", ({ diagnosis, preflight: [verdict, blockedId], actual }) => {
    const perEntry = entryDiagnoses(exchange, diagnosis, entryOf);
    expect(perEntry.get(4)).toMatchObject({ role: "preflight", pairedWith: 5, verdict, blockedBy: blockedId ? { id: blockedId } : null });
    expect(perEntry.get(4)!.findings.every((f) => f.request === "preflight")).toBe(true);
    expect(perEntry.get(5)).toMatchObject({ role: "actual", pairedWith: 4, verdict: actual });
  });
});

describe("analyzeHar", () => {
  it("diagnoses every entry of a Chrome HAR: blocked preflight, blocked simple GET, same-origin", () => {
    const analysis = analyzeHar(
      har([
        entry("GET", PAGE + "/", { type: "document" }),
        preflight(API, "PUT", PAGE, { at: 10, res: { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Methods": "GET" } }),
        entry("PUT", API, { type: "fetch", req: { Origin: PAGE }, status: 0, error: "net::ERR_FAILED", at: 16, time: 0 }),
        entry("GET", API + "/simple", { type: "fetch", req: { Origin: PAGE }, error: "net::ERR_FAILED", at: 30 }),
        entry("GET", PAGE + "/same.json", { type: "fetch", at: 40 }),
      ]),
    );
    expect(analysis.creator).toBe("WebInspector");
    expect(analysis.entries.map((e) => [e.index, e.method, e.status, e.diagnosis.role, e.diagnosis.pairedWith])).toEqual([
      [0, "GET", 200, "not-cors", null],
      [1, "OPTIONS", 204, "preflight", 2],
      [2, "PUT", 0, "actual", 1],
      [3, "GET", 200, "actual", null],
      [4, "GET", 200, "not-cors", null],
    ]);
    // The browser said it failed; the engine agrees and explains it.
    expect(analysis.entries[2]!.diagnosis.verdict).toBe("blocked");
    expect(analysis.entries[3]!.diagnosis.verdict).toBe("blocked");
    // The method was refused by the preflight response, so the preflight entry carries the block.
    const blockedBy = analysis.entries[2]!.diagnosis.blockedBy;
    expect(blockedBy?.request).toBe("preflight");
    expect(analysis.entries[1]!.diagnosis).toMatchObject({ verdict: "blocked", blockedBy: { id: blockedBy!.id } });
    expect(analysis.diagnoses).toHaveLength(analysis.exchanges.length);
  });

  it("throws HarError for input that is not HAR", () => {
    expect(() => analyzeHar({ entries: [] })).toThrow(HarError);
  });
});
