#!/usr/bin/env node
// Stress/benchmark for the streaming HAR reader (src/cli/har-stream.ts):
//   node scripts/stress-har-stream.mjs [sizeMB=200] [--keep]
// Generates a Chrome-like HAR of about sizeMB (pretty-printed, bodies, preflights), then measures
//   1. readHarFile: every entry parsed, with peak RSS sampled during the read;
//   2. groupHarStream: the same plus pairing;
//   3. baseline: readFileSync + JSON.parse of the whole file (skipped above V8's string limit).
// Prints one JSON line; exits 1 if the stream is slower than 1.5x the baseline or RSS grows past 256 MB.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sizeMB = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200);
const keep = process.argv.includes("--keep");
const dir = mkdtempSync(join(tmpdir(), "har-stress-"));

/** Bundles the TypeScript reader and the generator the tests share (test/har/generate.ts). */
async function loadReader() {
  const outfile = join(dir, "har-stream.mjs");
  const entry = join(dir, "entry.ts");
  writeFileSync(
    entry,
    `export * from ${JSON.stringify(join(root, "src/cli/har-stream.ts"))};\nexport { generateHar } from ${JSON.stringify(join(root, "test/har/generate.ts"))};\n`,
  );
  await build({ entryPoints: [entry], bundle: true, platform: "node", format: "esm", outfile, logLevel: "error" });
  return import(pathToFileURL(outfile).href);
}

const cpuMs = (usage) => Math.round((usage.user + usage.system) / 1000);

async function main() {
  const { readHarFile, groupHarStream, generateHar } = await loadReader();
  const path = join(dir, "big.har");
  const gen0 = Date.now();
  const { entries } = await generateHar(path, sizeMB * 1024 * 1024);
  const bytes = statSync(path).size;
  const genMs = Date.now() - gen0;

  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let t = performance.now();
  let cpu = process.cpuUsage();
  let count = 0;
  for await (const _ of readHarFile(path)) count++;
  const streamMs = performance.now() - t;
  const streamCpu = cpuMs(process.cpuUsage(cpu));
  t = performance.now();
  let groups = 0;
  for await (const _ of groupHarStream(readHarFile(path))) groups++;
  const groupMs = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  let parseMs = null;
  let parseCpu = null;
  if (bytes < 500 * 1024 * 1024) {
    t = performance.now();
    cpu = process.cpuUsage();
    const doc = JSON.parse(readFileSync(path, "utf8"));
    parseMs = performance.now() - t;
    parseCpu = cpuMs(process.cpuUsage(cpu));
    if (doc.log.entries.length !== count) throw new Error(`entry count differs: ${doc.log.entries.length} vs ${count}`);
  }
  const result = {
    bytes,
    entries,
    read: count,
    groups,
    genMs,
    streamMs: Math.round(streamMs),
    groupMs: Math.round(groupMs),
    parseMs: parseMs && Math.round(parseMs),
    wallRatio: parseMs && +(streamMs / parseMs).toFixed(2),
    streamCpuMs: streamCpu,
    parseCpuMs: parseCpu,
    // CPU time, not wall time: the machine is shared, wall clock swings by 2x between runs.
    ratio: parseCpu && +(streamCpu / parseCpu).toFixed(2),
    rssGrowthMB: Math.round((peak - rss0) / 1048576),
  };
  console.log(JSON.stringify(result));
  if (!keep) rmSync(dir, { recursive: true, force: true });
  if (count !== entries || groups !== entries / 2 || result.rssGrowthMB > 256 || (result.ratio !== null && result.ratio > 1.5))
    process.exit(1);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(error.message);
    rmSync(dir, { recursive: true, force: true });
    process.exit(2);
  });
}
