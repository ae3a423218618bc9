// The import worker (dist/<browser>/import-worker.js): reads, parses and diagnoses an imported HAR file off the
// panel's thread, so DevTools stays responsive whatever the file holds, and Cancel can always stop it (the
// panel terminates the worker). Started from the extension's own origin by src/panel/import-client.ts; it
// needs no extension API and no network (the pages' CSP has connect-src 'none').
import { importHarFile, type ImportProgress } from "./har-import";
import type { ImportRequest, WorkerToPanel } from "./import-client";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: WorkerToPanel) => scope.postMessage(message);

/** Rows per message: each costs the panel's thread a few tens of milliseconds to decode. */
const ITEMS_PER_MESSAGE = 500;

/** Progress at most every 50 ms: a 200 MB file is read in ~3 000 chunks, each worth no message of its own. */
const PROGRESS_INTERVAL_MS = 50;

scope.onmessage = async (event: MessageEvent<ImportRequest>) => {
  const { file, browser } = event.data;
  let last = 0;
  const onProgress = (progress: ImportProgress) => {
    const now = performance.now();
    if (progress.stage === "reading" && progress.bytes < progress.totalBytes && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    post({ type: "progress", progress });
  };
  try {
    const result = await importHarFile(file, browser, onProgress);
    if (result.ok) {
      // In slices: the panel's thread decodes each message at once, and 10,000 rows in one took it 0.7 s.
      for (let i = 0; i < result.items.length; i += ITEMS_PER_MESSAGE)
        post({ type: "items", items: result.items.slice(i, i + ITEMS_PER_MESSAGE) });
      post({ type: "done", result: { ...result, items: [] } });
    } else post({ type: "done", result });
  } catch (error) {
    // importHarFile turns every input problem into a result; this is for the unforeseen (e.g. out of memory).
    post({ type: "done", result: { ok: false, error: `The import failed: ${error instanceof Error ? error.message : String(error)}` } });
  }
};
