// The running import: which file, what the worker is doing (bytes read, parsing, entries diagnosed), and Cancel.
// The worker does the work; this view only shows its latest progress message.
import type { ImportProgress as Progress } from "../har-import";
import { SafeText } from "./SafeText";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function progressText(progress: Progress | null): string {
  if (!progress) return "starting…";
  switch (progress.stage) {
    case "reading":
      return `reading ${mb(progress.bytes)} of ${mb(progress.totalBytes)}`;
    case "parsing":
      return `parsing ${mb(progress.totalBytes)} of JSON…`;
    case "diagnosing":
      return progress.entries === null
        ? "diagnosing…"
        : `diagnosing ${progress.entries.toLocaleString("en-US")} entr${progress.entries === 1 ? "y" : "ies"}…`;
  }
}

export function ImportProgress({ fileName, progress, onCancel }: { fileName: string; progress: Progress | null; onCancel: () => void }) {
  const reading = progress?.stage === "reading";
  return (
    <div class="banner progress" role="status" aria-live="polite" data-import-progress={progress?.stage ?? "starting"}>
      <span>
        Importing{" "}
        <b>
          <SafeText value={fileName} limit={200} />
        </b>
        : <span data-progress-text>{progressText(progress)}</span>
      </span>
      {/* Without value a <progress> is indeterminate: parsing and diagnosing have no byte count to show. */}
      {reading ? <progress max={progress.totalBytes || 1} value={progress.bytes} /> : <progress />}
      <button type="button" class="link-button" onClick={onCancel} data-import-cancel>
        Cancel
      </button>
    </div>
  );
}
