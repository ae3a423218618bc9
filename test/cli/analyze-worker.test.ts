// With two cores or more (or `CORS_DOCTOR_WORKER=1`) analyze reads and diagnoses files of 8 MB or more on a worker
// thread: its output must be the one-thread path's (`CORS_DOCTOR_WORKER=0`), byte for byte, in JSON and in the human report (the worker sends rows back
// without their exchange where it can; the output edge still needs it to redact what a row quotes).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { workerByDefault } from "../../src/cli/analyze-pipeline";
import { generateHar } from "../har/generate";
import { runCli } from "./run-cli";

const dir = mkdtempSync(join(tmpdir(), "cors-doctor-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("who decides the worker thread", () => {
  it.each([
    [undefined, 2, true],
    [undefined, 16, true],
    [undefined, 1, false],
    ["", 2, true],
    ["0", 2, false],
    ["0", 16, false],
    ["1", 1, true],
    ["yes", 1, false],
  ])("CORS_DOCTOR_WORKER=%s with %i cores: %s", (setting, cores, expected) => {
    expect(workerByDefault(setting, cores)).toBe(expected);
  });
});

describe("analyze on a worker thread", () => {
  it.each([
    ["JSON", ["--json"]],
    ["the human report", []],
  ])(
    "gives the one-thread path's output: %s",
    async (_name, flags) => {
      const { path } = await generateHar(join(dir, `big${flags.length}.har`), 9 * 1024 * 1024);
      const plain = await runCli(["analyze", ...flags, path], { timeoutMs: 120_000, env: { CORS_DOCTOR_WORKER: "0" } });
      const threaded = await runCli(["analyze", ...flags, path], { timeoutMs: 120_000, env: { CORS_DOCTOR_WORKER: "1" } });
      expect(threaded.stderr).toBe("");
      expect(threaded.code).toBe(plain.code);
      expect(threaded.stdout.length).toBeGreaterThan(1000);
      expect(threaded.stdout).toBe(plain.stdout);
    },
    240_000,
  );
});

// A module preloaded through NODE_OPTIONS runs in every thread of the process, the worker's included: each
// writes a line, so their number says how many threads ran the analysis.
describe.skipIf(availableParallelism() < 2)("the default on two cores or more", () => {
  it("reads a big file on a worker thread, and none with CORS_DOCTOR_WORKER=0", async () => {
    const { path } = await generateHar(join(dir, "threads.har"), 9 * 1024 * 1024);
    const preload = join(dir, "count-threads.cjs");
    writeFileSync(
      preload,
      'require("fs").appendFileSync(process.env.THREADS_LOG, require("worker_threads").isMainThread ? "main\\n" : "worker\\n");\n',
    );
    const threads = async (name: string, env: Record<string, string>) => {
      const log = join(dir, `${name}.log`);
      const run = await runCli(["analyze", "--json", path], {
        timeoutMs: 120_000,
        env: { ...env, THREADS_LOG: log, NODE_OPTIONS: `--require ${preload}` },
      });
      expect(run.stderr).toBe("");
      expect([0, 1]).toContain(run.code);
      return readFileSync(log, "utf8").trim().split("\n");
    };
    expect(await threads("default", {})).toEqual(["main", "worker"]);
    expect(await threads("off", { CORS_DOCTOR_WORKER: "0" })).toEqual(["main"]);
  }, 240_000);
});
