// `cors-doctor analyze`: its options (one table, which also writes --help) and its output, JSON and human.
// The reading and diagnosing loop lives in analyze.ts. Every row leaves through `shownRow`: a copy in which
// each string has lost the secrets of its own exchange and anything shaped like one (core/redact), before
// it is serialised or rendered; the io edge (io.ts) then scrubs and escapes each written line once more.
import { STACKS } from "../core/fixes/index";
import type { HarEntryResult } from "../core/har/analyze";
import type { LateFinding } from "./analyze-pipeline";
import type { BrowserName, Exchange, Finding } from "../core/model";
import { Redaction, collectSecrets, type SecretSource } from "../core/redact";
import { UsageError } from "./io";
import { helpText, parseCommand, type CommandSpec } from "./options";
import { printable, type Style } from "./style";

const STACK_NAMES = [...STACKS.map((st) => st.stack), "client"];

/** "a, b, c" in lines of at most `width` characters, for a help column. */
function wrapList(items: readonly string[], width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (next.length > width && line) {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  return [...lines, line].join("\n");
}

export const ANALYZE_SPEC: CommandSpec = {
  command: "cors-doctor analyze",
  synopsis: "cors-doctor analyze <file.har | -> [options]",
  description: "Diagnoses every request of a HAR 1.2 file (Chrome or Firefox DevTools, or a CORS Doctor report).",
  options: [
    { name: "json", type: "boolean", help: "machine-readable output (one object; entries in file order)" },
    { name: "fixes", type: "boolean", help: "with --json: include the fix recipes of every finding (large)" },
    {
      name: "stack",
      type: "string",
      placeholder: "NAME",
      choices: STACK_NAMES,
      help: `print the full recipe for your server: one of\n${wrapList(STACK_NAMES, 60)}`,
    },
    {
      name: "browser",
      type: "string",
      placeholder: "NAME",
      choices: ["chrome", "firefox"],
      help: "whose behaviour to apply: chrome (default) or firefox",
    },
    { name: "quiet", short: "q", type: "boolean", help: "no progress on stderr (progress is shown only on a terminal)" },
    {
      name: "include-secrets",
      type: "boolean",
      help: "print credentials as they are (by default cookies, tokens, keys,\nsecret URL parameters and token-shaped values are [redacted])",
    },
    { name: "help", short: "h", type: "boolean", help: "this text" },
  ],
  footer: "Exit status: 0 nothing blocked, 1 something blocked or an error finding, 2 bad usage or unreadable input.",
};

export const ANALYZE_USAGE = helpText(ANALYZE_SPEC);

export interface AnalyzeOptions {
  stack: string | null;
  source: string;
  json: boolean;
  fixes: boolean;
  browser: BrowserName;
  /** Whether `--browser` was given (the default is Chrome's behaviour, contracts §3). */
  browserGiven: boolean;
  includeSecrets: boolean;
  quiet: boolean;
}

export function parseAnalyzeArgs(args: readonly string[]): AnalyzeOptions | "help" {
  const parsed = parseCommand(ANALYZE_SPEC, args);
  if (parsed === "help") return parsed;
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("analyze: which HAR file? (cors-doctor analyze <file.har | ->)");
  if (positionals.length > 1)
    throw new UsageError(`analyze: one file at a time (got ${JSON.stringify(positionals[0])} and ${JSON.stringify(positionals[1])})`);
  return {
    source: positionals[0]!,
    json: values.json === true,
    fixes: values.fixes === true,
    stack: typeof values.stack === "string" ? values.stack : null,
    browser: values.browser === "firefox" ? "firefox" : "chrome",
    browserGiven: typeof values.browser === "string",
    includeSecrets: values["include-secrets"] === true,
    quiet: values.quiet === true,
  };
}

/**
 * The row as it may be shown: with secrets included, itself; otherwise a copy whose strings (URL, method,
 * every finding's title, detail, values, console lines, recipes, assumptions) lost the secrets of this
 * exchange's URLs and headers and anything secret-shaped. Rows with nothing but a URL take the short way.
 */
export function shownRow(row: PipelineRow, includeSecrets: boolean): HarEntryResult {
  if (includeSecrets) return row;
  const d = row.diagnosis;
  // Only derived text can quote a header value: the exchange's own secrets are collected for it alone.
  const redaction = hasDerivedText(row)
    ? row.secretSources
      ? collectSecrets(new Redaction(), row.secretSources)
      : exchangeSecrets(row.exchange)
    : EMPTY;
  const shown = redaction.scrub({ url: row.url, method: row.method, diagnosis: d });
  return shown.url === row.url && shown.method === row.method && shown.diagnosis === d ? row : { ...row, ...shown };
}

/**
 * A row as the analysis pipeline hands it over. From the worker thread, a row with derived text crosses with its
 * exchange's `secretSources` (its URLs and the headers that can hold a secret) instead of the exchange itself,
 * which would cost more to copy than to diagnose; the secrets are collected from them here, where the row's URL
 * is redacted anyway.
 */
export type PipelineRow = HarEntryResult & { secretSources?: SecretSource[] };

/** Whether the diagnosis has text of its own (a blocking finding, findings, assumptions) that may quote a value. */
export function hasDerivedText(row: HarEntryResult): boolean {
  const d = row.diagnosis;
  return d.blockedBy !== null || d.findings.length > 0 || (d.assumptions?.length ?? 0) > 0;
}

/** Every secret of the exchange's URLs and headers, for the text derived from them. */
export function exchangeSecrets(exchange: Exchange): Redaction {
  return collectSecrets(new Redaction(), messagesOf(exchange));
}

/** Every request and response of the exchange, for its secrets. */
export function messagesOf(exchange: Exchange): Array<SecretSource | undefined> {
  return exchange.legs.flatMap((leg) => [leg.request, leg.response, leg.preflight?.request, leg.preflight?.response]);
}

/** Rows without findings have no exchange secrets to look for: the text rule alone applies. */
const EMPTY = new Redaction();

/** A cross-request finding about an earlier entry, as it may be shown: the text rule applies to its strings. */
export function shownLogFinding(late: LateFinding, includeSecrets: boolean): LateFinding {
  return includeSecrets ? late : EMPTY.scrub(late);
}

export function jsonEntry(row: HarEntryResult): Record<string, unknown> {
  const d = row.diagnosis;
  return {
    index: row.index,
    url: row.url,
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

const MAX_LATE_LISTED = 200;

export interface HumanOptions {
  style: Style;
  /** The user's server stack: its whole recipe is printed, not only the one-line fix. */
  stack: string | null;
  /** Said under the title: the file was saved by Firefox and Chrome's behaviour applied only by default. */
  firefoxFileHint?: boolean;
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

/** One listed request of the human report; `row` is already what may be shown (`shownRow`). */
export function humanRow(row: HarEntryResult, o: HumanOptions): string[] {
  const s = o.style;
  const d = row.diagnosis;
  const url = printable(row.url);
  const partner = d.pairedWith !== null ? `, preflight #${d.pairedWith}` : "";
  const lines: string[] = [];
  if (d.verdict === "blocked" && d.blockedBy) {
    // Not a CORS check (taxonomy A.5): the request failed, and the fix is not on the server's CORS headers.
    const label = d.blockedBy.id.startsWith("not-cors-") ? s.red("FAILED (not CORS)") : s.red("BLOCKED");
    lines.push(`${label} ${printable(row.method)} ${url}  ${s.dim(`[#${row.index}${partner}, HTTP ${row.status}]`)}`);
    lines.push(...describeFinding(d.blockedBy, o, "  "));
    if (d.blockedBy.console?.chrome) lines.push(`  ${s.dim("Chrome says:")} ${printable(d.blockedBy.console.chrome)}`);
    if (d.blockedBy.console?.firefox) lines.push(`  ${s.dim("Firefox says:")} ${printable(d.blockedBy.console.firefox)}`);
    if (d.blockedBy.browsers)
      lines.push(`  ${s.dim(`Chrome ${d.blockedBy.browsers.chrome}, Firefox ${d.blockedBy.browsers.firefox} this request.`)}`);
  } else {
    lines.push(`${s.yellow("WARNING")} ${printable(row.method)} ${url}  ${s.dim(`[#${row.index}${partner}, HTTP ${row.status}]`)}`);
  }
  for (const f of d.findings.filter((x) => x.severity !== "info")) {
    lines.push(...describeFinding(f, o, "  ", `${f.severity === "error" ? s.red("✗") : s.yellow("!")} `));
  }
  for (const a of d.assumptions ?? []) lines.push(`  ${s.dim(`assumed: ${printable(a)}`)}`);
  return lines;
}

export interface HumanSummary {
  entries: number;
  cors: number;
  blocked: number;
  /** Failed for reasons that are not CORS checks. */
  failed: number;
  warnings: number;
}

/** The whole human report, from the rows kept for it (blocked first, then warned). */
export function humanReport(
  source: string,
  browser: BrowserName,
  summary: HumanSummary,
  blocked: HarEntryResult[],
  warned: HarEntryResult[],
  o: HumanOptions,
  late: { findings: LateFinding[]; omitted: number } = { findings: [], omitted: 0 },
): string {
  const s = o.style;
  const out: string[] = [];
  out.push(
    s.bold(
      `CORS Doctor ${__VERSION__} — ${source === "-" ? "standard input" : printable(source)} (${browser === "chrome" ? "Chrome" : "Firefox"} behaviour)`,
    ),
  );
  if (o.firefoxFileHint) out.push(s.dim("Saved by Firefox: Chrome's behaviour applies by default; --browser firefox applies Firefox's."));
  const failed = summary.failed > 0 ? ` · ${summary.failed} failed (not CORS)` : "";
  out.push(`${summary.entries} entries · ${summary.cors} CORS · ${summary.blocked} blocked${failed} · ${summary.warnings} warnings`);
  for (const row of [...blocked, ...warned]) out.push("", ...humanRow(row, o));
  if (late.findings.length > 0) {
    out.push("", s.bold("Seen across the file, about earlier requests:"));
    for (const { index, finding } of late.findings.slice(0, MAX_LATE_LISTED)) out.push(...describeFinding(finding, o, "  ", `#${index} `));
    const more = late.omitted + Math.max(0, late.findings.length - MAX_LATE_LISTED);
    if (more > 0) out.push(s.dim(`  … and ${more} more (use --json)`));
  }
  const listedBlocked = blocked.length;
  if (summary.blocked + summary.failed > listedBlocked)
    out.push("", s.dim(`… and ${summary.blocked + summary.failed - listedBlocked} more failed requests (use --json for all)`));
  if (summary.cors > 0 && summary.blocked === 0 && summary.failed === 0 && warned.length === 0 && late.findings.length === 0)
    out.push("", s.green("No CORS problems found."));
  if (summary.cors === 0) out.push("", "No cross-origin (CORS) requests in this file.");
  return `${out.join("\n")}\n`;
}
