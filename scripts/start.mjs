#!/usr/bin/env node
// `npm start`: build, start the playground, open the system Chromium with CORS Doctor loaded.
// - With a display ($DISPLAY or $WAYLAND_DISPLAY): a normal window with DevTools open; select the CORS
//   panel and press the playground's buttons. Runs until the window is closed or Ctrl-C.
// - Without one (servers, CI): headless; presses "Run all", reads the report through the automation hook
//   (contracts §6), prints the diagnoses, writes artifacts/report.har and artifacts/panel.png, and exits 0,
//   or 1 when the extension missed a request or diagnosed a button differently from what it demonstrates.
// Flags: --headless / --headed (override the display detection), --no-build, --port P (playground page port),
// --extension DIR (load that unpacked build instead of dist/chrome), --artifacts DIR.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startPlayground } from "../playground/server.mjs";
import { checkReport, formatTable } from "../playground/report-check.mjs";
import { fetchInPage, pageResults, waitFor, waitForPageObserver } from "../playground/drive.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM, extensionArgs } from "./lib/chromium.mjs";
import { ensureSystem } from "./ensure-system.mjs";
/** The whole headless run must finish within this, whatever hangs. */
const HEADLESS_DEADLINE_MS = 60_000;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const valueOf = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
/** --extension DIR: load another unpacked build (e.g. an unzipped store package) instead of the fresh one. */
const EXT = valueOf("--extension") ? resolve(valueOf("--extension")) : join(root, "dist/chrome");
/** --artifacts DIR: where report.har and panel.png go (default artifacts/). */
const ARTIFACTS = resolve(valueOf("--artifacts") ?? join(root, "artifacts"));
const portArg = valueOf("--port") ? Number(valueOf("--port")) : undefined;
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const headless = flag("--headless") || (!flag("--headed") && !hasDisplay);

function fail(message) {
  console.error(`\nnpm start: ${message}`);
  process.exitCode = 1;
}

// A fresh machine: install the system Chromium through apt when it is missing, or say in one line how to.
const setupProblem = ensureSystem("start");
if (setupProblem) {
  console.error(setupProblem);
  process.exit(1);
}

if (!flag("--no-build")) {
  const built = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) {
    console.error("npm start: the build failed (node scripts/build.mjs)");
    process.exit(1);
  }
}

const playground = await startPlayground(portArg ? { port: portArg } : {});
console.log(`Playground: ${playground.pageUrl}  (API ${playground.apis.localhost}, ${playground.apis.ip})`);

const launchArgs = [...extensionArgs(EXT), ...CHROMIUM_ARGS];

let ctx;
try {
  ctx = await chromium.launchPersistentContext("", {
    executablePath: CHROMIUM,
    headless,
    viewport: headless ? { width: 1280, height: 800 } : null,
    args: headless ? launchArgs : [...launchArgs, "--auto-open-devtools-for-tabs"],
  });
} catch (error) {
  await playground.close();
  console.error(`npm start: could not launch ${CHROMIUM}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  process.exit(1);
}

if (headless) {
  const deadline = setTimeout(() => {
    console.error(`npm start: the headless run took more than ${HEADLESS_DEADLINE_MS / 1000} s; giving up`);
    process.exit(1);
  }, HEADLESS_DEADLINE_MS);
  try {
    await headlessRun(ctx);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  } finally {
    await ctx.close().catch(() => {});
    await playground.close();
    clearTimeout(deadline);
  }
} else {
  await headedRun(ctx);
}

/**
 * Opens the playground once the extension's page-side observer is registered (the background registers it when it
 * has read its settings, a moment after the browser starts), as a tab opened in a running browser would be: a page
 * loaded before that has no observer, and the CSP button would show nothing until a reload. Bounded: after 10 s the
 * page opens anyway.
 * @param {import("playwright-core").BrowserContext} ctx
 */
async function openPlayground(ctx) {
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 10_000 }).catch(() => null));
  if (sw) {
    await waitFor(
      "the page-side observer's registration",
      () => sw.evaluate(() => chrome.scripting.getRegisteredContentScripts().then((scripts) => scripts.length > 0)),
      10_000,
    ).catch(() => {});
  }
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(playground.pageUrl);
  return page;
}

/** @param {import("playwright-core").BrowserContext} ctx */
async function headedRun(ctx) {
  await openPlayground(ctx);
  console.log("Chromium is open with CORS Doctor loaded and DevTools open.");
  console.log("In DevTools choose the CORS panel (it may sit behind the » menu), then press the playground's buttons.");
  console.log("Close the window or press Ctrl-C to stop.");
  await new Promise((done) => {
    ctx.on("close", done);
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await ctx.close().catch(() => {});
  await playground.close();
}

/** @param {import("playwright-core").BrowserContext} ctx */
async function headlessRun(ctx) {
  const started = Date.now();
  const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 10_000 }).catch(() => null));
  if (!sw) throw new Error(`the extension's service worker never started: is ${EXT} a built extension?`);
  const extId = new URL(sw.url()).host;

  const page = await openPlayground(ctx);
  await page.waitForSelector("body[data-state=ready]", { timeout: 10_000 });
  const tabId = await waitFor("the playground's tab id", () =>
    sw.evaluate(async (url) => (await chrome.tabs.query({ url }))[0]?.id, playground.pageUrl),
  );

  // The panel as a tab (contracts §6): it renders the tab's capture and is where the hook is called from.
  const panel = await ctx.newPage();
  await panel.goto(`chrome-extension://${extId}/panel.html?tabId=${tabId}`);
  const report = () => panel.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);

  // The webRequest listeners go live a few hundred ms after the worker appears (browser-recipes §1):
  // repeat a warm-up request until the capture shows one, so that no button's request is raced.
  let warm = 0;
  await waitFor(
    "the extension to capture a warm-up request (is the background capturing at all?)",
    async () => {
      await fetchInPage(page, `${playground.apis.localhost}/api/warm?n=${warm++}`);
      const har = await report();
      return har?.log?.entries?.some((e) => e.request.url.includes("/api/warm?"));
    },
    10_000,
    150,
  );

  await waitForPageObserver(page, report, playground.apis["outside-csp"]);

  await page.bringToFront();
  await page.click("#run-all");
  await page.waitForSelector("body[data-state=done]", { timeout: 20_000 });
  const saw = await pageResults(page);

  // The page's fetch can settle before the background saw the last event: poll until every button is in.
  let har = await report();
  let check = checkReport(har);
  const settleBy = Date.now() + 8_000;
  while (check.missing.length && Date.now() < settleBy) {
    await new Promise((r) => setTimeout(r, 200));
    har = await report();
    check = checkReport(har);
  }

  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "report.har"), JSON.stringify(har, null, 2) + "\n");
  await screenshotPanel(panel);

  console.log(`\nCORS Doctor in Chromium: ${check.rows.length} requests diagnosed (page → extension → report)\n`);
  console.log(formatTable(check.rows, "chrome", saw));
  console.log(
    `\nReport: ${relative(root, join(ARTIFACTS, "report.har"))}   Panel: ${relative(root, join(ARTIFACTS, "panel.png"))}   (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (check.problems.length) {
    fail(`the extension did not capture or diagnose the playground as expected:\n  - ${check.problems.join("\n  - ")}`);
  } else {
    const count = (verdict) => check.rows.filter((r) => r.verdict === verdict).length;
    console.log(
      `OK: every button captured and diagnosed as expected (${count("blocked")} blocked, ${count("allowed")} allowed, ${count("not-cors")} not CORS).`,
    );
    console.log("With a display, npm start opens a normal window with DevTools instead: choose the CORS panel there.");
  }
}

/**
 * The panel tab, with the first blocked request selected when the panel offers a row to click, so that the
 * picture shows a diagnosis and not only the list.
 * @param {import("playwright-core").Page} panel
 */
async function screenshotPanel(panel) {
  await panel.bringToFront();
  await panel.setViewportSize({ width: 1280, height: 800 });
  await panel.waitForSelector('[role="row"], tr', { timeout: 5_000 }).catch(() => {});
  const row = panel.locator('[role="row"]:has-text("no-allow-origin"), tr:has-text("no-allow-origin")').first();
  if (await row.count().catch(() => 0)) await row.click({ timeout: 2_000 }).catch(() => {});
  await panel.waitForTimeout(300);
  await panel.screenshot({ path: join(ARTIFACTS, "panel.png") });
}
