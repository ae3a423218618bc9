// The report the playground really exports (`npm start` → artifacts/report.har) is valid HAR 1.2 and opens in
// both browsers'
// DevTools: Chromium's (Network panel import, chrome-devtools-import.ts) and Firefox ESR's (a HAR dropped on the
// netmonitor, firefox-devtools-import.ts). Each shows every entry with its method, URL, status and exact
// request and response headers, and lists them in its request table.
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyDist, root } from "../playground/helpers";
import { importIntoChromeDevTools, launchForDevTools } from "./chrome-devtools-import";
import { importIntoFirefoxDevTools, launchFirefoxWithChromeAccess } from "./firefox-devtools-import";
import { harProblems } from "./har-schema";

const { work, dist } = copyDist();
const artifacts = path.join(work, "artifacts");
const reports: Record<string, string> = {};
let browser: Browser | undefined;
let firefox: Browser | undefined;

/** scripts/start*.mjs headless on a private copy of the build, as `npm start` runs on a machine without a display. */
function startScript(script: string, extDir: string, out: string) {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  // The scripts bound their own run (60 s / 90 s); this outer bound only catches a hang before that.
  return spawnSync(
    process.execPath,
    [path.join(root, "scripts", script), "--no-build", "--headless", "--extension", extDir, "--artifacts", out],
    { cwd: root, encoding: "utf8", env, timeout: 120_000 },
  );
}

beforeAll(() => {
  // `npm start`'s export. (`npm run start:firefox` writes its report with the same writer, src/core/har/write.ts,
  // whose output from Firefox recordings har-schema.test.ts validates; one browser run here keeps the file's
  // cost within reason on two shared cores.)
  for (const [script, ext, file] of [["start.mjs", "chrome", "report.har"]] as const) {
    // Two shared cores: a headless run that missed its deadline under load gets one more try.
    let run = startScript(script, path.join(dist, ext), artifacts);
    if (run.status !== 0) run = startScript(script, path.join(dist, ext), artifacts);
    if (run.status !== 0) throw new Error(`${script} exited ${run.status ?? run.signal}:\n${run.stdout}\n${run.stderr}`);
    reports[file] = fs.readFileSync(path.join(artifacts, file), "utf8");
  }
}, 500_000);
afterAll(async () => {
  await browser?.close();
  await firefox?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** One comparable line per entry: what a DevTools list and its Headers tab show. */
function expected(harText: string): string[] {
  const har = JSON.parse(harText);
  return har.log.entries
    .map((e: any) => line(e.request.method, e.request.url, e.response.status, e.request.headers, e.response.headers))
    .sort();
}
function line(
  method: string,
  url: string,
  status: number,
  requestHeaders: Array<{ name: string; value: string }>,
  responseHeaders: Array<{ name: string; value: string }>,
): string {
  const h = (list: Array<{ name: string; value: string }>) => list.map((x) => `${x.name}: ${x.value}`).join(" | ");
  return `${method} ${url} → ${status}\n  > ${h(requestHeaders)}\n  < ${h(responseHeaders)}`;
}

describe.each(["report.har"])("the playground's %s", (file) => {
  it("is valid HAR 1.2 and holds the buttons' requests, preflights included", async () => {
    const har = JSON.parse(reports[file]!);
    expect(har.log.creator.name).toBe("CORS Doctor");
    expect(har.log.entries.length).toBeGreaterThanOrEqual(12);
    expect(har.log.entries.some((e: any) => e.request.method === "OPTIONS")).toBe(true);
    expect(await harProblems(har)).toEqual([]);
  });

  it("imports into Chromium's DevTools Network panel with every entry, status and header", async () => {
    browser ??= await launchForDevTools();
    const result = await importIntoChromeDevTools(browser, reports[file]!);
    expect(result.consoleErrors).toEqual([]);
    expect(result.requests.map((r) => line(r.method, r.url, r.status, r.requestHeaders, r.responseHeaders)).sort()).toEqual(
      expected(reports[file]!),
    );
    // The panel's table lists one row per entry; each row it has drawn names a request's path and, where a
    // response came, its status.
    expect([...result.listed].sort()).toEqual(result.requests.map((r) => r.url).sort());
    expect(result.rows.length).toBeGreaterThan(0);
    for (const row of result.rows) {
      const shown = result.requests.filter((r) => row.startsWith(new URL(r.url).pathname.split("/").pop()! + new URL(r.url).search));
      expect(shown.length, row).toBeGreaterThan(0);
      if (shown.every((r) => r.status > 0))
        expect(
          shown.some((r) => row.includes(` ${r.status} `)),
          row,
        ).toBe(true);
    }
  }, 120_000);

  it("imports into Firefox ESR's DevTools Network panel (a dropped HAR) with every entry, status and header", async () => {
    firefox ??= await launchFirefoxWithChromeAccess();
    const result = await importIntoFirefoxDevTools(firefox, reports[file]!);
    expect(result.requests.map((r) => line(r.method, r.url, r.status, r.requestHeaders, r.responseHeaders)).sort()).toEqual(
      expected(reports[file]!),
    );
    // The request list draws every row (it is not virtualised at this size): status, method, host and file.
    expect(result.rows).toHaveLength(result.requests.length);
    for (const r of result.requests) {
      const u = new URL(r.url);
      const file = u.pathname.split("/").pop()! + u.search;
      const row = result.rows.find((text) => text.includes(`${r.method}${u.host}${file}`));
      expect(row, `${r.method} ${r.url} in ${result.rows.join(" / ")}`).toBeDefined();
      if (r.status > 0) expect(row!.startsWith(String(r.status)), row).toBe(true);
    }
  }, 90_000);
});
