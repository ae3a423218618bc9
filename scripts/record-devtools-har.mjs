#!/usr/bin/env node
// Record real DevTools HAR exports of one small scenario (6 requests), served by the matrix server:
//   test/fixtures/devtools/chrome-devtools.har  — chrome.devtools.network.getHAR() from a test-only extension's
//     devtools page, with DevTools opened by puppeteer-core (browser-recipes §3a);
//   test/fixtures/devtools/firefox-devtools.har — Firefox netmonitor's HAR auto-export
//     (devtools.netmonitor.har.enableAutoExportToFile), toolbox opened by launching with -devtools.
//   node scripts/record-devtools-har.mjs [--browser chromium|firefox|both] [--out dir]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { startMatrixServer } from "../test/matrix/server.mjs";
import { scenarioById } from "../test/matrix/scenarios.mjs";
import { planFor, runPlanInPage, newRunTag } from "../test/matrix/plan.mjs";
import { CHROMIUM_ARGS } from "./lib/chromium.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
/** @param {string} name */
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const which = arg("--browser") ?? "both";
const outDir = path.resolve(arg("--out") ?? path.join(root, "test/fixtures/devtools"));

/** allowed GET, missing ACAO, header not allowed (preflight), wildcard + credentials, passing preflight PUT, redirect. */
export const DEVTOOLS_SCENARIO = [
  "get-acao-exact-origin",
  "get-acao-missing",
  "acah-missing",
  "cred-acao-wildcard",
  "preflight-ok-actual-ok",
  "redirect-same-origin-302",
];

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll `check` every 100 ms until it returns a truthy value or `ms` pass.
 * @template T @param {() => Promise<T> | T} check @param {number} ms @param {string} what
 * @returns {Promise<T>}
 */
async function waitFor(check, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * @param {import("puppeteer-core").Page} page
 * @param {{ localhost: string, ip: string }} apiOrigins
 */
async function runScenario(page, apiOrigins) {
  const tag = newRunTag();
  const results = [];
  for (const id of DEVTOOLS_SCENARIO) {
    const s = scenarioById.get(id);
    if (!s) throw new Error(`unknown scenario ${id}`);
    results.push([id, await page.evaluate(runPlanInPage, planFor(s, apiOrigins, tag))]);
  }
  return results;
}

async function recordChrome() {
  const ext = fs.mkdtempSync(path.join(os.tmpdir(), "cors-matrix-devtools-ext-"));
  // The smallest extension with a devtools page: its frame lives inside DevTools and has chrome.devtools.network.
  fs.writeFileSync(
    path.join(ext, "manifest.json"),
    JSON.stringify({
      manifest_version: 3,
      name: "CORS matrix HAR grabber (test only)",
      version: "0.0.1",
      devtools_page: "devtools.html",
    }),
  );
  fs.writeFileSync(path.join(ext, "devtools.html"), "<!doctype html><meta charset=utf-8><script src=devtools.js></script>");
  fs.writeFileSync(path.join(ext, "devtools.js"), "globalThis.harReady = true;\n");
  const server = await startMatrixServer();
  const browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    pipe: true,
    enableExtensions: [ext],
    handleDevToolsAsPage: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    await page.goto(server.pageUrl);
    const dt = /** @type {import("puppeteer-core").Page} */ (await /** @type {any} */ (page).openDevTools());
    const frame = await waitFor(
      () => dt.frames().find((f) => f.url().startsWith("chrome-extension://") && f.url().endsWith("/devtools.html")),
      10_000,
      "the extension's devtools page",
    );
    await waitFor(() => frame.evaluate(() => /** @type {any} */ (globalThis).harReady === true).catch(() => false), 10_000, "devtools.js");
    const results = await runScenario(page, server.apiOrigins);
    await sleep(500);
    const harLog = await frame.evaluate(
      () => new Promise((resolve) => /** @type {any} */ (globalThis).chrome.devtools.network.getHAR(resolve)),
    );
    return { har: { log: harLog }, results, version: await browser.version() };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    fs.rmSync(ext, { recursive: true, force: true });
  }
}

/**
 * Headless Firefox ESR with its DevTools toolbox open on the network monitor, which writes the page's HAR into `dir`
 * by itself (HarAutomation: once the page loaded and no request started for 3 s).
 * @param {string} dir @param {string} fileName @param {Record<string, unknown>} [prefs]
 */
export function launchFirefoxWithHarExport(dir, fileName, prefs = {}) {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    args: ["-devtools"],
    extraPrefsFirefox: {
      "devtools.netmonitor.har.enableAutoExportToFile": true,
      "devtools.netmonitor.har.defaultLogDir": dir,
      "devtools.netmonitor.har.defaultFileName": fileName,
      "devtools.netmonitor.har.pageLoadedTimeout": 3000,
      "devtools.toolbox.selectedTool": "netmonitor",
      ...prefs,
    },
  });
}

async function recordFirefox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-matrix-ff-har-"));
  const server = await startMatrixServer();
  const browser = await launchFirefoxWithHarExport(dir, "firefox-devtools", {
    "devtools.netmonitor.har.includeResponseBodies": true,
    "network.cookie.cookieBehavior": 0,
    "network.cookie.sameSite.noneRequiresSecure": false,
  });
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    await page.goto(`${server.apiOrigins.localhost}/setcookie`);
    await page.goto(server.pageUrl);
    // HarAutomation (devtools/client/netmonitor/src/har/har-automation.js) exports once the page has loaded and
    // no request started for `pageLoadedTimeout` ms: the scenario must run right away, inside that window.
    const results = await runScenario(page, server.apiOrigins);
    /** Parse every exported file; keep the one holding the scenario's requests. */
    const best = () => {
      let top = null;
      for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".har"))) {
        try {
          const h = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
          const n = h.log.entries.filter((/** @type {any} */ e) => e.request.url.includes("/m/")).length;
          if (!top || n > top.n) top = { n, har: h };
        } catch {
          /* still being written */
        }
      }
      return top && top.n > 0 ? top : null;
    };
    const found = await waitFor(best, 20_000, `a HAR export in ${dir}`);
    await sleep(300);
    const har = (best() ?? found).har;
    return { har, results, version: await browser.version() };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(outDir, { recursive: true });
  if (which === "chromium" || which === "both") {
    const { har, results, version } = await recordChrome();
    fs.writeFileSync(path.join(outDir, "chrome-devtools.har"), `${JSON.stringify(har, null, 2)}\n`);
    console.log(
      `chromium ${version}: ${har.log?.entries?.length ?? 0} HAR entries; page saw ${results.map(([id, r]) => `${id}=${r[0].ok ? "ok" : "blocked"}`).join(" ")}`,
    );
  }
  if (which === "firefox" || which === "both") {
    const { har, results, version } = await recordFirefox();
    fs.writeFileSync(path.join(outDir, "firefox-devtools.har"), `${JSON.stringify(har, null, 2)}\n`);
    console.log(
      `firefox ${version}: ${har.log?.entries?.length ?? 0} HAR entries; page saw ${results.map(([id, r]) => `${id}=${r[0].ok ? "ok" : "blocked"}`).join(" ")}`,
    );
  }
}
