// Import: a HAR file saved by Chrome's or Firefox's DevTools, or exported by CORS Doctor, becomes the same
// CapturedExchange[] the live capture produces, so every view works offline. Untrusted input: parsed once
// here, at the edge; any problem becomes one clear message, never an exception in a view.
import { analyzeHar } from "../core/har/analyze";
import { HarError } from "../core/har/read";
import type { BrowserName } from "../core/model";
import type { CapturedExchange } from "../shared/protocol";

/** Larger files are refused before reading: a DevTools panel is no place to parse gigabytes of JSON. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export type ImportResult =
  | { ok: true; items: CapturedExchange[]; entries: number }
  | { ok: false; error: string };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function importHarText(text: string, browser: BrowserName): ImportResult {
  // A UTF-8 byte order mark is legal in files saved by some tools; JSON.parse rejects it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `This file is not valid JSON (${describe(error)}). Save it again from the Network panel with "Save all as HAR".` };
  }
  try {
    const analysis = analyzeHar(value, { browser });
    const items: CapturedExchange[] = [];
    analysis.exchanges.forEach((group, index) => {
      const diagnosis = analysis.diagnoses[index]!;
      // The panel lists what CORS applies to: same-origin requests and navigations stay out, as in live capture.
      if (diagnosis.verdict === "not-cors") return;
      items.push({
        id: `har-${group.entryIndices[0] ?? index}`,
        seq: group.entryIndices[0] ?? index,
        tabId: -1,
        exchange: group.exchange,
        diagnosis: { ...diagnosis, pairedWith: group.preflightIndices[0] ?? null },
        complete: true,
      });
    });
    return { ok: true, items: items.sort((a, b) => a.seq - b.seq), entries: analysis.entries.length };
  } catch (error) {
    if (error instanceof HarError) return { ok: false, error: `This is not a HAR file the panel can read: ${error.message}.` };
    return { ok: false, error: `This HAR file could not be read: ${describe(error)}` };
  }
}

export async function importHarFile(file: File, browser: BrowserName): Promise<ImportResult> {
  if (file.size > MAX_IMPORT_BYTES) {
    return { ok: false, error: `This file is too large to import here (${(file.size / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_IMPORT_BYTES / 1024 / 1024} MB). Use "cors-doctor analyze" on the command line instead.` };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    return { ok: false, error: `The file could not be read: ${describe(error)}` };
  }
  return importHarText(text, browser);
}
