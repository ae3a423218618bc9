// The CLI's only contact with the process: commands take this, so tests can run them in-process.
import { scrubText } from "../core/redact";
import { terminalSafe } from "./style";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads standard input completely (for `analyze -`). */
  stdin: () => NodeJS.ReadableStream;
  /** Colour only on a TTY and never with NO_COLOR. */
  color: boolean;
  env: Record<string, string | undefined>;
  /** Resolves once stdout has room again: long outputs wait here instead of buffering without bound. */
  drain?: () => Promise<void>;
  /** True when stderr is a terminal: progress is shown there, and only then. */
  stderrIsTTY?: boolean;
}

/** Thrown for bad usage or unreadable input: the CLI prints the one-line message and exits 2. */
export class UsageError extends Error {}

export interface EdgeChoice {
  /** --include-secrets: the user asked to see credentials; nothing is scrubbed. */
  includeSecrets: boolean;
  /**
   * stdout carries JSON whose strings were already redacted one by one before serialisation (a regex over
   * serialised JSON could split an escape); the edge then only makes it safe to print.
   */
  jsonStdout?: boolean;
}

/**
 * The edge of every CLI output: each chunk written to stdout or stderr passes here. Text loses its secrets
 * (core/redact scrubText: URLs, `name=value`, `Name: value`, JWTs, random tokens) and everything that
 * could drive the terminal (style.ts terminalSafe). Commands wrap their io once, right after parsing, so
 * nothing they print, now or later, can bypass it.
 */
export function outputEdge(io: CliIo, choice: EdgeChoice): CliIo {
  const scrub = choice.includeSecrets ? (t: string) => t : scrubText;
  const out = choice.jsonStdout
    ? (t: string) => terminalSafe(t, { style: false, redraw: false })
    : (t: string) => terminalSafe(scrubLines(t, scrub), { style: io.color, redraw: false });
  // On a terminal, stderr may redraw a progress line (\r, clear line); elsewhere it is plain lines.
  const tty = io.stderrIsTTY === true;
  const err = (t: string) => terminalSafe(scrubLines(t, scrub), { style: tty, redraw: tty });
  return { ...io, stdout: (t) => io.stdout(out(t)), stderr: (t) => io.stderr(err(t)) };
}

/** Line by line: a `Name: value` rule must not run past the end of its line. */
function scrubLines(text: string, scrub: (t: string) => string): string {
  return text.includes("\n") ? text.split("\n").map(scrub).join("\n") : scrub(text);
}
