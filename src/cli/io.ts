// The CLI's only contact with the process: commands take this, so tests can run them in-process.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads standard input completely (for `analyze -`). */
  stdin: () => NodeJS.ReadableStream;
  /** stderr is a terminal: long commands may show a progress line there. */
  stderrIsTTY?: boolean;
  /** Colour only on a TTY and never with NO_COLOR. */
  color: boolean;
  env: Record<string, string | undefined>;
  /** Resolves once stdout has room again: long outputs wait here instead of buffering without bound. */
  drain?: () => Promise<void>;
}

/** Thrown for bad usage or unreadable input: the CLI prints the one-line message and exits 2. */
export class UsageError extends Error {}
