// Bench inputs live in bench/inputs/ (git-ignored) and are generated once per size, seed and generator
// version: regenerating 1 GB for every run would dominate the bench.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { generateHar } from "../gen-har.mjs";
import { GENERATOR_VERSION } from "./har-mix.mjs";
import { ROOT } from "./lib.mjs";

export const INPUTS = resolve(ROOT, "bench/inputs");

/**
 * Path of the generated HAR of `bytes` bytes (seed 1), generating it if it is missing. `content`: most responses carry
 * a body (see HarMix), as in a DevTools export "with content".
 */
export function harOfSize(bytes, log = () => {}, { content = false } = {}) {
  const path = resolve(INPUTS, `mix-v${GENERATOR_VERSION}${content ? "-content" : ""}-${bytes}b-s1.har`);
  if (existsSync(path) && statSync(path).size >= bytes) return path;
  const t0 = performance.now();
  log(`generating ${path} (${(bytes / 1048576).toFixed(0)} MiB)…`);
  const r = generateHar({ out: path, size: bytes, seed: 1, content });
  log(`  ${r.entries} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return path;
}
