// `cors-doctor analyze <file.har | ->`: every entry of a HAR diagnosed, streaming, so a file larger
// than memory (or than V8's longest string) still goes through. Human output lists blocked requests
// first; --json follows contracts §3 and is written entry by entry.
import { withFixes } from "../core/diagnose";
import { HarError } from "../core/har/read";
import type { HarEntryResult } from "../core/har/analyze";
import type { Finding } from "../core/model";
import { ANALYZE_USAGE, humanReport, jsonEntry, parseAnalyzeArgs, shownRow } from "./analyze-output";
import { analyzeHarStream, readHarFile } from "./har-stream";
import { outputEdge, UsageError, type CliIo } from "./io";
import { makeStyle } from "./style";

export { ANALYZE_USAGE } from "./analyze-output";

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

/** Rows kept for the human report: blocked and warned requests (allowed ones are only counted). */
const MAX_LISTED = 200;

export async function runAnalyze(args: string[], rawIo: CliIo): Promise<number> {
  const parsed = parseAnalyzeArgs(args);
  if (parsed === "help") {
    rawIo.stdout(`${ANALYZE_USAGE}\n`);
    return 0;
  }
  const { source, json, browser, includeSecrets } = parsed;
  // From here on everything written passes the output edge (secrets, terminal escapes).
  const io = outputEdge(rawIo, { includeSecrets, jsonStdout: json });
  // Recipes are for people: the human report shows them for the requests it lists (rendered only for
  // those), and JSON carries them only when asked. Rendering fourteen recipes per finding for every
  // entry of a big file would cost more than diagnosing it.
  const fixesInStream = json && parsed.fixes;
  const stream = readHarFile(source === "-" ? io.stdin() : source);
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
    for await (const row of analyzeHarStream(stream, { browser, fixes: fixesInStream })) {
      tally(summary, row);
      if (json) {
        const text = `${first ? "\n" : ",\n"}${JSON.stringify(jsonEntry(shownRow(row, includeSecrets)))}`;
        pending.push(text);
        pendingLength += text.length;
        first = false;
        if (pendingLength > 1 << 20) await flushJson();
      } else if (row.diagnosis.role === "actual") {
        const listed = row.diagnosis.verdict === "blocked" ? blocked : row.diagnosis.findings.some(isWarning) ? warned : null;
        if (listed && listed.length < MAX_LISTED) listed.push(shownRow({ ...row, diagnosis: withFixes(row.exchange, row.diagnosis) }, includeSecrets));
      }
    }
    await flushJson();
  } catch (err) {
    if (err instanceof HarError) {
      await flushJson();
      if (json && !first) io.stdout("\n]}\n");
      throw new UsageError(`analyze: ${source === "-" ? "standard input" : source}: ${err.message}`);
    }
    throw err;
  }
  const result = { entries: summary.entries, cors: summary.cors, blocked: summary.blocked, warnings: summary.warnings };
  if (json) {
    io.stdout(`\n],"summary":${JSON.stringify(result)}}\n`);
  } else {
    io.stdout(humanReport(source, browser, result, blocked, warned, { style: makeStyle(io.color), stack: parsed.stack }));
  }
  return summary.blocked > 0 || summary.errors > 0 ? 1 : 0;
}
