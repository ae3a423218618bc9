// `analyze`'s pipeline: HAR bytes → entries → exchanges → diagnoses → rows in entry order, streaming.
// Cross-request lints see the whole file through a bounded per-endpoint summary (core/lints/log.ts):
// each row gets what the log so far shows, and `finish` names the earlier entries that the rest of the
// file incriminated (a reflection seen 10,000 entries after the first is still linked to it).
import { statSync } from "node:fs";
import { diagnoseExchange, type DiagnoseOptions } from "../core/diagnose";
import { entryResults, type HarEntryResult } from "../core/har/analyze";
import type { Finding } from "../core/model";
import { LogSummary } from "../core/lints/log";
import { readHarFile, StreamGrouper, type HarStream, type HarStreamGroup } from "./har-stream";

export interface AnalyzeProgress {
  /** Input bytes read so far. */
  bytesRead: number;
  /** Size of the input, when it is a file (null for a pipe). */
  totalBytes: number | null;
  /** Entries diagnosed so far. */
  entries: number;
}

export interface PipelineOptions extends DiagnoseOptions {
  /** Look-ahead for pairing preflights and redirect hops (entries). */
  window?: number;
  /** Called now and then (every read chunk) while the file is read. */
  onProgress?: (progress: AnalyzeProgress) => void;
}

/** A finding about an entry already passed when the evidence for it was complete. */
export interface LateFinding {
  index: number;
  finding: Finding;
}

export interface AnalyzeRun {
  /** Rows in entry order, one array per read chunk (an await per chunk, not per row). */
  batches: AsyncIterable<HarEntryResult[]>;
  /** After `batches` ended: findings for earlier entries, and how many more were not kept (bounded memory). */
  finish(): { findings: LateFinding[]; omitted: number };
}

/** Size of a file source, for progress (null for stdin or what cannot be stat'ed). */
function sizeOf(source: string | NodeJS.ReadableStream): number | null {
  if (typeof source !== "string") {
    const fd = (source as { fd?: unknown }).fd;
    if (typeof fd !== "number") return null;
    try {
      const stat = statSync(`/dev/fd/${fd}`);
      return stat.isFile() ? stat.size : null;
    } catch {
      return null;
    }
  }
  try {
    return statSync(source).size;
  } catch {
    return null;
  }
}

/** Streams one row per entry, in entry order. Errors are `HarError`s. */
export function analyzeHarSource(source: string | NodeJS.ReadableStream, options: PipelineOptions = {}): AnalyzeRun {
  const stream = readHarFile(source);
  const totalBytes = options.onProgress ? sizeOf(source) : null;
  const summary = new LogSummary();
  return {
    batches: analyzeStream(stream, summary, options, totalBytes),
    finish() {
      const { findings, omitted } = summary.finish();
      return { findings: findings.map((f) => ({ index: f.ref, finding: f.finding })), omitted };
    },
  };
}

/** Diagnoses groups and releases rows in entry order (groups come in order of their first entry). */
class RowOrder {
  private held: HarEntryResult[] = [];
  diagnosed = 0;

  constructor(
    private readonly summary: LogSummary,
    private readonly options: PipelineOptions,
  ) {}

  add(groups: HarStreamGroup[], out: HarEntryResult[]): void {
    for (const group of groups) {
      const diagnosis = diagnoseExchange(group.exchange, this.options);
      // The evidence is the last leg's response: that entry carries the late findings.
      const ref = group.entryIndices.length > 0 ? group.entryIndices[group.entryIndices.length - 1]! : group.preflightIndices[0]!;
      try {
        this.summary.add(group.exchange, diagnosis, ref);
      } catch {
        // Cross-request lints are advice: a malformed exchange must not cost the per-request diagnoses.
      }
      const rows = entryResults((i) => group.entries.get(i)!, [group], [diagnosis]);
      this.diagnosed += rows.length;
      let first = Number.POSITIVE_INFINITY;
      for (const i of group.entryIndices) if (i < first) first = i;
      for (const i of group.preflightIndices) if (i < first) first = i;
      if (this.held.length === 0 && rows.length > 0 && rows[0]!.index === first && isConsecutive(rows)) {
        // The usual case (one entry, or a preflight just before its request): nothing to hold.
        for (const row of rows) out.push(row);
        continue;
      }
      // Rows before this group's first entry are final (no later group can hold an earlier entry).
      this.held.push(...rows);
      this.held.sort((a, b) => a.index - b.index);
      let count = 0;
      while (count < this.held.length && this.held[count]!.index <= first) count++;
      for (let i = 0; i < count; i++) out.push(this.held[i]!);
      if (count > 0) this.held = this.held.slice(count);
    }
  }

  rest(out: HarEntryResult[]): void {
    for (const row of this.held) out.push(row);
    this.held = [];
  }
}

async function* analyzeStream(stream: HarStream, summary: LogSummary, options: PipelineOptions, totalBytes: number | null): AsyncGenerator<HarEntryResult[]> {
  const grouper = new StreamGrouper(stream, options);
  const order = new RowOrder(summary, options);
  const report = () => options.onProgress?.({ bytesRead: stream.bytesRead, totalBytes, entries: order.diagnosed });
  for await (const entries of stream.batches()) {
    const out: HarEntryResult[] = [];
    order.add(grouper.push(entries), out);
    report();
    if (out.length > 0) yield out;
  }
  const out: HarEntryResult[] = [];
  order.add(grouper.finish(), out);
  order.rest(out);
  report();
  if (out.length > 0) yield out;
}

function isConsecutive(rows: HarEntryResult[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]!.index !== rows[i - 1]!.index + 1) return false;
  return true;
}
