// `npm start` as a user without a display runs it: a child process, headless, end to end (playground,
// Chromium with the extension, "Run all", the report through the automation hook), exit 0 and the table.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../playground/public/scenarios.mjs";

const root = resolve(import.meta.dirname, "../..");

function runStart(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const env = { ...process.env };
  delete env.DISPLAY; // force the headless path, as on a server or in CI
  delete env.WAYLAND_DISPLAY;
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, "scripts/start.mjs"), ...args], { cwd: root, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 55_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe("npm start (headless)", () => {
  it("runs every playground button, prints the diagnoses and writes the report and a panel screenshot", async () => {
    const since = Date.now();
    // --no-build: `npm test` has just built (pretest), and rebuilding here would empty dist/ under the other
    // test files that load it at the same time. Everything after the build is what `npm start` does.
    const run = await runStart(["--no-build"]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(run.ms).toBeLessThan(45_000);

    // The table: a header and one row per button (echo-any-origin twice: page and second origin).
    expect(run.stdout).toMatch(/button\s+method\s+URL\s+verdict\s+finding\s+Chrome CorsError\s+page saw/);
    for (const s of scenarios) expect(run.stdout, s.id).toMatch(new RegExp(`^${s.id}\\s+${s.request.method}\\s`, "m"));
    expect(run.stdout).toMatch(
      /^no-allow-origin\s+GET\s+\S+\s+blocked\s+acao-missing\s+MissingAllowOriginHeader\s+TypeError: Failed to fetch/m,
    );
    expect(run.stdout).toMatch(/^simple-get\s+GET\s+\S+\s+allowed\s+—/m);
    // Failures that look like CORS and are not: never a CORS diagnosis, and a cancel is no block at all.
    expect(run.stdout).toMatch(/^server-down\s+GET\s+\S+\s+blocked\s+not-cors-network-refused\s+—\s+TypeError: Failed to fetch/m);
    expect(run.stdout).toMatch(/^page-csp\s+GET\s+\[::1\]\S+\s+blocked\s+not-cors-csp-connect-src\s/m);
    // The cookie Chrome kept home: the browser's CORS error stays the block, the finding names the cause.
    expect(run.stdout).toMatch(
      /^cookie-samesite-default\s+GET\s+\S+\s+blocked\s+acao-missing \+ cookie-not-sent-samesite\s+MissingAllowOriginHeader\s/m,
    );
    expect(run.stdout).toMatch(/^cancelled-by-page\s+GET\s+\S+\s+not-cors\s+not-cors-cancelled\s+—\s+AbortError/m);
    expect(run.stdout).toContain("OK: every button captured and diagnosed as expected");

    // The exported report: HAR 1.2 by CORS Doctor, a `_cors` on every entry, redacted by default.
    const harPath = join(root, "artifacts/report.har");
    expect(statSync(harPath).mtimeMs).toBeGreaterThanOrEqual(since - 1000);
    const har = JSON.parse(readFileSync(harPath, "utf8"));
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBe("CORS Doctor");
    expect(har.log.entries.length).toBeGreaterThanOrEqual(scenarios.length + 1);
    for (const entry of har.log.entries) {
      expect(entry._cors, entry.request.url).toBeTypeOf("object");
      expect(["allowed", "blocked", "not-cors"]).toContain(entry._cors.verdict);
      expect(entry.startedDateTime).toBeTypeOf("string");
      expect(entry.request.method).toBeTypeOf("string");
      expect(entry.response).toBeTypeOf("object");
      expect(entry.timings).toBeTypeOf("object");
    }
    expect(har.log.entries.some((e: { _resourceType?: string }) => e._resourceType === "preflight")).toBe(true);
    const auth = har.log.entries.find(
      (e: { request: { url: string; headers: { name: string; value: string }[] } }) =>
        e.request.url.includes("button=preflight-behind-auth") && e.request.headers.some((h) => h.name.toLowerCase() === "authorization"),
    );
    if (auth) expect(auth.request.headers.find((h: { name: string }) => h.name.toLowerCase() === "authorization").value).toBe("[redacted]");
    expect(JSON.stringify(har)).not.toContain("playground-demo-token");

    // The screenshot of the panel tab: a PNG.
    const png = readFileSync(join(root, "artifacts/panel.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(existsSync(join(root, "artifacts/panel.png"))).toBe(true);
  }, 60_000);

  it("exits 1 with the reason when the extension captures nothing", async () => {
    // The real build with a background that registers no webRequest listener.
    const dir = mkdtempSync(join(tmpdir(), "cors-doctor-deaf-"));
    try {
      cpSync(join(root, "dist/chrome"), join(dir, "ext"), { recursive: true });
      writeFileSync(join(dir, "ext/background.js"), "chrome.runtime.onMessage.addListener(() => {});\n");
      const run = await runStart(["--no-build", "--extension", join(dir, "ext"), "--artifacts", join(dir, "artifacts")]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("waiting for the extension to capture a warm-up request");
      expect(run.stdout).not.toContain("OK:");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
