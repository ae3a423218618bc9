// Bounded memory on a big file: the streaming reader and grouper read a 200 MB HAR in a child process whose
// JavaScript heap is capped at 64 MB (the 1 GB run and the speed comparison with JSON.parse live in `npm run bench`
// and scripts/stress-har-stream.mjs, too slow for the unit suite on two shared cores).
//
// Why a heap cap and not the RSS growth of the test's own process: GC slack made that growth vary from 53 to over
// 150 MB on the same file when the rest of the suite shared the cores (V8 lets the heap grow further before
// collecting when its concurrent marking gets less CPU), so a bound loose enough never to fail by chance was too
// loose to mean much. Under the cap, V8 collects instead of growing: a reader that held the file, as one string or
// as its entries, runs out of heap and dies; one that held the bytes outside the heap shows in the peak RSS bound.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, expect, it } from "vitest";
import { generateHar } from "./generate";

const dir = mkdtempSync(join(tmpdir(), "har-large-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The child: reads the file with the streaming reader and grouper, and prints what it counted and its peak RSS. */
const CHILD = `
import { groupHarStream, readHarFile } from ${JSON.stringify(resolve("src/cli/har-stream.ts"))};
let groups = 0, paired = 0, seen = 0;
for await (const group of groupHarStream(readHarFile(process.argv[2]))) {
  groups++;
  seen += group.entries.size;
  if (group.preflightIndices.length === 1 && group.entryIndices.length === 1 && group.preflightIndices[0] + 1 === group.entryIndices[0]) paired++;
}
process.stdout.write(JSON.stringify({ groups, paired, seen, peakMiB: process.resourceUsage().maxRSS / 1024 }));
`;

async function childScript(): Promise<string> {
  const out = join(dir, "read.mjs");
  await build({
    stdin: { contents: CHILD, loader: "ts", resolveDir: resolve(".") },
    bundle: true,
    platform: "node",
    format: "esm",
    outfile: out,
    logLevel: "silent",
  });
  return out;
}

function readUnderCap(script: string, file: string, heapMiB: number) {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, script, file], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stderr: r.stderr, result: r.status === 0 ? JSON.parse(r.stdout) : null };
}

it("streams a 200 MB HAR under a 64 MB heap cap, with a bounded peak RSS, and pairs every preflight", async () => {
  const [{ path, entries }, script] = await Promise.all([generateHar(join(dir, "big.har"), 200 * 1024 * 1024), childScript()]);
  expect(statSync(path).size).toBeGreaterThan(200 * 1024 * 1024);
  const r = readUnderCap(script, path, 64);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.result).toMatchObject({ seen: entries, groups: entries / 2, paired: entries / 2 });
  // Holding the file's bytes alone would take over 200 MB.
  console.log(`peak RSS ${r.result.peakMiB.toFixed(0)} MiB`);
  expect(r.result.peakMiB).toBeLessThan(160);
}, 90_000);

it("the cap can fail: a reader that holds the file (JSON.parse of it) dies under it", async () => {
  const path = join(dir, "big.har");
  if (!existsSync(path)) await generateHar(path, 200 * 1024 * 1024);
  const script = join(dir, "parse.cjs");
  writeFileSync(script, "JSON.parse(require('node:fs').readFileSync(process.argv[2], 'utf8'))");
  const r = readUnderCap(script, path, 64);
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/heap out of memory|Invalid string length|allocation failed/i);
}, 60_000);
