// The panel's side of an import: starts import-worker.js from the extension's own origin, relays its progress,
// and cancels by terminating it. Whatever the worker does with a hostile file (loops, huge allocations), the
// panel's thread only ever waits for messages, and Cancel ends the work at once.
import type { CapturedExchange } from "../shared/protocol";
import type { BrowserName } from "../core/model";
import { tooLarge, type ImportProgress, type ImportResult } from "./har-import";

export interface ImportRequest {
  file: Blob;
  browser: BrowserName;
}

/** A successful import arrives as its rows in slices ("items"), then "done" with the rest of the result. */
export type WorkerToPanel =
  | { type: "progress"; progress: ImportProgress }
  | { type: "items"; items: CapturedExchange[] }
  | { type: "done"; result: ImportResult };

export type ImportOutcome = ImportResult | { ok: false; cancelled: true };

export interface RunningImport {
  readonly result: Promise<ImportOutcome>;
  cancel(): void;
}

/** A performance mark the panel sets when an import's rows arrived (the bench's start of the first render). */
export const IMPORT_READY_MARK = "cors-doctor:import-ready";

/** Relative to the page: panel.html and the worker both sit at the root of the extension. */
export const IMPORT_WORKER_URL = "import-worker.js";

export function startImport(
  file: Blob,
  browser: BrowserName,
  onProgress: (progress: ImportProgress) => void,
  createWorker: () => Worker = () => new Worker(IMPORT_WORKER_URL),
): RunningImport {
  const refusal = tooLarge(file.size);
  if (refusal) return { result: Promise.resolve({ ok: false, error: refusal }), cancel() {} };
  let settle: (outcome: ImportOutcome) => void = () => {};
  const result = new Promise<ImportOutcome>((resolve) => (settle = resolve));
  let worker: Worker | null = null;
  const finish = (outcome: ImportOutcome) => {
    worker?.terminate();
    worker = null;
    settle(outcome);
  };
  try {
    worker = createWorker();
  } catch (error) {
    finish({ ok: false, error: `The import could not start: ${error instanceof Error ? error.message : String(error)}` });
    return { result, cancel() {} };
  }
  const received: CapturedExchange[] = [];
  worker.onmessage = (event: MessageEvent<WorkerToPanel>) => {
    const message = event.data;
    if (message?.type === "progress") onProgress(message.progress);
    else if (message?.type === "items") for (const item of message.items) received.push(item);
    else if (message?.type === "done") finish(message.result.ok ? { ...message.result, items: received } : message.result);
  };
  // An uncaught error or a crash of the worker (e.g. out of memory) ends the import with a message.
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    finish({ ok: false, error: `The import failed: ${event.message || "the import worker stopped"}` });
  };
  worker.onmessageerror = () => finish({ ok: false, error: "The import failed: its result could not be received." });
  worker.postMessage({ file, browser } satisfies ImportRequest);
  return { result, cancel: () => finish({ ok: false, cancelled: true }) };
}
