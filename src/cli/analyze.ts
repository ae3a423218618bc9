// `cors-doctor analyze <file.har | ->`: every entry of a HAR diagnosed, streaming, so a file larger
// than memory (or than V8's longest string) still goes through. Human output lists blocked requests
// first; --json follows contracts §3 and is written entry by entry.
import { withFixes } from "../core/diagnose";
import { HarError } from "../core/har/read";
import type { HarEntryResult } from "../core/har/analyze";
import type { Finding } from "../core/model";
import { ANALYZE_USAGE, humanReport, jsonEntry, parseAnalyzeArgs, shownLogFinding, shownRow } from "./analyze-output";
import { analyzeHarSource } from "./analyze-pipeline";
import { outputEdge, UsageError, type CliIo } from "./io";
import { progressOnTerminal } from "./progress";
import { makeStyle } from "./style";

export { ANALYZE_USAGE } from "./analyze-output";

interface Summary {
  entries: number;
  cors: number;
  /** Blocked by a CORS check: what the exit status and `summary.blocked` count. */
  blocked: number;
  /** Failed for a reason that is not a CORS check (taxonomy A.5: network, an extension, CSP…): listed, not counted as blocked. */
  failed: number;
  warnings: number;
  errors: number;
}

const isWarning = (f: Finding) => f.severity === "warning";
/** A failure that is not a CORS check (contracts §2: `blockedBy.id` starts with `not-cors-`). */
const isNotCorsBlock = (f: Finding | null) => f?.id.startsWith("not-cors-");

function tally(summary: Summary, row: HarEntryResult): void {
  const d = row.diagnosis;
  summary.entries++;
  if (d.role === "not-cors") return;
  summary.cors++;
  // A blocked preflight whose request is not in the file (chrome-har leaves failed requests out) is the only
  // trace of that block: it counts. A paired preflight's block is counted on its request.
  const orphanPreflight = d.role === "preflight" && d.pairedWith === null;
  if (d.role !== "actual" && !orphanPreflight) return;
  if (d.verdict === "blocked") {
    if (isNotCorsBlock(d.blockedBy)) summary.failed++;
    else summary.blocked++;
  }
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
  // Progress on stderr only where a person watches it: a terminal, and not asked to be quiet.
  const progress = io.stderrIsTTY && !parsed.quiet ? progressOnTerminal(io.stderr) : null;
  const run = analyzeHarSource(source === "-" ? io.stdin() : source, {
    browser,
    fixes: fixesInStream,
    // Exchanges are read by the output edge (redaction of derived text) and the human report (recipes of the
    // requests it lists): both only for rows with derived text. JSON needs only their secrets.
    exchanges: json ? "secrets" : "derived",
    ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
  });
  const summary: Summary = { entries: 0, cors: 0, blocked: 0, failed: 0, warnings: 0, errors: 0 };
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
    for await (const batch of run.batches)
      for (const row of batch) {
        tally(summary, row);
        if (json) {
          const text = `${first ? "\n" : ",\n"}${JSON.stringify(jsonEntry(shownRow(row, includeSecrets)))}`;
          pending.push(text);
          pendingLength += text.length;
          first = false;
          if (pendingLength > 1 << 20) await flushJson();
        } else if (
          row.diagnosis.role === "actual" ||
          (row.diagnosis.role === "preflight" && row.diagnosis.pairedWith === null && row.diagnosis.verdict === "blocked")
        ) {
          const listed = row.diagnosis.verdict === "blocked" ? blocked : row.diagnosis.findings.some(isWarning) ? warned : null;
          if (listed && listed.length < MAX_LISTED)
            listed.push(shownRow({ ...row, diagnosis: withFixes(row.exchange, row.diagnosis) }, includeSecrets));
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
  const result = {
    entries: summary.entries,
    cors: summary.cors,
    blocked: summary.blocked,
    failed: summary.failed,
    warnings: summary.warnings,
  };
  if (json) {
    const logFindings = late.findings.map((f) => `\n${JSON.stringify(shownLogFinding(f, includeSecrets))}`).join(",");
    io.stdout(
      `\n],"logFindings":[${logFindings}${logFindings ? "\n" : ""}]${late.omitted > 0 ? `,"logFindingsOmitted":${late.omitted}` : ""},"summary":${JSON.stringify(result)}}\n`,
    );
  } else {
    // A Firefox file read with Chrome's behaviour by default (contracts §3): say how to get Firefox's.
    const firefoxFileHint = !parsed.browserGiven && browser === "chrome" && run.creator() === "Firefox";
    io.stdout(
      humanReport(source, browser, result, blocked, warned, { style: makeStyle(io.color), stack: parsed.stack, firefoxFileHint }, late),
    );
  }
  return summary.blocked > 0 || summary.errors > 0 ? 1 : 0;
}
