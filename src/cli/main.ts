// `cors-doctor`: the command-line face of the engine (contracts §3). Exit status 0 nothing blocked,
// 1 something blocked or an error finding, 2 bad usage or unreadable input (one line on stderr).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { runAnalyze } from "./analyze";
import { UsageError, type CliIo } from "./io";
import { runProbe } from "./probe/command";

export const USAGE = `cors-doctor ${__VERSION__} — why the browser blocked a cross-origin request, and how to fix the server

Usage:
  cors-doctor analyze <file.har | -> [--json] [--browser chrome|firefox]
  cors-doctor probe <url> --origin <origin> [--method M] [--header "Name: value"]... [--credentials] [--audit] [--json]
  cors-doctor --help | --version

Run "cors-doctor <command> --help" for a command's options.`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "analyze":
        return await runAnalyze(rest, io);
      case "probe":
        return await runProbe(rest, io);
      case "--version":
      case "-v":
        io.stdout(`${__VERSION__}\n`);
        return 0;
      case "--help":
      case "-h":
      case "help":
        io.stdout(`${USAGE}\n`);
        return 0;
      case undefined:
        io.stderr(`${USAGE}\n`);
        return 2;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)} (try cors-doctor --help)`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`cors-doctor: ${err.message.replace(/\n/g, " ")}\n`);
      return 2;
    }
    io.stderr(`cors-doctor: internal error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
    return 2;
  }
}

function processIo(): CliIo {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: () => process.stdin,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    color,
    env: process.env,
    drain: () => (process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once("drain", () => resolve())) : Promise.resolve()),
  };
}

/**
 * V8 lets a process's heap grow with garbage long before it collects: reading a 1 GB HAR, the live data
 * stays small but the process reached 400 MB. For big files `analyze` therefore runs itself again with a
 * heap cap (the streaming reader never needs more). The cap is a command-line flag: V8 ignores it later.
 */
const HEAP_CAP_MB = 256;
const HEAP_CAP_FROM_BYTES = 200 * 2 ** 20;

function rerunWithHeapCap(argv: string[]): number | null {
  if (argv[0] !== "analyze" || process.env.CORS_DOCTOR_HEAP_CAPPED) return null;
  if (process.execArgv.some((a) => a.startsWith("--max-old-space-size"))) return null;
  const file = argv.slice(1).find((a) => !a.startsWith("-"));
  if (!file) return null;
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    return null; // analyze reports the unreadable file itself
  }
  if (size < HEAP_CAP_FROM_BYTES) return null;
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_CAP_MB}`, __filename, ...argv], {
    stdio: "inherit",
    env: { ...process.env, CORS_DOCTOR_HEAP_CAPPED: "1" },
  });
  return child.status ?? 2;
}

// A worker thread of `analyze` loads this same file: it must not run the command again.
if (require.main === module && isMainThread) {
  const rerun = rerunWithHeapCap(process.argv.slice(2));
  if (rerun !== null) process.exit(rerun);
  // `cors-doctor analyze big.har | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`cors-doctor: internal error: ${String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
