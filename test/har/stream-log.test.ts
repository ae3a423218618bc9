// Cross-request lints over a whole streamed file: evidence 10,000 entries apart is linked, the batch
// path words findings exactly as before, and the summary's memory follows endpoints, not entries.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeHarSource } from "../../src/cli/analyze-pipeline";
import type { HarEntryResult } from "../../src/core/har/analyze";
import { LogSummary } from "../../src/core/lints/log";
import { diagnoseExchange } from "../../src/core/diagnose";
import type { Exchange } from "../../src/core/model";
import { entry, har } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "har-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = "http://localhost:4000";
const reflecting = (origin: string, i: number) =>
  entry("GET", `${API}/me?i=${i}`, {
    req: { Origin: origin },
    res: { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true", Vary: "Origin" },
    at: i,
  });
const filler = (i: number) => entry("GET", `http://127.0.0.1:3000/static/${i}.js`, { at: i });

async function rowsOf(doc: unknown) {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.har`);
  writeFileSync(path, JSON.stringify(doc));
  const run = analyzeHarSource(path, { fixes: false });
  const rows: HarEntryResult[] = [];
  for await (const batch of run.batches) rows.push(...batch);
  return { rows, late: run.finish() };
}

describe("a reflection seen 10,000 entries apart", () => {
  it("is linked: the later entry carries the finding, the earlier one is named at the end", async () => {
    const entries = [reflecting("https://a.example", 0)];
    for (let i = 1; i <= 10_000; i++) entries.push(filler(i));
    entries.push(reflecting("https://b.example", 10_001));
    const { rows, late } = await rowsOf(har(entries));
    expect(rows).toHaveLength(10_002);
    const reflection = (row: HarEntryResult) =>
      row.diagnosis.findings.find((f) => f.id === "acao-reflects-arbitrary-origin" && f.severity === "warning");
    expect(reflection(rows[10_001]!)?.title).toBe(`${API} allowed 2 different origins with credentials`);
    expect(reflection(rows[0]!)).toBeUndefined(); // already written when the second origin came
    expect(late.findings).toEqual([
      { index: 0, finding: expect.objectContaining({ id: "acao-reflects-arbitrary-origin", actual: "https://a.example" }) },
    ]);
    expect(late.omitted).toBe(0);
  });

  it("was missed by the batches of 2,000 exchanges the reader used before (why the summary exists)", async () => {
    const near = [reflecting("https://a.example", 0), reflecting("https://b.example", 1)];
    const { rows, late } = await rowsOf(har(near));
    expect(rows[1]!.diagnosis.findings.filter((f) => f.severity === "warning").map((f) => f.id)).toContain(
      "acao-reflects-arbitrary-origin",
    );
    expect(late.findings.map((f) => f.index)).toEqual([0]);
  });
});

describe("LogSummary", () => {
  const exchange = (url: string, origin: string, acao: string | null, status = 200): Exchange => ({
    initiatorOrigin: origin,
    outcome: { kind: "completed" },
    legs: [
      {
        request: { method: "GET", url, headers: [{ name: "Origin", value: origin }] },
        response: { status, headers: acao === null ? [] : [{ name: "Access-Control-Allow-Origin", value: acao }] },
      },
    ],
  });

  it("keeps per-endpoint state only: 20,000 exchanges on 3 endpoints hold at most maxRefs refs each", () => {
    const summary = new LogSummary({ maxRefs: 10 });
    for (let i = 0; i < 20_000; i++) {
      const e = exchange(`${API}/e${i % 3}?n=${i}`, "https://a.example", "https://a.example", i % 2 ? 200 : 500);
      summary.add(e, diagnoseExchange(e, { fixes: false }), i);
    }
    const { findings, omitted } = summary.finish();
    // Nothing deserves a late finding here (one origin; the 500s carry ACAO): and nothing was kept for it.
    expect(findings).toEqual([]);
    expect(omitted).toBe(0);
  });

  it("bounds the late findings and counts the rest", () => {
    const summary = new LogSummary({ maxRefs: 5 });
    for (let i = 0; i < 1000; i++) {
      const e = exchange(`${API}/x`, "https://a.example", null, 500);
      summary.add(e, diagnoseExchange(e, { fixes: false }), i);
    }
    const good = exchange(`${API}/x`, "https://a.example", "https://a.example");
    summary.add(good, diagnoseExchange(good, { fixes: false }), 1000);
    const { findings, omitted } = summary.finish();
    expect(findings.map((f) => f.ref)).toEqual([0, 1, 2, 3, 4]);
    expect(findings[0]!.finding.id).toBe("cors-headers-missing-on-error-responses");
    expect(omitted).toBe(995);
  });

  it("stops taking new endpoints at maxKeys (memory bounded even by hostile logs)", () => {
    const summary = new LogSummary({ maxKeys: 100 });
    for (let i = 0; i < 5000; i++) {
      const e = exchange(`http://h${i}.example/x`, "https://a.example", "https://a.example");
      summary.add(e, diagnoseExchange(e, { fixes: false }), i);
    }
    expect(summary.finish().omitted).toBe(2 * 4900);
  });
});
