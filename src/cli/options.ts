// One table per command: node:util parseArgs reads the arguments from it and `helpText` writes --help from
// it, so a flag cannot exist without its help line, nor the help mention a flag that does not exist.
// Bad usage becomes a UsageError with one line (CONTRACTS §3: exit 2).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io";

export interface OptionSpec {
  /** The long name, without "--". */
  name: string;
  short?: string;
  /** A flag that takes no value, or one that takes a value (shown as `placeholder` in the help). */
  type: "boolean" | "string";
  placeholder?: string;
  /** May be given more than once (values kept in order). */
  multiple?: boolean;
  /** The allowed values; anything else is bad usage. */
  choices?: readonly string[];
  /** One line, or several joined by "\n" (continuation lines are indented under the first). */
  help: string;
}

export interface CommandSpec {
  /** "cors-doctor analyze": the prefix of every error message is its last word. */
  command: string;
  /** The synopsis after "Usage: ". */
  synopsis: string;
  /** What the command does, before the options. */
  description?: string;
  options: readonly OptionSpec[];
  /** After the options (exit status, notes). */
  footer?: string;
}

export interface ParsedCommand {
  /** Values by long name: boolean flags true/absent, strings the last value, multiples every value in order. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

const flag = (o: OptionSpec) => `--${o.name}${o.type === "string" ? ` ${o.placeholder ?? "<value>"}` : ""}`;

export function helpText(spec: CommandSpec): string {
  const rows = spec.options.map((o) => [`${o.short ? `-${o.short}, ` : ""}${flag(o)}`, o.help] as const);
  const width = Math.min(28, Math.max(...rows.map(([left]) => left.length)) + 2);
  const lines = [`Usage: ${spec.synopsis}`];
  if (spec.description) lines.push("", spec.description);
  lines.push("", "Options:");
  for (const [left, help] of rows) {
    const [first = "", ...rest] = help.split("\n");
    if (left.length + 2 > width) lines.push(`  ${left}`, `  ${" ".repeat(width)}${first}`);
    else lines.push(`  ${left.padEnd(width)}${first}`);
    for (const more of rest) lines.push(`  ${" ".repeat(width)}${more}`);
  }
  if (spec.footer) lines.push("", spec.footer);
  return lines.join("\n");
}

/** node:util's messages are several sentences; ours are one line that names the flag. */
function usageLine(err: Error & { code?: string }, spec: CommandSpec, prefix: string): string {
  const quoted = /'(-[^' ]+)/.exec(err.message)?.[1] ?? "";
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `${prefix}unknown option ${quoted} (see ${spec.command} --help)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const option = spec.options.find((o) => quoted === `--${o.name}` || quoted === `-${o.short}`);
      if (option?.type === "boolean") return `${prefix}${quoted} takes no value`;
      if (/ambiguous/.test(err.message)) return `${prefix}${quoted} needs a value (for a value starting with "-", write ${quoted}=VALUE)`;
      return `${prefix}${quoted} needs a value`;
    }
    default:
      return `${prefix}${err.message.split("\n")[0]}`;
  }
}

/**
 * Parses `args` by the table. `--help`/`-h` wins over everything else (returns "help") so that a user
 * halfway through a command line can still ask. A single-valued option given twice is bad usage: the
 * second value would silently win otherwise.
 */
export function parseCommand(spec: CommandSpec, args: readonly string[]): ParsedCommand | "help" {
  // "analyze: …", "probe: …"; the top level's own errors need no prefix (main adds "cors-doctor: ").
  const prefix = spec.command.includes(" ") ? `${spec.command.split(" ").pop()!}: ` : "";
  const options: NonNullable<ParseArgsConfig["options"]> = {};
  for (const o of spec.options)
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    // Asking for help is never bad usage, whatever else is on the line.
    if (args.includes("--help") || args.includes("-h")) return "help";
    throw new UsageError(usageLine(err as Error & { code?: string }, spec, prefix));
  }
  if (parsed.values.help) return "help";
  const seen = new Map<string, number>();
  for (const token of parsed.tokens ?? []) if (token.kind === "option") seen.set(token.name, (seen.get(token.name) ?? 0) + 1);
  for (const o of spec.options) {
    const count = seen.get(o.name) ?? 0;
    if (!o.multiple && o.type === "string" && count > 1) throw new UsageError(`${prefix}--${o.name} given ${count} times`);
    const value = parsed.values[o.name];
    if (o.choices && typeof value === "string" && !o.choices.includes(value)) {
      throw new UsageError(
        `${prefix}--${o.name} takes ${o.choices.length === 2 ? o.choices.join(" or ") : `one of ${o.choices.join(", ")}`}, not ${JSON.stringify(value)}`,
      );
    }
  }
  return { values: parsed.values as ParsedCommand["values"], positionals: parsed.positionals };
}
