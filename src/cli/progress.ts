// One status line on stderr while a long `analyze` runs: bytes read of the total, entries diagnosed,
// time left. Only on a terminal (the caller decides: stderr is a TTY and no --quiet); redrawn in place
// at most a few times a second, and erased at the end so the report starts on a clean line.
import type { AnalyzeProgress } from "./analyze-pipeline";

const REDRAW_MS = 200;
/** Below this the work is over before a line would help. */
const SHOW_AFTER_MS = 300;

function mib(bytes: number): string {
  if (bytes >= 1 << 30) return `${(bytes / (1 << 30)).toFixed(2)} GiB`;
  return `${(bytes / (1 << 20)).toFixed(bytes < 10 << 20 ? 1 : 0)} MiB`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

/** What the line says (pure: tested without a terminal). */
export function progressLine(p: AnalyzeProgress, elapsedMs: number): string {
  const parts: string[] = [];
  if (p.totalBytes && p.totalBytes > 0) {
    const share = Math.min(1, p.bytesRead / p.totalBytes);
    parts.push(`read ${mib(p.bytesRead)} of ${mib(p.totalBytes)} (${Math.floor(share * 100)} %)`);
  } else parts.push(`read ${mib(p.bytesRead)}`);
  parts.push(`${p.entries.toLocaleString("en-US")} entries diagnosed`);
  if (p.totalBytes && p.bytesRead > 0 && elapsedMs >= 1000) {
    const left = (elapsedMs / p.bytesRead) * Math.max(0, p.totalBytes - p.bytesRead);
    parts.push(`about ${duration(left)} left`);
  }
  return `cors-doctor: ${parts.join(" · ")}`;
}

export interface ProgressLine {
  update(progress: AnalyzeProgress): void;
  /** Erases the line (call before anything else is written to stderr, and at the end). */
  clear(): void;
}

export function progressOnTerminal(write: (text: string) => void, now: () => number = () => performance.now()): ProgressLine {
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(progress) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - last < REDRAW_MS) return;
      last = t;
      shown = true;
      // \r and "erase to end of line": the line is redrawn in place, never scrolls.
      write(`\r${progressLine(progress, t - started)}\x1b[K`);
    },
    clear() {
      if (shown) write("\r\x1b[K");
      shown = false;
    },
  };
}
