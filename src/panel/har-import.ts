// Import: a HAR file saved by Chrome's or Firefox's DevTools, or exported by CORS Doctor, becomes the same
// CapturedExchange[] the live capture produces, so every view works offline. Untrusted input: parsed once
// here, at the edge; any problem becomes one clear message, never an exception in a view.
// This module runs in the import worker (src/panel/import-worker.ts), never on the panel's thread: a slow or
// huge file must not freeze DevTools. It stays free of DOM and extension APIs for that reason.
import { analyzeHar } from "../core/har/analyze";
import { HarError } from "../core/har/read";
import type { BrowserName } from "../core/model";
import type { CapturedExchange, CookieSightingOfTab } from "../shared/protocol";

/** Larger files are refused before reading: a DevTools panel is no place to parse gigabytes of JSON. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export type ImportResult =
  | {
      ok: true;
      items: CapturedExchange[];
      entries: number;
      /** Cookies a CORS Doctor export says were set outside its log: kept so that exporting the import keeps them. */
      cookieSightings: CookieSightingOfTab[];
    }
  | { ok: false; error: string };

/** Where an import is: reading bytes, parsing the JSON, then diagnosing the entries it found. */
export type ImportProgress =
  | { stage: "reading"; bytes: number; totalBytes: number }
  | { stage: "parsing"; totalBytes: number }
  | { stage: "diagnosing"; entries: number | null };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function tooLarge(bytes: number): string | null {
  if (bytes <= MAX_IMPORT_BYTES) return null;
  return `This file is too large to import here (${(bytes / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB). Use "cors-doctor analyze" on the command line instead.`;
}

/** How many entries the document claims, for the progress line only (the reader validates them). */
function entryCount(value: unknown): number | null {
  const entries = (value as { log?: { entries?: unknown } } | null)?.log?.entries;
  return Array.isArray(entries) ? entries.length : null;
}

export function importHarText(text: string, browser: BrowserName, onProgress: (progress: ImportProgress) => void = () => {}): ImportResult {
  // A UTF-8 byte order mark is legal in files saved by some tools; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  onProgress({ stage: "parsing", totalBytes: body.length });
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      error: `This file is not valid JSON (${describe(error)}). Save it again from the Network panel with "Save all as HAR".`,
    };
  }
  try {
    onProgress({ stage: "diagnosing", entries: entryCount(value) });
    // Recipes are rendered when a row is opened (Detail, withFixes), as for live capture: attached to every finding
    // here they were 95 % of the result, and the result is copied from the worker to the panel.
    const analysis = analyzeHar(value, { browser, fixes: false });
    const items: CapturedExchange[] = [];
    analysis.exchanges.forEach((group, index) => {
      const diagnosis = analysis.diagnoses[index]!;
      // The panel lists what CORS applies to: same-origin requests and navigations stay out, as in live capture.
      if (diagnosis.verdict === "not-cors") return;
      // The row's first entry (a preflight whose request is not in the file has only its own).
      const entry = group.entryIndices[0] ?? group.preflightIndices[0] ?? index;
      items.push({
        id: `har-${entry}`,
        seq: entry,
        tabId: -1,
        exchange: group.exchange,
        diagnosis: { ...diagnosis, pairedWith: group.preflightIndices[0] ?? null },
        complete: true,
      });
    });
    // A row's `seq` is its entry index, so a sighting placed before entry N comes after the rows up to N − 1.
    const cookieSightings = analysis.cookieSightings.map(({ beforeEntry, ...sighting }) => ({ afterSeq: beforeEntry - 1, ...sighting }));
    return { ok: true, items: items.sort((a, b) => a.seq - b.seq), entries: analysis.entries.length, cookieSightings };
  } catch (error) {
    if (error instanceof HarError) return { ok: false, error: `This is not a HAR file the panel can read: ${error.message}.` };
    return { ok: false, error: `This HAR file could not be read: ${describe(error)}` };
  }
}

/** Reads a file as UTF-8 text in chunks, reporting the bytes read so far (the file may be hundreds of MB). */
export async function readFileText(file: Blob, onBytes: (bytes: number) => void): Promise<string> {
  const decoder = new TextDecoder("utf-8");
  const parts: string[] = [];
  let bytes = 0;
  const reader = file.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    parts.push(decoder.decode(value, { stream: true }));
    onBytes(bytes);
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/** The whole import of one file, as the worker runs it. */
export async function importHarFile(
  file: Blob,
  browser: BrowserName,
  onProgress: (progress: ImportProgress) => void = () => {},
): Promise<ImportResult> {
  const refusal = tooLarge(file.size);
  if (refusal) return { ok: false, error: refusal };
  let text: string;
  try {
    text = await readFileText(file, (bytes) => onProgress({ stage: "reading", bytes, totalBytes: file.size }));
  } catch (error) {
    return { ok: false, error: `The file could not be read: ${describe(error)}` };
  }
  return importHarText(text, browser, onProgress);
}
