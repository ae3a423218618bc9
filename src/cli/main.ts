// `cors-doctor`: the command-line face of the engine (contracts §3). Exit status 0 nothing blocked,
// 1 something blocked or an error finding, 2 bad usage or unreadable input (one line on stderr).
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { ANALYZE_SPEC, parseAnalyzeArgs } from "./analyze-output";
import { runAnalyze } from "./analyze";
import { outputEdge, UsageError, type CliIo } from "./io";
import { helpText, parseCommand, type CommandSpec } from "./options";
import { runProbe } from "./probe/command";
import { PROBE_SPEC } from "./probe/options";

/** The commands, each with the table its own --help is written from. */
const COMMANDS: Record<string, { spec: CommandSpec; run: (args: string[], io: CliIo) => Promise<number> }> = {
  analyze: { spec: ANALYZE_SPEC, run: runAnalyze },
  probe: { spec: PROBE_SPEC, run: runProbe },
};

export const TOP_SPEC: CommandSpec = {
  command: "cors-doctor",
  synopsis: `cors-doctor <command> [options]

  ${Object.values(COMMANDS)
    .map((c) => c.spec.synopsis)
    .join("\n  ")}`,
  description: `cors-doctor ${__VERSION__} — why the browser blocked a cross-origin request, and how to fix the server.`,
  options: [
    { name: "help", short: "h", type: "boolean", help: 'this text; "cors-doctor <command> --help" for a command\'s options' },
    { name: "version", short: "v", type: "boolean", help: "the version" },
  ],
  footer: "Exit status: 0 nothing blocked, 1 something blocked or an error finding, 2 bad usage or unreadable input.",
};

export const USAGE = helpText(TOP_SPEC);

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command !== undefined && Object.hasOwn(COMMANDS, command)) return await COMMANDS[command]!.run(rest, io);
    if (command === "help") {
      const about = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]]!.spec : TOP_SPEC;
      io.stdout(`${helpText(about)}\n`);
      return 0;
    }
    if (command === undefined) {
      io.stderr(`${USAGE}\n`);
      return 2;
    }
    if (!command.startsWith("-")) throw new UsageError(`unknown command ${JSON.stringify(command)} (try cors-doctor --help)`);
    const parsed = parseCommand(TOP_SPEC, argv);
    if (parsed === "help") {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    if (parsed.values.version) {
      io.stdout(`${__VERSION__}\n`);
      return 0;
    }
    throw new UsageError(`unexpected ${JSON.stringify(parsed.positionals[0] ?? command)} (try cors-doctor --help)`);
  } catch (err) {
    // Error lines quote arguments and URLs: they leave through the same edge as everything else.
    const edge = outputEdge(io, { includeSecrets: argv.includes("--include-secrets") });
    if (err instanceof UsageError) {
      edge.stderr(`cors-doctor: ${err.message.replace(/\n/g, " ")}\n`);
      return 2;
    }
    edge.stderr(`cors-doctor: internal error: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
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
    stderrIsTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    drain: () =>
      process.stdout.writableNeedDrain ? new Promise<void>((resolve) => process.stdout.once("drain", () => resolve())) : Promise.resolve(),
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
  let file: string;
  try {
    const parsed = parseAnalyzeArgs(argv.slice(1));
    if (parsed === "help" || parsed.source === "-") return null;
    file = parsed.source;
  } catch {
    return null; // analyze reports the bad usage itself
  }
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
      outputEdge(processIo(), { includeSecrets: false }).stderr(`cors-doctor: internal error: ${String(err).split("\n")[0]}\n`);
      process.exitCode = 2;
    },
  );
}
