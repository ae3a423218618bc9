#!/usr/bin/env node
// `npm run bench [-- --smoke] [-- --only id[,id]] [-- --runs N]`: every measure of issue 8 against its
// baseline taken in the same run, min/median/max of ≥ 5 runs, ratio of medians, written to
// bench/results/results.json and results.md (with the machine's description) and printed.
// --smoke: tiny inputs, one run each, no thresholds — proves the script still works (CI).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CLI, EXT, ROOT, fmt, machine, stats } from "./lib.mjs";
import cliJson, { cliJsonContent } from "./measures/cli-json.mjs";
import cli1gb from "./measures/cli-1gb.mjs";
import engine from "./measures/engine.mjs";
import fetchOverhead, {
  armedOverhead,
  besideArmedOverhead,
  besideWorkerOverhead,
  floorOverhead,
  permissionOverhead,
} from "./measures/fetch-overhead.mjs";
import fetchOverheadFirefox, { firefoxArmedOverhead } from "./measures/fetch-overhead-firefox.mjs";
import realisticPage from "./measures/realistic-page.mjs";
import realisticPageFirefox from "./measures/realistic-page-firefox.mjs";
import backgroundMemory from "./measures/background-memory.mjs";
import panelRender from "./measures/panel-render.mjs";
import panelFilter from "./measures/panel-filter.mjs";

export const MEASURES = [
  cliJson,
  cliJsonContent,
  cli1gb,
  engine,
  fetchOverhead,
  permissionOverhead,
  besideArmedOverhead,
  besideWorkerOverhead,
  armedOverhead,
  floorOverhead,
  fetchOverheadFirefox,
  firefoxArmedOverhead,
  realisticPage,
  realisticPageFirefox,
  backgroundMemory,
  panelRender,
  panelFilter,
];

function parseArgs(argv) {
  const args = { smoke: false, only: null, runs: null, merge: false, render: false, out: resolve(ROOT, "bench/results") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--smoke") args.smoke = true;
    else if (a === "--only") args.only = argv[++i].split(",");
    else if (a === "--runs") args.runs = Number(argv[++i]);
    else if (a === "--merge") args.merge = true;
    else if (a === "--render") args.render = true;
    else if (a === "--out") args.out = resolve(argv[++i]);
    else if (a === "--help" || a === "-h") {
      process.stdout.write(
        `Usage: node scripts/bench/run.mjs [--smoke] [--only ${MEASURES.map((m) => m.id).join(",")}] [--runs N] [--out DIR] [--merge]\n  --merge  keep the other measures of an existing results.json (re-run one measure)\n  --render rewrite results.md from results.json without measuring\n`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (args.only)
    for (const id of args.only)
      if (!MEASURES.some((m) => m.id === id)) throw new Error(`no measure ${id} (have ${MEASURES.map((m) => m.id).join(", ")})`);
  if (args.runs !== null && !(args.runs >= 1)) throw new Error("--runs takes a positive number");
  return args;
}

/** Which build was measured: dist/ is rebuilt by every `npm test`, so each measure records what it ran. */
function buildIds() {
  const id = (path) => {
    try {
      return createHash("sha256")
        .update(readFileSync(resolve(ROOT, path)))
        .digest("hex")
        .slice(0, 12);
    } catch {
      return "missing";
    }
  };
  return { cli: id("dist/cli/cors-doctor.cjs"), background: id("dist/chrome/background.js"), panel: id("dist/chrome/panel.js") };
}

function statusOf(measure, result, smoke) {
  if (result.error) return "error";
  if (smoke) return "smoke (no threshold)";
  // A reference row (a baseline shown in the table, e.g. the floor of another measure) has no target to meet.
  if (measure.reference) return "reference";
  return measure.judge(result) ? "met" : "MISSED";
}

function row(m, r) {
  const unit = m.unit;
  if (r.error)
    return `| ${m.title} | ${m.baselineText} | error: ${r.error.replace(/\|/g, "\\|").replace(/\n/g, " ").slice(0, 300)} | — | — | ${m.targetText} | **error** |`;
  const v = r.value;
  const b = r.baseline;
  const value = `${fmt(v.median, unit)} (${fmt(v.min, unit)} – ${fmt(v.max, unit)})`;
  const base = b ? `${fmt(b.median, unit)} (${fmt(b.min, unit)} – ${fmt(b.max, unit)})` : m.baselineText;
  const ratio = r.ratio === undefined ? "—" : `${r.ratio.toFixed(3)}×`;
  // Browser measures also judge the CPU the whole browser used (`cpuRatio`): on a loaded machine wall time alone can
  // "meet" a target by luck of the neighbours' load.
  const cpu = r.cpuRatio !== undefined ? ` wall, ${r.cpuRatio.toFixed(2)}× CPU` : "";
  const figure = r.ratio !== undefined ? `${r.ratio.toFixed(2)}×${cpu}` : fmt(m.judgeFigure ? m.judgeFigure(r) : v.median, unit);
  const status =
    r.status === "met" || r.status === "reference"
      ? `${r.status}${cpu ? ` (${figure})` : ""}`
      : r.status === "MISSED"
        ? `**missed** (${figure}${m.judgeFigure ? ", worst run" : ""})`
        : r.status;
  return `| ${m.title} | ${base} | ${value} | ${v.n} | ${ratio} | ${m.targetText} | ${status} |`;
}

export function table(measures, results) {
  const lines = [
    "| measure | baseline median (min – max) | median (min – max) | runs | ratio of medians | target | result |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const m of measures) if (results[m.id]) lines.push(row(m, results[m.id]));
  return lines.join("\n");
}

function markdown(report, measures) {
  const mc = report.machine;
  const details = measures
    .filter((m) => report.results[m.id])
    .map((m) => {
      const r = report.results[m.id];
      return `- **${m.id}**: ${r.error ? `error: ${r.error}` : (r.detail ?? "")}${r.notes ? ` ${r.notes}` : ""}`;
    });
  return [
    `# CORS Doctor benchmarks${report.smoke ? " (smoke run: tiny inputs, no thresholds)" : ""}`,
    "",
    `Measured ${report.finishedAt} in ${(report.durationMs / 1000).toFixed(0)} s${report.merged ? " (sum of the measures; some re-run with --merge)" : ""} with \`node scripts/bench/run.mjs${report.smoke ? " --smoke" : ""}\`. Each figure is the median of ${report.smoke ? "1 run" : "the runs shown (5 unless a note says otherwise)"} (min – max), against a baseline measured in the same run where there is one.`,
    "",
    `Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.memoryGiB} GiB RAM, ${mc.os}; Node ${mc.node}; ${mc.chromium}${mc.firefox ? `; ${mc.firefox}` : ""}. Load average (1/5/15 min) at start: ${mc.loadAverageAtStart}, at end: ${mc.loadAverageAtEnd} (the cores are shared with other work: read the browser and wall-time figures with that in mind).`,
    "",
    table(measures, report.results),
    "",
    "Details:",
    "",
    ...details,
    "",
  ].join("\n");
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const measures = MEASURES.filter((m) => !args.only || args.only.includes(m.id));
  if (args.render) {
    const md = markdown(JSON.parse(readFileSync(resolve(args.out, "results.json"), "utf8")), MEASURES);
    writeFileSync(resolve(args.out, "results.md"), md);
    process.stdout.write(`${md}\n`);
    return 0;
  }
  if (!existsSync(CLI) || !existsSync(resolve(EXT, "manifest.json"))) throw new Error("dist/ is not built: run npm run build first");
  const runs = args.runs ?? (args.smoke ? 1 : 5);
  const started = Date.now();
  const report = {
    tool: "cors-doctor-bench",
    smoke: args.smoke,
    runsPerMeasure: runs,
    machine: machine(),
    startedAt: new Date(started).toISOString(),
    results: {},
  };
  const log = (line) => process.stderr.write(`${line}\n`);
  for (const m of measures) {
    log(`▶ ${m.id}: ${m.title}`);
    const t0 = Date.now();
    const build = buildIds();
    let result;
    try {
      const raw = await m.run({ smoke: args.smoke, runs, log });
      result = { ...raw, value: stats(raw.value) };
      // `reference`: the figure without the thing measured, shown beside it (the measure is already the difference).
      if (raw.reference) result.baseline = stats(raw.reference);
      if (raw.baseline) {
        result.baseline = stats(raw.baseline);
        result.ratio = result.value.median / result.baseline.median;
      }
      if ([result.value.median, result.ratio ?? 0].some((x) => !Number.isFinite(x)))
        throw new Error(`no usable figure (${JSON.stringify(raw.value)})`);
      result.status = statusOf(m, result, args.smoke);
      result.figure =
        result.ratio !== undefined
          ? `${result.ratio.toFixed(2)}×`
          : fmt(m.judgeFigure ? m.judgeFigure(result) : result.value.median, m.unit);
    } catch (err) {
      result = { error: err instanceof Error ? err.message : String(err), status: "error" };
      log(`  error: ${result.error}`);
    }
    if (!args.smoke && runs < 5)
      result.notes = `Only ${runs} run${runs === 1 ? "" : "s"} (--runs ${runs}), fewer than the 5 the issue asks for.`;
    result.seconds = Math.round((Date.now() - t0) / 100) / 10;
    result.measuredAt = new Date().toISOString();
    result.build = build;
    const after = buildIds();
    if (JSON.stringify(after) !== JSON.stringify(build))
      result.notes =
        `${result.notes ?? ""} dist/ was rebuilt while this measure ran (build ids before ${JSON.stringify(build)}, after ${JSON.stringify(after)}).`.trim();
    report.results[m.id] = result;
    log(`  ${result.status} (${result.seconds} s)`);
  }
  report.finishedAt = new Date().toISOString();
  report.durationMs = Date.now() - started;
  mkdirSync(args.out, { recursive: true });
  const jsonPath = resolve(args.out, "results.json");
  if (args.merge && existsSync(jsonPath)) {
    const old = JSON.parse(readFileSync(jsonPath, "utf8"));
    if (old.smoke !== report.smoke) throw new Error("--merge: the existing results are from a different mode (smoke vs full)");
    report.results = { ...old.results, ...report.results };
    report.startedAt = old.startedAt;
    report.machine = { ...report.machine, loadAverageAtStart: old.machine?.loadAverageAtStart };
    report.durationMs = Object.values(report.results).reduce((s, r) => s + (r.seconds ?? 0) * 1000, 0);
    report.merged = true;
  }
  report.machine.loadAverageAtEnd = machine().loadAverageAtStart;
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  const md = markdown(report, args.merge ? MEASURES : measures);
  writeFileSync(resolve(args.out, "results.md"), md);
  process.stdout.write(`${md}\n`);
  // A missed target is a result, not a crash; an error (a measure that could not run) is a failure.
  return Object.values(report.results).some((r) => r.status === "error") ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
