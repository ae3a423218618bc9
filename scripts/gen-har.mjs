#!/usr/bin/env node
// Deterministic HAR generator for the benchmarks: `node scripts/gen-har.mjs --size 100MB [--seed 1] [--out FILE]`
// or `--entries N`. Written in ~1 MB pieces with fs.writeSync, so a multi-gigabyte file never sits in memory
// (the point of the 1 GB bench is that no single string can hold it). Default output: bench/inputs/.
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { HAR_TAIL, HarMix, harHead } from "./bench/har-mix.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** "100MB", "1GB", "512KB", "1048576" → bytes (binary units, as `ls -lh` shows them). */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`--size: cannot read ${JSON.stringify(text)} (e.g. 100MB, 1GB)`);
  const unit = (m[2] ?? "B").toUpperCase().replace("I", "");
  const mult = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[unit];
  return Math.round(Number(m[1]) * mult);
}

/**
 * Writes a HAR of at least `size` bytes (or exactly about `entries` entries) to `out`, via a temporary file
 * renamed at the end so an interrupted run never leaves a truncated input behind. `content`: most responses carry a
 * body of 2–60 KB, as in a DevTools export "with content" (see HarMix).
 * Returns { path, bytes, entries }.
 */
export function generateHar({ out, size, entries, seed = 1, content = false }) {
  if (!size && !entries) throw new Error("give --size or --entries");
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w");
  const mix = new HarMix(seed, { content });
  let bytes = 0;
  let count = 0;
  let pending = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const buf = Buffer.from(pending.join(""), "utf8");
    writeSync(fd, buf);
    bytes += buf.length;
    pending = [];
    pendingBytes = 0;
  };
  const push = (text) => {
    pending.push(text);
    pendingBytes += text.length;
    if (pendingBytes >= 1 << 20) flush();
  };
  try {
    push(harHead());
    const done = () => (entries ? count >= entries : bytes + pendingBytes + HAR_TAIL.length >= size);
    while (!done()) {
      for (const entry of mix.next()) {
        push(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(entry)}`);
        count++;
      }
    }
    push(`\n${HAR_TAIL}`);
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  return { path: out, bytes, entries: count };
}

function main(argv) {
  let size;
  let entries;
  let seed = 1;
  let out;
  let content = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--size") size = parseSize(argv[++i]);
    else if (a === "--entries") entries = Number(argv[++i]);
    else if (a === "--seed") seed = Number(argv[++i]);
    else if (a === "--out") out = argv[++i];
    else if (a === "--with-content") content = true;
    else if (a === "--help" || a === "-h") {
      process.stdout.write("Usage: node scripts/gen-har.mjs (--size 100MB | --entries N) [--seed 1] [--with-content] [--out FILE]\n");
      return 0;
    } else throw new Error(`unknown argument ${a}`);
  }
  if ((!size && !entries) || (entries !== undefined && !(entries > 0)) || !Number.isInteger(seed))
    throw new Error("give --size SIZE or --entries N (and an integer --seed)");
  out ??= resolve(ROOT, "bench/inputs", `mix-${content ? "content-" : ""}${size ? `${size}b` : `${entries}e`}-s${seed}.har`);
  const t0 = performance.now();
  const r = generateHar({ out, size, entries, seed, content });
  process.stdout.write(
    `${r.path}: ${r.entries} entries, ${(r.bytes / 1048576).toFixed(1)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`gen-har: ${err.message}\n`);
    process.exitCode = 2;
  }
}
