// Bundled by the engine measure (esbuild, into a temp dir) and run in a fresh Node process: the engine is
// TypeScript, so it is measured as built, exactly as the CLI and the extension run it.
// argv: <entries> <runs> <minMsPerRun>. Prints one JSON line: { exchanges, rates: [...], mix }.
import { diagnoseExchange } from "../../src/core/diagnose";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";
import { harDocument } from "./har-mix.mjs";

const [entries, runs, minMs] = process.argv.slice(2).map(Number);
const har = parseHar(harDocument({ seed: 7, entries }));
const exchanges = harEntriesToExchanges(har.entries, { creator: har.creator, pages: har.pages }).map((g) => g.exchange);

// Keeps the results alive so the JIT cannot drop the work.
const mix = { allowed: 0, blocked: 0, "not-cors": 0 };
function pass() {
  for (let i = 0; i < exchanges.length; i++) mix[diagnoseExchange(exchanges[i]).verdict]++;
}
// Warm: every path compiled by the optimising tier before anything is timed.
const warmEnd = performance.now() + Math.max(minMs, 300);
while (performance.now() < warmEnd) pass();
for (const k of Object.keys(mix)) mix[k] = 0;
pass();
const composition = { ...mix };

// Wall-clock rate (the measure) and the rate per CPU second of this process (what the engine costs when
// other work shares the core).
const cpuRates = [];
function timed(run) {
  let done = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < minMs) {
    run();
    done += exchanges.length;
    t1 = performance.now();
  }
  const c = process.cpuUsage(c0);
  cpuRates.push((done / ((c.user + c.system) / 1000)) * 1000);
  return (done / (t1 - t0)) * 1000;
}

const rates = [];
for (let r = 0; r < runs; r++) rates.push(timed(pass));
const ratesCpu = cpuRates.splice(0);

// Where the time goes: the same passes without fix recipes (the panel and CLI ask for them; a caller that
// only needs verdicts could not). Reported beside the measure, not instead of it.
const noFixes = () => {
  for (let i = 0; i < exchanges.length; i++) mix[diagnoseExchange(exchanges[i], { fixes: false }).verdict]++;
};
const warm2 = performance.now() + 300;
while (performance.now() < warm2) noFixes();
const ratesNoFixes = [];
const ratesCpuNoFixes = [];
for (let r = 0; r < runs; r++) ratesNoFixes.push(timed(noFixes));
ratesCpuNoFixes.push(...cpuRates.splice(0));
process.stdout.write(`${JSON.stringify({ exchanges: exchanges.length, rates, ratesCpu, ratesNoFixes, ratesCpuNoFixes, composition })}\n`);
