// Issue 12: every command's options come from one table that node:util parseArgs reads and --help is written
// from; bad usage is one line and exit 2 (CONTRACTS §3).
import { describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { ANALYZE_SPEC, parseAnalyzeArgs } from "../../src/cli/analyze-output";
import type { CliIo } from "../../src/cli/io";
import { main, TOP_SPEC } from "../../src/cli/main";
import { helpText, parseCommand } from "../../src/cli/options";
import { PROBE_SPEC } from "../../src/cli/probe/options";

async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: () => new PassThrough(),
    color: false,
    env: {},
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe("one table per command writes its --help", () => {
  it.each([
    ["cors-doctor", TOP_SPEC],
    ["analyze", ANALYZE_SPEC],
    ["probe", PROBE_SPEC],
  ] as const)("%s: every option is in the help, with its value", async (_name, spec) => {
    const help = helpText(spec);
    for (const o of spec.options) expect(help).toContain(`--${o.name}${o.type === "string" ? ` ${o.placeholder}` : ""}`);
  });
  it("cors-doctor <command> --help prints that table's help", async () => {
    expect((await run(["analyze", "--help"])).stdout).toBe(`${helpText(ANALYZE_SPEC)}\n`);
    expect((await run(["probe", "-h"])).stdout).toBe(`${helpText(PROBE_SPEC)}\n`);
    expect((await run(["help", "probe"])).stdout).toBe(`${helpText(PROBE_SPEC)}\n`);
    expect((await run(["--help"])).stdout).toContain("cors-doctor analyze <file.har | ->");
  });
  it("the probe help says that headers follow redirects and how not to", () => {
    expect(helpText(PROBE_SPEC)).toMatch(/forwards your --header values to the next URL,\s+even on another host/);
    expect(helpText(PROBE_SPEC)).toContain("--no-forward-headers");
  });
});

describe("parsing", () => {
  it("every existing analyze flag, both spellings of values, and --quiet", () => {
    expect(
      parseAnalyzeArgs(["x.har", "--json", "--fixes", "--stack=nginx", "--browser", "firefox", "--include-secrets", "--quiet"]),
    ).toEqual({
      source: "x.har",
      json: true,
      fixes: true,
      stack: "nginx",
      browser: "firefox",
      browserGiven: true,
      includeSecrets: true,
      quiet: true,
    });
    expect(parseAnalyzeArgs(["-"])).toMatchObject({ source: "-", json: false, browser: "chrome", browserGiven: false, quiet: false });
    expect(parseAnalyzeArgs(["x.har", "--browser=chrome"])).toMatchObject({ browser: "chrome", browserGiven: true });
    expect(parseAnalyzeArgs(["x.har", "--frob", "--help"])).toBe("help");
  });
  it.each([
    [["analyze", "x.har", "--json=1"], /^cors-doctor: analyze: --json takes no value\n$/],
    [["analyze", "x.har", "--browser", "firefox", "--browser", "chrome"], /--browser given 2 times/],
    [["analyze", "x.har", "--stack"], /--stack needs a value/],
    [["probe", "http://127.0.0.1/", "--origin", "--json"], /--origin needs a value/],
    [["probe", "http://127.0.0.1/", "--origin", "https://a.test", "--timeout", "1", "--timeout", "2"], /--timeout given 2 times/],
    [["--frob"], /^cors-doctor: unknown option --frob/],
    [["frob"], /unknown command "frob"/],
  ])("%j → exit 2, one line", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stdout).toBe("");
  });
  it("a usage error quoting a secret argument is redacted", async () => {
    const r = await run(["probe", "notaurl?access_token=abcdef123456", "--origin", "https://a.test"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("abcdef123456");
  });
  it("parseCommand keeps repeated --header values in order", () => {
    const parsed = parseCommand(PROBE_SPEC, ["u", "--header", "A: 1", "--header=B: 2"]);
    expect(parsed !== "help" && parsed.values.header).toEqual(["A: 1", "B: 2"]);
  });
});
