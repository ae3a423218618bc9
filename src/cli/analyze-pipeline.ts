// `analyze`'s pipeline: HAR bytes → entries → exchanges → diagnoses → rows in entry order, streaming.
// Cross-request lints see the whole file through a bounded per-endpoint summary (core/lints/log.ts):
// each row gets what the log so far shows, and `finish` names the earlier entries that the rest of the
// file incriminated (a reflection seen 10,000 entries after the first is still linked to it).
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { diagnoseExchange, type DiagnoseOptions } from "../core/diagnose";
import { entryResults, firstEntryOf, type HarEntryResult } from "../core/har/analyze";
import type { Finding } from "../core/model";
import { CookieSummary } from "../core/lints/cookies";
import { LogSummary } from "../core/lints/log";
import { parseHarCookieSightings, type HarCookieSighting } from "../core/har/cookie-sightings";
import { CORS_DOCTOR_CREATOR } from "../core/har/group";
import { HarError } from "../core/har/read";
import type { Exchange } from "../core/model";
import { hasDerivedText, messagesOf, type PipelineRow } from "./analyze-output";
import { secretSources } from "../core/redact";
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
  /**
   * Which rows keep their `exchange` when the work runs on a worker thread (copying every exchange
   * back would cost more than it saves): "derived" = the rows with derived text (a blocking finding,
   * findings, assumptions), which the output edge redacts with their exchange's secrets and among which
   * are the blocked and warned requests the human report lists; "secrets" = no row, and the rows with derived
   * text carry their exchange's secret sources instead (all the JSON output needs). Without a worker every row
   * has it.
   */
  exchanges?: "all" | "derived" | "secrets";
  /**
   * Run on a worker thread (a file of 8 MB or more, from the built CLI). By default on where there are two
   * cores or more (`workerByDefault`); CORS_DOCTOR_WORKER=0 turns it off, =1 on.
   */
  worker?: boolean;
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
  /** After `batches` ended: the file's `log.creator.name`, when it has one. */
  creator(): string | undefined;
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
  const worker = options.worker ?? workerByDefault(process.env.CORS_DOCTOR_WORKER);
  if (typeof source === "string" && worker && workerScript() !== null && (sizeOf(source) ?? 0) >= WORKER_FROM_BYTES) {
    return analyzeOnWorker(source, options);
  }
  const stream = readHarFile(source);
  const totalBytes = options.onProgress ? sizeOf(source) : null;
  const summary = new LogSummary();
  return {
    batches: analyzeStream(stream, summary, options, totalBytes),
    finish() {
      const { findings, omitted } = summary.finish();
      return { findings: findings.map((f) => ({ index: f.ref, finding: f.finding })), omitted };
    },
    creator: () => stream.creator,
  };
}

/** Diagnoses groups and releases rows in entry order (groups come in order of their first entry). */
class RowOrder {
  private held: HarEntryResult[] = [];
  /** The cookie rules read the log in order too (a Set-Cookie, then the credentialed 401 that went without it). */
  private readonly cookies = new CookieSummary();
  /** Cookies our own export says were set outside the log (read once the file's header part has passed). */
  private sightings: HarCookieSighting[] | null = null;
  diagnosed = 0;

  constructor(
    private readonly summary: LogSummary,
    private readonly options: PipelineOptions,
    private readonly stream: Pick<HarStream, "creator" | "corsDoctorLog">,
  ) {}

  add(groups: HarStreamGroup[], out: HarEntryResult[]): void {
    this.sightings ??= this.stream.creator === CORS_DOCTOR_CREATOR ? parseHarCookieSightings(this.stream.corsDoctorLog) : [];
    for (const group of groups) {
      const first = firstEntryOf(group);
      // Groups come in order of their first entry: a sighting goes in before the first group at or after its entry.
      while (this.sightings.length > 0 && this.sightings[0]!.beforeEntry <= first) this.cookies.addOutsideLog(this.sightings.shift()!);
      const diagnosis = diagnoseExchange(group.exchange, this.options);
      // The evidence is the last leg's response: that entry carries the late findings.
      const ref = group.entryIndices.length > 0 ? group.entryIndices[group.entryIndices.length - 1]! : group.preflightIndices[0]!;
      try {
        this.cookies.add(group.exchange, diagnosis, ref);
        this.summary.add(group.exchange, diagnosis, ref);
      } catch {
        // Cross-request lints are advice: a malformed exchange must not cost the per-request diagnoses.
      }
      const rows = entryResults((i) => group.entries.get(i)!, [group], [diagnosis]);
      this.diagnosed += rows.length;
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

async function* analyzeStream(
  stream: HarStream,
  summary: LogSummary,
  options: PipelineOptions,
  totalBytes: number | null,
): AsyncGenerator<HarEntryResult[]> {
  const grouper = new StreamGrouper(stream, options);
  const order = new RowOrder(summary, options, stream);
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

// The second core: reading, grouping and diagnosing run on a worker thread; the main thread only renders
// and writes the rows it receives. Rows cross as structured clones, so the split can pay only on files of
// some size (starting the worker costs tens of ms).

/**
 * Whether a big file goes to a worker thread unless the caller says: on with two cores or more, where it
 * measured 10–15 % less wall time than one thread (100 MB and 1 GB bench HARs, same bytes out, 1 GB still
 * under 200 MB of RSS); `CORS_DOCTOR_WORKER` = "0" or "1" decides instead.
 */
export function workerByDefault(setting: string | undefined, cores = availableParallelism()): boolean {
  if (setting === "0" || setting === "1") return setting === "1";
  return cores >= 2;
}

const WORKER_FROM_BYTES = 8 << 20;
/** Batches the worker may send ahead of the main thread (each about one read chunk of rows). */
const WORKER_AHEAD = 4;

interface WorkerJob {
  corsDoctorAnalyze: { path: string; options: Omit<PipelineOptions, "onProgress" | "worker"> & { progress: boolean } };
}

type FromWorker =
  | { type: "rows"; rows: HarEntryResult[]; progress: AnalyzeProgress }
  | { type: "end"; late: { findings: LateFinding[]; omitted: number }; creator: string | undefined; progress: AnalyzeProgress }
  | { type: "error"; message: string; offset?: number; harError: boolean };

/** The built CLI (one CommonJS file) can start itself as the worker; the TypeScript sources cannot. */
function workerScript(): string | null {
  return typeof __filename === "string" && __filename.endsWith(".cjs") ? __filename : null;
}

/**
 * Whether a row crosses back from the worker with its exchange. With "derived", a row with derived text does: the
 * output edge redacts that text with the secrets of the exchange's own headers (without them, such rows failed).
 */
function keepsExchange(row: HarEntryResult, which: PipelineOptions["exchanges"]): boolean {
  if (which === "secrets") return false;
  return which !== "derived" || hasDerivedText(row);
}

function analyzeOnWorker(path: string, options: PipelineOptions): AnalyzeRun {
  const { onProgress, worker: _worker, ...rest } = options;
  const job: WorkerJob = { corsDoctorAnalyze: { path, options: { ...rest, progress: onProgress !== undefined } } };
  let late: { findings: LateFinding[]; omitted: number } = { findings: [], omitted: 0 };
  let creator: string | undefined;
  async function* batches(): AsyncGenerator<HarEntryResult[]> {
    const thread = new Worker(workerScript()!, { workerData: job, stdout: false, stderr: false });
    const queue: FromWorker[] = [];
    let wake: (() => void) | null = null;
    let failure: unknown = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    thread.on("message", (message: FromWorker) => {
      queue.push(message);
      notify();
    });
    thread.on("error", (error) => {
      failure = error;
      notify();
    });
    thread.on("exit", (code) => {
      if (code !== 0) failure ??= new Error(`the analysis worker stopped (exit ${code})`);
      notify();
    });
    try {
      for (;;) {
        const message = queue.shift();
        if (!message) {
          if (failure) throw failure;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.type === "error") throw message.harError ? new HarError(message.message, message.offset) : new Error(message.message);
        onProgress?.(message.progress);
        if (message.type === "end") {
          late = message.late;
          creator = message.creator;
          return;
        }
        thread.postMessage("ack");
        yield message.rows;
      }
    } finally {
      void thread.terminate();
    }
  }
  return { batches: batches(), finish: () => late, creator: () => creator };
}

async function workerMain(job: WorkerJob["corsDoctorAnalyze"], port: NonNullable<typeof parentPort>): Promise<void> {
  let ahead = 0;
  let resume: (() => void) | null = null;
  port.on("message", () => {
    ahead--;
    const r = resume;
    resume = null;
    r?.();
  });
  let progress: AnalyzeProgress = { bytesRead: 0, totalBytes: null, entries: 0 };
  const onProgress = job.options.progress ? (p: AnalyzeProgress) => (progress = p) : undefined;
  try {
    const run = analyzeHarSource(job.path, { ...job.options, worker: false, ...(onProgress ? { onProgress } : {}) });
    for await (const rows of run.batches) {
      const out = rows.map((row): PipelineRow => {
        if (keepsExchange(row, job.options.exchanges)) return row;
        const crossing: PipelineRow = { ...row, exchange: undefined as unknown as Exchange };
        if (job.options.exchanges === "secrets" && hasDerivedText(row)) crossing.secretSources = secretSources(messagesOf(row.exchange));
        return crossing;
      });
      port.postMessage({ type: "rows", rows: out, progress } satisfies FromWorker);
      // Bounded lead: a slow stdout on the main thread must not pile rows up in memory.
      if (++ahead >= WORKER_AHEAD) await new Promise<void>((resolve) => (resume = resolve));
    }
    port.postMessage({ type: "end", late: run.finish(), creator: run.creator(), progress } satisfies FromWorker);
  } catch (error) {
    const harError = error instanceof HarError;
    port.postMessage({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
      offset: harError ? error.offset : undefined,
      harError,
    } satisfies FromWorker);
  }
  port.close();
}

if (!isMainThread && parentPort && (workerData as Partial<WorkerJob> | null)?.corsDoctorAnalyze) {
  void workerMain((workerData as WorkerJob).corsDoctorAnalyze, parentPort);
}
