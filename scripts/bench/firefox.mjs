// Launching Firefox ESR over WebDriver BiDi, with and without the built extension, for the Firefox rows of the
// arming bench (issue 16: "Firefox: the same behaviour"). The extension is the Firefox build with the test-only
// automation page compiled in (playground/firefox.mjs withAutomationHook; the Firefox tests build the same page in):
// WebDriver BiDi cannot open a moz-extension:// page, so the page the test build opens on install is how
// the bench asks the background what it captured.
import { resolve } from "node:path";
import puppeteer from "puppeteer-core";
import { withAutomationHook } from "../../playground/firefox.mjs";
import { FIREFOX, processTable, ROOT, treeCpu, waitFor } from "./lib.mjs";
import { FIREFOX_VARIANT_ID } from "./variants.mjs";
const ADDON_ID = "cors-doctor@cors-doctor.dev";
const UUID = "0b7d5c2e-1a2b-4c3d-8e9f-0123456789ab";

/** CPU time (user + system, ms) of process `root` and all its descendants (Firefox's content and utility processes). */
export function treeCpuMs(root) {
  return treeCpu(processTable(), [String(root)]);
}

/** A page's own URL, or "" when it does not answer within a second (a page still loading). */
function hrefOf(page) {
  return Promise.race([page.evaluate(() => location.href).catch(() => ""), new Promise((r) => setTimeout(() => r(""), 1000))]);
}

/**
 * Returns { browser, ctx, cpuMs, send, tabIdOf, close }; `send` and `tabIdOf` only with CORS Doctor.
 * `ctx.newPage()` gives a tab for a workload (the shape the Chromium sides have). `dir`: another unpacked
 * extension (a bench variant) instead of CORS Doctor.
 */
export async function launchFirefox({ extension, dir: variant }) {
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX,
    headless: true,
    // WebDriver BiDi's network events would have Firefox's remote agent record every request of every side: work that
    // is not the browser's, added to each side alike, which flattened the ratios (200 fetches took 680 ms with them, 220
    // ms without). The bench needs none of them.
    networkEnabled: false,
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }) },
  });
  const pid = browser.process().pid;
  let hooked = null;
  const close = async () => {
    await browser.close().catch(() => {});
    hooked?.dispose();
  };
  const side = { browser, ctx: { newPage: () => browser.newPage() }, cpuMs: () => treeCpuMs(pid), close };
  if (!extension) return side;
  if (variant) {
    try {
      // The variant is what is measured, not CORS Doctor: the id Firefox installed proves it.
      const id = await browser.installExtension(variant);
      if (id !== FIREFOX_VARIANT_ID) throw new Error(`installed ${id}, not the bench variant ${FIREFOX_VARIANT_ID}`);
      return side;
    } catch (error) {
      await close();
      throw error;
    }
  }
  const prefix = `moz-extension://${UUID}/`;
  try {
    // dist/firefox with its background rebuilt with the automation page, as `npm run start:firefox` loads it.
    hooked = await withAutomationHook(resolve(ROOT, "dist/firefox"));
    await browser.installExtension(hooked.dir);
    const hook = await waitFor(
      async () => {
        // The driver's URL may lag behind a tab the extension opened: the page's own is asked too (a second at most).
        for (const p of await browser.pages()) if (p.url().startsWith(prefix) || (await hrefOf(p)).startsWith(prefix)) return p;
        return null;
      },
      { timeoutMs: 25_000, intervalMs: 200, what: "the extension page the test build opens" },
    );
    await waitFor(() => hook.evaluate(() => typeof globalThis.browser?.runtime?.sendMessage === "function").catch(() => false), {
      timeoutMs: 10_000,
      what: "the extension API in its page",
    });
    side.send = (message) => hook.evaluate((m) => globalThis.browser.runtime.sendMessage(m), message);
    side.tabIdOf = (url) =>
      waitFor(() => hook.evaluate(async (u) => (await globalThis.browser.tabs.query({})).find((t) => t.url === u)?.id, url), {
        timeoutMs: 10_000,
        what: `the tab of ${url}`,
      });
    return side;
  } catch (error) {
    await close();
    throw error;
  }
}

/** Requests CORS Doctor captured in the tab showing `page` (its exported report's entries), and the tab's id. */
export async function capturedIn(side, page) {
  const tabId = await side.tabIdOf(page.url());
  const report = await side.send({ type: "cors-doctor:report", tabId });
  return { tabId, entries: report?.log?.entries?.length ?? 0 };
}

/** An armed tab records before it is timed: a warm-up request must show in its capture (bounded wait). */
export async function waitForFirefoxCapture(side, page, api) {
  await waitFor(
    async () => {
      await page.evaluate(
        (u) =>
          fetch(u).then(
            (r) => r.text(),
            () => {},
          ),
        `${api}/get?warm-${Date.now()}`,
      );
      return (await capturedIn(side, page)).entries > 0;
    },
    { timeoutMs: 20_000, intervalMs: 200, what: "CORS Doctor in Firefox to capture a warm-up request of the armed tab" },
  );
}

/**
 * Runs `run` on the Firefox floor and proves its listeners followed the run's tab: the floor reports each tab it armed
 * to the page's server once its listeners saw the tab's requests end (variants.mjs, FLOOR_PROOF_PATH). Each run opens
 * a new tab, so each run must add one report.
 */
export async function provedFloorRun(server, run) {
  const before = server.floorTabsSeen();
  const result = await run();
  await waitFor(() => server.floorTabsSeen() > before, {
    timeoutMs: 5_000,
    intervalMs: 50,
    what: "the Firefox floor to report the run's tab (its listeners followed it)",
  });
  return result;
}
