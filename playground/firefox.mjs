// Firefox ESR driven by puppeteer-core over WebDriver BiDi (browser-recipes §5), with CORS Doctor installed as
// a temporary add-on and an extension page to call the automation hook from (contracts §6).
//
// BiDi can neither evaluate in an add-on's background nor navigate a tab to a moz-extension: URL, so the
// only way to reach the hook is an extension page the add-on opens itself. Production builds never open a
// tab, so this uses a private copy of the add-on whose background is rebuilt from the same source with the
// test hook compiled in (__TEST__: on install it opens popup.html?automation=1); every other file is the
// one given.
import { build } from "esbuild";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { fetchInPage, waitFor, waitForPageObserver } from "./drive.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
/** A fixed moz-extension UUID makes the add-on's URLs predictable. */
const UUID = "6c0f7d8e-2b1a-4c3d-9e8f-c0de0c0de001";

/** @param {string} extDir an unpacked Firefox build (dist/firefox or an unzipped package) */
export async function withAutomationHook(extDir) {
  const dir = mkdtempSync(join(tmpdir(), "cors-doctor-firefox-hook-"));
  cpSync(extDir, dir, { recursive: true });
  const version = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")).version;
  await build({
    entryPoints: [join(root, "src/background/index.ts")],
    outfile: join(dir, "background.js"),
    bundle: true,
    format: "iife",
    target: "firefox128",
    logLevel: "warning",
    define: { __BROWSER__: '"firefox"', __VERSION__: JSON.stringify(version), __TEST__: "true" },
  });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * @param {string} extDir
 * @param {{ headless?: boolean }} [options]
 */
export async function launchFirefox(extDir, options = {}) {
  const manifest = JSON.parse(readFileSync(join(extDir, "manifest.json"), "utf8"));
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: options.headless ?? true,
    extraPrefsFirefox: {
      "extensions.webextensions.uuids": JSON.stringify({ [addonId]: UUID }),
      // puppeteer's profile allows every cookie (0); users get Total Cookie Protection (5), which the cookie button's
      // "Firefox sends it" must hold under.
      "network.cookie.cookieBehavior": 5,
    },
  });
  try {
    await browser.installExtension(resolve(extDir));
    const hook = await waitFor(
      "the add-on's automation page to open",
      async () => {
        for (const page of await browser.pages()) {
          // puppeteer keeps a stale about:blank URL for tabs the add-on opened: ask the page itself.
          const href = await page.evaluate(() => location.href).catch(() => "");
          if (href.startsWith("moz-extension://")) return page;
        }
        return null;
      },
      10_000,
      200,
    );
    return { browser, hook, close: () => browser.close().catch(() => {}) };
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/**
 * Runs the playground in Firefox: warm-up, "Run all", then the report of the playground's tab.
 * @param {Awaited<ReturnType<typeof launchFirefox>>} firefox
 * @param {{ pageUrl: string, apis: { localhost: string, "outside-csp": string } }} playground
 * @param {{ onlyWarmUp?: boolean }} [options]
 */
export async function runPlaygroundInFirefox(firefox, playground, options = {}) {
  const page = await firefox.browser.newPage();
  await page.goto(playground.pageUrl);
  await page.waitForSelector("body[data-state=ready]", { timeout: 10_000 });
  const tabId = await waitFor("the playground's tab id", () =>
    // Firefox match patterns cannot name a port: list the tabs and compare URLs instead.
    firefox.hook.evaluate(async (url) => (await browser.tabs.query({})).find((t) => t.url === url)?.id, playground.pageUrl),
  );
  // As JSON text: WebDriver BiDi's transfer of an object that holds the same object twice (a report shares a
  // finding between a request and its preflight) gives the second place as undefined.
  const report = async () =>
    JSON.parse(
      await firefox.hook.evaluate(
        async (id) => JSON.stringify(await browser.runtime.sendMessage({ type: "cors-doctor:report", tabId: id })),
        tabId,
      ),
    );
  let warm = 0;
  await waitFor(
    "the add-on to capture a warm-up request (is the background capturing at all?)",
    async () => {
      await fetchInPage(page, `${playground.apis.localhost}/api/warm?n=${warm++}`);
      const har = await report();
      return har?.log?.entries?.some((e) => e.request.url.includes("/api/warm?"));
    },
    15_000,
    200,
  );
  if (options.onlyWarmUp) return { page, tabId, report };
  await waitForPageObserver(page, report, playground.apis["outside-csp"]);
  await page.click("#run-all");
  await page.waitForSelector("body[data-state=done]", { timeout: 30_000 });
  return { page, tabId, report };
}
