// Measure 1: `cors-doctor analyze --json` on a 100 MB HAR vs reading + JSON.parse of the same file in a fresh
// Node process. Both are spawned, both write nothing that matters (stdout → /dev/null), runs alternate.
// The CLI runs as users run it: with two cores, reading and diagnosis on a worker thread for files of 8 MB and
// more. The one-thread path (`CORS_DOCTOR_WORKER=0`) is timed in the same rounds and reported beside it.
// The target's file is the generated mix, mostly headers (bodies about a quarter of its bytes); the reference row
// times a file saved "with content", where response bodies, which the reader walks over without building, are most
// of the bytes.
import { readFileSync } from "node:fs";
import { harOfSize } from "../inputs.mjs";
import { CLI, runTimed } from "../lib.mjs";

const PARSE = "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))";

/** The measure on the generated mix (`content`: with response bodies as most of its bytes). */
function cliJsonMeasure({ id, title, targetText, target, content }) {
  return {
    id,
    title,
    baselineText: "`JSON.parse` of the same file in a fresh Node process",
    targetText,
    unit: "ms",
    ...(target === undefined ? { reference: true, judge: () => true } : { judge: (r) => r.ratio <= target }),
    run: (options) => runCliJson({ ...options, content }),
  };
}

export default cliJsonMeasure({
  id: "cli-json",
  title: "`cors-doctor analyze --json` on a 100 MB HAR, wall time",
  targetText: "≤ 1.3× (aim ≤ 1.0×)",
  target: 1.3,
  content: false,
});

export const cliJsonContent = cliJsonMeasure({
  id: "cli-json-content",
  title: "the same on a 100 MB HAR saved with content, response bodies most of its bytes (reference)",
  targetText: "— (the target row's file is mostly headers)",
  content: true,
});

async function runCliJson({ smoke, runs, log, content }) {
  const bytes = smoke ? 1 << 20 : 100 << 20;
  const file = harOfSize(bytes, log, { content });
  readFileSync(file); // page cache: neither side pays for the disk
  const value = [];
  const baseline = [];
  const cpu = { cli: [], base: [] };
  const oneThread = [];
  const analyze = async (env) => {
    const r = await runTimed(process.execPath, [CLI, "analyze", "--json", file], { measureRss: true, env });
    // 0 = nothing blocked, 1 = something blocked (the mix has failures); 2 = could not read.
    if (r.code !== 0 && r.code !== 1) throw new Error(`analyze --json exited ${r.code}: ${r.stderr.slice(0, 500)}`);
    return r;
  };
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so drift on the shared machine hits both sides alike.
    const order = i % 2 === 0 ? ["base", "cli", "one"] : ["one", "cli", "base"];
    for (const which of order) {
      if (which === "base") {
        const r = await runTimed(process.execPath, ["-e", PARSE, file], { measureRss: true });
        if (r.code !== 0) throw new Error(`JSON.parse baseline failed: ${r.stderr.slice(0, 500)}`);
        baseline.push(r.ms);
        cpu.base.push(r.cpuMs);
      } else if (which === "one") {
        oneThread.push((await analyze({ ...process.env, CORS_DOCTOR_WORKER: "0" })).ms);
      } else {
        const r = await analyze(process.env);
        value.push(r.ms);
        cpu.cli.push(r.cpuMs);
      }
    }
    log(
      `  run ${i + 1}: analyze ${value.at(-1).toFixed(0)} ms (one thread ${oneThread.at(-1).toFixed(0)} ms), JSON.parse ${baseline.at(-1).toFixed(0)} ms`,
    );
  }
  // Wall time is the measure; CPU time (user + system) beside it, because other load on the shared cores
  // inflates wall time unevenly between runs.
  const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const cpuRatio = cpu.cli.every(Number.isFinite) && cpu.base.every(Number.isFinite) ? mid(cpu.cli) / mid(cpu.base) : NaN;
  return {
    value,
    baseline,
    detail: `${(bytes / 1048576).toFixed(0)} MiB generated HAR${content ? " (with content: scripts/gen-har.mjs --with-content)" : ""}; one thread (CORS_DOCTOR_WORKER=0): ${(mid(oneThread) / 1000).toFixed(2)} s median, ${(mid(oneThread) / mid(baseline)).toFixed(2)}× JSON.parse; CPU time (user + system) median: analyze ${(mid(cpu.cli) / 1000).toFixed(2)} s, JSON.parse ${(mid(cpu.base) / 1000).toFixed(2)} s (${cpuRatio.toFixed(2)}×)`,
    extra: { cpuMs: cpu, cpuRatio, oneThreadMs: oneThread },
  };
}
