// `CORS_DOCTOR_WORKER=1` runs analyze's reading and diagnosis on a worker thread (files of 8 MB or more): its output
// must be the one of the default path, byte for byte, in JSON and in the human report (the worker sends rows back
// without their exchange where it can; the output edge still needs it to redact what a row quotes).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateHar } from "../har/generate";
import { runCli } from "./run-cli";

const dir = mkdtempSync(join(tmpdir(), "cors-doctor-worker-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("analyze on a worker thread", () => {
  it.each([
    ["JSON", ["--json"]],
    ["the human report", []],
  ])(
    "gives the default path's output: %s",
    async (_name, flags) => {
      const { path } = await generateHar(join(dir, `big${flags.length}.har`), 9 * 1024 * 1024);
      const plain = await runCli(["analyze", ...flags, path], { timeoutMs: 120_000 });
      const threaded = await runCli(["analyze", ...flags, path], { timeoutMs: 120_000, env: { CORS_DOCTOR_WORKER: "1" } });
      expect(threaded.stderr).toBe("");
      expect(threaded.code).toBe(plain.code);
      expect(threaded.stdout.length).toBeGreaterThan(1000);
      expect(threaded.stdout).toBe(plain.stdout);
    },
    240_000,
  );
});
