// `cors-doctor`: the command-line face of the engine (contracts §3). Exit status 0 nothing blocked,
// 1 something blocked or an error finding, 2 bad usage or unreadable input (one line on stderr).
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
    color,
    env: process.env,
    drain: () => (process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once("drain", () => resolve())) : Promise.resolve()),
  };
}

if (require.main === module) {
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
