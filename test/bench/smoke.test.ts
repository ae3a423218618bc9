// The bench must not rot: its smoke mode (tiny inputs, one run each, no thresholds) runs every measure end to
// end — generator, CLI, engine bundle, Chromium with and without the extension, the service worker's heap,
// the panel — and writes its results. Written to a temp dir so the committed bench/results/ stay untouched.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MEASURES = [
  "cli-json",
  "cli-json-content",
  "cli-1gb",
  "engine",
  "fetch-overhead",
  "fetch-overhead-permission",
  "fetch-overhead-beside-armed",
  "fetch-overhead-beside-sw",
  "fetch-overhead-armed",
  "fetch-overhead-floor",
  "fetch-overhead-firefox",
  "fetch-overhead-firefox-armed",
  "realistic-page",
  "realistic-page-firefox",
  "background-memory",
  "panel-render",
  "panel-filter",
];

interface Stats {
  min: number;
  median: number;
  max: number;
  n: number;
}
interface MeasureResult {
  status: string;
  error?: string;
  value?: Stats;
  baseline?: Stats;
  ratio?: number;
}

const out = mkdtempSync(join(tmpdir(), "cors-doctor-bench-smoke-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function runSmoke(): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve("scripts/bench/run.mjs"), "--smoke", "--out", out], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    // Bounded: a hung browser must fail the test, not the suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), 300_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, stderr, stdout });
    });
  });
}

describe("npm run bench -- --smoke", () => {
  it("runs every measure and writes results.json and results.md", async () => {
    const t0 = Date.now();
    const r = await runSmoke();
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "results.json"), "utf8")) as {
      smoke: boolean;
      machine: Record<string, unknown>;
      results: Record<string, MeasureResult>;
    };
    expect(report.smoke).toBe(true);
    expect(Object.keys(report.results).sort()).toEqual([...MEASURES].sort());
    for (const id of MEASURES) {
      const m = report.results[id]!;
      expect(m.error, id).toBeUndefined();
      expect(m.status, id).toBe("smoke (no threshold)");
      expect(Number.isFinite(m.value!.median), id).toBe(true);
      expect(m.value!.n, id).toBe(1);
    }
    // The measures with a baseline in the same run report a ratio.
    for (const id of [
      "cli-json",
      "fetch-overhead",
      "fetch-overhead-permission",
      "fetch-overhead-beside-armed",
      "fetch-overhead-beside-sw",
      "fetch-overhead-armed",
      "fetch-overhead-floor",
      "fetch-overhead-firefox",
      "fetch-overhead-firefox-armed",
      "realistic-page",
      "realistic-page-firefox",
    ])
      expect(report.results[id]!.ratio! > 0, id).toBe(true);
    for (const key of ["cpu", "cores", "memoryGiB", "node", "chromium"]) expect(report.machine[key], key).toBeTruthy();
    const md = readFileSync(join(out, "results.md"), "utf8");
    for (const id of MEASURES) expect(md).toContain(`**${id}**`);
    expect(r.stdout).toContain("| measure |");
    // The smoke run's own budget (it is in CI): the arming measures start seven Chromiums side by side (no extension,
    // the permission alone, unarmed, unarmed beside an armed tab with and without a service worker, armed, the
    // listeners-that-do-nothing floor) and the realistic page four more; in Firefox four and three;
    // about two minutes on an idle machine, over three beside the other test files on two cores: bounded at five.
    expect(Date.now() - t0).toBeLessThan(300_000);
  }, 330_000);
});
