// Launching the system Chromium with and without the built extension (browser-recipes §1). Every caller
// closes what it launched in a finally block: the machine is shared.
import { realpathSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM, EXT, waitFor } from "./lib.mjs";

const COMMON = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];

/** Returns { ctx, sw, extId } (sw and extId null without the extension). `dir`: another unpacked extension. */
export async function launch({ extension, dir }) {
  const ext = extension ? realpathSync(dir ?? EXT) : null;
  const args = extension ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...COMMON] : COMMON;
  const ctx = await chromium.launchPersistentContext("", { executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 720 }, args, timeout: 60_000 });
  if (!extension) return { ctx, sw: null, extId: null };
  try {
    const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 30_000 }));
    return { ctx, sw, extId: new URL(sw.url()).host };
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

/**
 * The background's listeners go live 150–330 ms after the worker appears (browser-recipes §1): poll with a
 * warm-up fetch until the background reports the tab has a record, from an extension page via the
 * automation hook (contracts §6).
 */
export async function waitForCapture(ctx, extId, page, api) {
  const tabId = await tabIdOf(ctx, extId, page.url());
  const probe = await ctx.newPage();
  try {
    // An automation hook page: it looks without arming anything (a plain popup.html arms the tab it is about).
    await probe.goto(`chrome-extension://${extId}/popup.html?automation=1`);
    await waitFor(
      async () => {
        await page.evaluate((u) => fetch(u).then((r) => r.text()).catch(() => {}), `${api}/get?warm-${Date.now()}`);
        const report = await probe.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);
        return (report?.log?.entries?.length ?? 0) > 0;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: "the extension to capture a warm-up request" },
    );
  } finally {
    await probe.close();
  }
  return tabId;
}

export async function tabIdOf(ctx, extId, url) {
  const sw = ctx.serviceWorkers().find((w) => w.url().includes(extId));
  return sw.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, url);
}
