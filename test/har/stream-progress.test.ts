// The progress line of `analyze` on a real pseudo-terminal (util-linux `script` gives the CLI a TTY as
// its stderr), and its absence where nobody watches: stderr a pipe, or --quiet. Runs the built CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { progressLine, progressOnTerminal } from "../../src/cli/progress";
import { generateHar } from "./generate";

const CLI = resolve("dist/cli/cors-doctor.cjs");
const dir = mkdtempSync(join(tmpdir(), "har-progress-"));
const har = join(dir, "big.har");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  // Big enough to run well past the line's first draw (0.3 s) on a fast machine.
  await generateHar(har, 48 << 20);
}, 120_000);

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** Runs the CLI with stderr on a pseudo-terminal and stdout to a file; returns what the terminal showed. */
function onTerminal(args: string[]): { terminal: string; stdout: string; status: number | null; ms: number } {
  const out = join(dir, "stdout.json");
  const command = `${quote(process.execPath)} ${quote(CLI)} ${args.map(quote).join(" ")} > ${quote(out)}`;
  const t0 = performance.now();
  const r = spawnSync("script", ["-qfec", command, "/dev/null"], {
    encoding: "utf8",
    timeout: 240_000,
    env: { ...process.env, TERM: "xterm" },
  });
  return { terminal: r.stdout, stdout: readFileSync(out, "utf8"), status: r.status, ms: performance.now() - t0 };
}

describe("analyze progress on a terminal", () => {
  it("shows bytes read of the total, entries diagnosed and time left on stderr, then erases itself; --json is unaffected", () => {
    const { terminal, stdout, status, ms } = onTerminal(["analyze", "--json", har]);
    expect([0, 1]).toContain(status);
    expect(terminal).toMatch(/\rcors-doctor: read \d+(\.\d)? MiB of 48 MiB \(\d+ %\) · [\d,]+ entries diagnosed/);
    // The estimate needs a second of history: a run that long must show it.
    if (ms > 2500) expect(terminal).toMatch(/about \d+ (s|min \d\d s) left/);
    expect(terminal.endsWith("\r\x1b[K")).toBe(true);
    const report = JSON.parse(stdout) as { entries: unknown[]; summary: { entries: number } };
    expect(report.entries).toHaveLength(report.summary.entries);
  }, 240_000);

  it("prints nothing with --quiet", () => {
    const { terminal, stdout } = onTerminal(["analyze", "--json", "--quiet", har]);
    expect(terminal).toBe("");
    expect(JSON.parse(stdout).summary.entries).toBeGreaterThan(0);
  }, 240_000);

  it("prints nothing when stderr is not a terminal (a pipe)", () => {
    const r = spawnSync(process.execPath, [CLI, "analyze", "--json", har], { encoding: "utf8", timeout: 240_000, maxBuffer: 1 << 30 });
    expect([0, 1]).toContain(r.status);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout).summary.entries).toBeGreaterThan(0);
  }, 240_000);
});

describe("progressLine", () => {
  const rows: Array<[string, Parameters<typeof progressLine>[0], number, string]> = [
    [
      "a file, just started",
      { bytesRead: 1 << 20, totalBytes: 100 << 20, entries: 300 },
      200,
      "cors-doctor: read 1.0 MiB of 100 MiB (1 %) · 300 entries diagnosed",
    ],
    [
      "a file, half way after 10 s",
      { bytesRead: 512 << 20, totalBytes: 1 << 30, entries: 150_000 },
      10_000,
      "cors-doctor: read 512 MiB of 1.00 GiB (50 %) · 150,000 entries diagnosed · about 10 s left",
    ],
    [
      "a file, minutes left",
      { bytesRead: 100 << 20, totalBytes: 1 << 30, entries: 1 },
      20_000,
      "cors-doctor: read 100 MiB of 1.00 GiB (9 %) · 1 entries diagnosed · about 3 min 05 s left",
    ],
    [
      "standard input (no total)",
      { bytesRead: 3 << 20, totalBytes: null, entries: 7 },
      5000,
      "cors-doctor: read 3.0 MiB · 7 entries diagnosed",
    ],
  ];
  it.each(rows)("%s", (_name, progress, elapsed, line) => {
    expect(progressLine(progress, elapsed)).toBe(line);
  });

  it("redraws at most every 200 ms, not before 300 ms, and clears only what it drew", () => {
    let t = 0;
    const written: string[] = [];
    const line = progressOnTerminal(
      (s) => written.push(s),
      () => t,
    );
    const p = { bytesRead: 1, totalBytes: 10, entries: 1 };
    line.update(p);
    t = 100;
    line.update(p);
    line.clear();
    expect(written).toEqual([]);
    t = 400;
    line.update(p);
    t = 500;
    line.update(p);
    t = 650;
    line.update(p);
    line.clear();
    expect(written.length).toBe(3);
    expect(written[2]).toBe("\r\x1b[K");
  });
});

it("script(1) is there (util-linux)", () => {
  expect(execFileSync("script", ["--version"], { encoding: "utf8" })).toMatch(/util-linux/);
});
