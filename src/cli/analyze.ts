// `cors-doctor analyze <file.har | ->`: every entry of a HAR diagnosed, streaming, so a file larger
// than memory (or than V8's longest string) still goes through. Human output lists blocked requests
// first; --json follows contracts §3 and is written entry by entry.
import { withFixes } from "../core/diagnose";
import { STACKS } from "../core/fixes/index";
import { HarError } from "../core/har/read";
import type { HarEntryResult } from "../core/har/analyze";
import type { BrowserName, Finding } from "../core/model";
import { redactUrl } from "../core/redact";
import { analyzeHarSource } from "./analyze-pipeline";
import { progressOnTerminal } from "./progress";
import { UsageError, type CliIo } from "./io";
import { makeStyle, printable, type Style } from "./style";

const STACK_NAMES = [...STACKS.map((st) => st.stack), "client"];

export const ANALYZE_USAGE = `Usage: cors-doctor analyze <file.har | -> [--json [--fixes]] [--stack NAME] [--browser chrome|firefox] [--include-secrets]

Diagnoses every request of a HAR 1.2 file (Chrome or Firefox DevTools, or a CORS Doctor report).
  --json             machine-readable output (one object; entries in file order)
  --fixes            with --json: include the fix recipes of every finding (large)
  --stack NAME       print the full recipe for your server: ${STACK_NAMES.join(", ")}
  --browser NAME     whose behaviour to apply: chrome (default) or firefox
  --include-secrets  print credential-like URL parameters as they are (redacted by default)
  --quiet            no progress line on stderr (shown only when stderr is a terminal)
Exit status: 0 nothing blocked, 1 something blocked or an error finding, 2 bad usage or unreadable input.`;

interface AnalyzeOptions {
  stack: string | null;
  source: string;
  json: boolean;
  fixes: boolean;
  browser: BrowserName;
  includeSecrets: boolean;
  quiet: boolean;
}

function parseArgs(args: string[]): AnalyzeOptions | "help" {
  let source: string | undefined;
  let json = false;
  let fixes = false;
  let stack: string | null = null;
  let browser: BrowserName = "chrome";
  let includeSecrets = false;
  let quiet = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--json") json = true;
    else if (a === "--fixes") fixes = true;
    else if (a === "--stack" || a.startsWith("--stack=")) {
      const value = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (!value || !STACK_NAMES.includes(value)) throw new UsageError(`analyze: --stack takes one of ${STACK_NAMES.join(", ")}`);
      stack = value;
    }
    else if (a === "--include-secrets") includeSecrets = true;
    else if (a === "--quiet" || a === "-q") quiet = true;
    else if (a === "--browser" || a.startsWith("--browser=")) {
      const value = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
      if (value !== "chrome" && value !== "firefox") throw new UsageError(`analyze: --browser takes chrome or firefox, not ${JSON.stringify(value ?? "")}`);
      browser = value;
    } else if (a.startsWith("-") && a !== "-") throw new UsageError(`analyze: unknown option ${a} (see cors-doctor analyze --help)`);
    else if (source === undefined) source = a;
    else throw new UsageError(`analyze: one file at a time (got ${JSON.stringify(source)} and ${JSON.stringify(a)})`);
  }
  if (source === undefined) throw new UsageError("analyze: which HAR file? (cors-doctor analyze <file.har | ->)");
  return { source, json, fixes, stack, browser, includeSecrets, quiet };
}

interface Summary {
  entries: number;
  cors: number;
  blocked: number;
  warnings: number;
  errors: number;
}

const isWarning = (f: Finding) => f.severity === "warning";

function tally(summary: Summary, row: HarEntryResult): void {
  const d = row.diagnosis;
  summary.entries++;
  if (d.role === "not-cors") return;
  summary.cors++;
  if (d.role !== "actual") return;
  if (d.verdict === "blocked") summary.blocked++;
  summary.warnings += d.findings.filter(isWarning).length;
  summary.errors += d.findings.filter((f) => f.severity === "error").length;
}

function jsonEntry(row: HarEntryResult, includeSecrets: boolean): Record<string, unknown> {
  const d = row.diagnosis;
  return {
    index: row.index,
    url: includeSecrets ? row.url : redactUrl(row.url),
    method: row.method,
    status: row.status,
    role: d.role,
    pairedWith: d.pairedWith,
    verdict: d.verdict,
    blockedBy: d.blockedBy,
    findings: d.findings,
    assumptions: d.assumptions ?? [],
  };
}

/** Rows kept for the human report: blocked and warned requests (allowed ones are only counted). */
const MAX_LISTED = 200;

interface HumanOptions {
  style: Style;
  includeSecrets: boolean;
  /** The user's server stack: its whole recipe is printed, not only the one-line fix. */
  stack: string | null;
}

function describeFinding(f: Finding, o: HumanOptions, indent: string, marker = ""): string[] {
  const s = o.style;
  const lines = [`${indent}${marker}${s.bold(printable(f.title))}`];
  if (f.header) lines.push(`${indent}  header:   ${printable(f.header)}`);
  if (f.expected !== undefined) lines.push(`${indent}  expected: ${printable(JSON.stringify(f.expected))}`);
  if (f.actual !== undefined) lines.push(`${indent}  received: ${printable(JSON.stringify(f.actual))}`);
  const mine = o.stack ? f.fixes?.find((x) => x.stack === o.stack) : undefined;
  const fix = mine ?? f.fixes?.find((x) => x.stack === "http") ?? f.fixes?.[0];
  if (fix) lines.push(`${indent}  fix:      ${printable(fix.title)}`);
  if (mine) {
    for (const line of mine.code.split("\n")) lines.push(`${indent}    ${printable(line)}`);
    if (mine.notes) lines.push(`${indent}  ${s.dim(printable(mine.notes))}`);
  }
  return lines;
}

function humanRow(row: HarEntryResult, o: HumanOptions): string[] {
  const s = o.style;
  const includeSecrets = o.includeSecrets;
  const d = row.diagnosis;
  const url = printable(includeSecrets ? row.url : redactUrl(row.url));
  const partner = d.pairedWith !== null ? `, preflight #${d.pairedWith}` : "";
  const lines: string[] = [];
  if (d.verdict === "blocked" && d.blockedBy) {
    lines.push(`${s.red("BLOCKED")} ${printable(row.method)} ${url}  ${s.dim(`[#${row.index}${partner}, HTTP ${row.status}]`)}`);
    lines.push(...describeFinding(d.blockedBy, o, "  "));
    if (d.blockedBy.console?.chrome) lines.push(`  ${s.dim("Chrome says:")} ${printable(d.blockedBy.console.chrome)}`);
    if (d.blockedBy.console?.firefox) lines.push(`  ${s.dim("Firefox says:")} ${printable(d.blockedBy.console.firefox)}`);
    if (d.blockedBy.browsers) lines.push(`  ${s.dim(`Chrome ${d.blockedBy.browsers.chrome}, Firefox ${d.blockedBy.browsers.firefox} this request.`)}`);
  } else {
    lines.push(`${s.yellow("WARNING")} ${printable(row.method)} ${url}  ${s.dim(`[#${row.index}${partner}, HTTP ${row.status}]`)}`);
  }
  for (const f of d.findings.filter((x) => x.severity !== "info")) {
    lines.push(...describeFinding(f, o, "  ", `${f.severity === "error" ? s.red("✗") : s.yellow("!")} `));
  }
  for (const a of d.assumptions ?? []) lines.push(`  ${s.dim(`assumed: ${printable(a)}`)}`);
  return lines;
}

export async function runAnalyze(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === "help") {
    io.stdout(`${ANALYZE_USAGE}\n`);
    return 0;
  }
  const { source, json, browser, includeSecrets } = parsed;
  // Recipes are for people: the human report shows them for the requests it lists (rendered only for
  // those), and JSON carries them only when asked. Rendering fourteen recipes per finding for every
  // entry of a big file would cost more than diagnosing it.
  const fixesInStream = json && parsed.fixes;
  // Progress on stderr only where a person watches it: a terminal, and not asked to be quiet.
  const progress = io.stderrIsTTY && !parsed.quiet ? progressOnTerminal(io.stderr) : null;
  const run = analyzeHarSource(source === "-" ? io.stdin() : source, {
    browser,
    fixes: fixesInStream,
    // Only the human report reads exchanges (recipes of the requests it lists).
    exchanges: json ? "none" : "problems",
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
  });
  const summary: Summary = { entries: 0, cors: 0, blocked: 0, warnings: 0, errors: 0 };
  const blocked: HarEntryResult[] = [];
  const warned: HarEntryResult[] = [];
  let first = true;
  // JSON goes out in chunks of about 1 MB: one write per entry cost more than the diagnosis on big files.
  let pending: string[] = [];
  let pendingLength = 0;
  const flushJson = async () => {
    if (pending.length === 0) return;
    io.stdout(pending.join(""));
    pending = [];
    pendingLength = 0;
    if (io.drain) await io.drain();
  };
  try {
    if (json) io.stdout(`{"tool":"cors-doctor","version":${JSON.stringify(__VERSION__)},"browser":${JSON.stringify(browser)},"entries":[`);
    for await (const batch of run.batches) for (const row of batch) {
      tally(summary, row);
      if (json) {
        const text = `${first ? "\n" : ",\n"}${JSON.stringify(jsonEntry(row, includeSecrets))}`;
        pending.push(text);
        pendingLength += text.length;
        first = false;
        if (pendingLength > 1 << 20) await flushJson();
      } else if (row.diagnosis.role === "actual") {
        const listed = row.diagnosis.verdict === "blocked" ? blocked : row.diagnosis.findings.some(isWarning) ? warned : null;
        if (listed && listed.length < MAX_LISTED) listed.push({ ...row, diagnosis: withFixes(row.exchange, row.diagnosis) });
      }
    }
    await flushJson();
  } catch (err) {
    progress?.clear();
    if (err instanceof HarError) {
      await flushJson();
      if (json && !first) io.stdout("\n]}\n");
      throw new UsageError(`analyze: ${source === "-" ? "standard input" : source}: ${err.message}`);
    }
    throw err;
  }
  progress?.clear();
  // Cross-request findings about entries already written (the evidence came later in the file).
  const late = run.finish();
  for (const { finding } of late.findings) {
    if (finding.severity === "warning") summary.warnings++;
    if (finding.severity === "error") summary.errors++;
  }
  const result = { entries: summary.entries, cors: summary.cors, blocked: summary.blocked, warnings: summary.warnings };
  if (json) {
    const logFindings = late.findings.map((f) => `\n${JSON.stringify(f)}`).join(",");
    io.stdout(`\n],"logFindings":[${logFindings}${logFindings ? "\n" : ""}]${late.omitted > 0 ? `,"logFindingsOmitted":${late.omitted}` : ""},"summary":${JSON.stringify(result)}}\n`);
  } else {
    const s = makeStyle(io.color);
    const out: string[] = [];
    out.push(s.bold(`CORS Doctor ${__VERSION__} — ${source === "-" ? "standard input" : source} (${browser === "chrome" ? "Chrome" : "Firefox"} behaviour)`));
    out.push(`${summary.entries} entries · ${summary.cors} CORS · ${summary.blocked} blocked · ${summary.warnings} warnings`);
    const human: HumanOptions = { style: s, includeSecrets, stack: parsed.stack };
    for (const row of [...blocked, ...warned]) out.push("", ...humanRow(row, human));
    if (late.findings.length > 0) {
      out.push("", s.bold("Seen across the file, about earlier requests:"));
      for (const { index, finding } of late.findings.slice(0, MAX_LISTED)) out.push(...describeFinding(finding, human, "  ", `#${index} `));
      const more = late.omitted + Math.max(0, late.findings.length - MAX_LISTED);
      if (more > 0) out.push(s.dim(`  … and ${more} more (use --json)`));
    }
    if (summary.blocked > blocked.length) out.push("", s.dim(`… and ${summary.blocked - blocked.length} more blocked requests (use --json for all)`));
    if (summary.cors > 0 && summary.blocked === 0 && warned.length === 0) out.push("", s.green("No CORS problems found."));
    if (summary.cors === 0) out.push("", "No cross-origin (CORS) requests in this file.");
    io.stdout(`${out.join("\n")}\n`);
  }
  return summary.blocked > 0 || summary.errors > 0 ? 1 : 0;
}
