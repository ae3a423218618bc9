// The built extension (test build) in Firefox ESR over WebDriver BiDi (browser-recipes §5): launching it with a
// fixed add-on UUID, the extension page the test build opens (the automation hook), and the tabs a test opens.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { TabSnapshot } from "../../../src/shared/protocol";
import { copyExtension, type ExtensionCopy, waitFor } from "./extension";

export const ADDON_ID = "cors-doctor@cors-doctor.dev";
export const UUID = "0b7d5c2e-1a2b-4c3d-8e9f-0123456789ab";

export interface FirefoxRun {
  browser: Browser;
  ext: ExtensionCopy;
  /** The extension page the test build opens on install: talks to the background (contracts §6). */
  hook: Page;
  send<T>(message: unknown): Promise<T>;
  snapshotOf(tabId: number): Promise<TabSnapshot>;
  /** Opens a page in a new tab and finds its tab id (Firefox match patterns have no port: by URL). */
  openTab(url: string): Promise<{ page: Page; tabId: number }>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * The user's "Run in Private Windows" choice, as Firefox stores it in the profile (ExtensionPermissions):
   * the extension then sees private windows and may open its pages there.
   */
  allowPrivate?: boolean;
}

/**
 * A page's own URL. The driver's `page.url()` does not follow a tab the extension opened, so the page is asked; a page
 * still loading may not answer at once, and must not hold up a search over every page: "" after a second.
 */
export function hrefOf(page: Page): Promise<string> {
  return Promise.race([page.evaluate(() => location.href).catch(() => ""), new Promise<string>((r) => setTimeout(() => r(""), 1000))]);
}

/** The first page whose URL starts with `prefix` (pages of private windows included), waited for. */
export function findPage(browser: Browser, prefix: string, what: string, timeoutMs = 20_000): Promise<Page> {
  return waitFor(
    what,
    async () => {
      // The driver's URL first (no round trip; it may lag behind, never lead), then the page's own.
      for (const p of await browser.pages()) if (p.url().startsWith(prefix) || (await hrefOf(p)).startsWith(prefix)) return p;
      return null;
    },
    timeoutMs,
    200,
  );
}

/**
 * Firefox with the test build, launched again once when the first launch does not come up (its automation page never
 * appeared in a clean-clone CI run): a failed `beforeAll` is not retried, and every test of the file would fail.
 */
export async function launchFirefox(prefs: Record<string, unknown> = {}, options: LaunchOptions = {}): Promise<FirefoxRun> {
  try {
    return await launchFirefoxOnce(prefs, options);
  } catch (first) {
    try {
      return await launchFirefoxOnce(prefs, options);
    } catch (second) {
      throw new Error(`Firefox did not come up twice: ${String(first)}; then ${String(second)}`);
    }
  }
}

async function launchFirefoxOnce(prefs: Record<string, unknown>, options: LaunchOptions): Promise<FirefoxRun> {
  const ext = await copyExtension("firefox", { testHooks: true });
  let profile: string | undefined;
  if (options.allowPrivate) {
    profile = mkdtempSync(join(tmpdir(), "cors-doctor-firefox-"));
    writeFileSync(
      join(profile, "extension-preferences.json"),
      JSON.stringify({ [ADDON_ID]: { permissions: ["internal:privateBrowsingAllowed"], origins: [] } }),
    );
  }
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    ...(profile ? { userDataDir: profile } : {}),
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }), ...prefs },
  });
  let hook: Page;
  try {
    await browser.installExtension(ext.dir);
    hook = await extensionReady(await findPage(browser, `moz-extension://${UUID}/`, "the extension page opened by the test build", 25_000));
  } catch (error) {
    await browser.close().catch(() => {});
    ext.dispose();
    if (profile) rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const send = <T>(message: unknown) => hook.evaluate((m) => (globalThis as any).browser.runtime.sendMessage(m), message) as Promise<T>;
  return {
    browser,
    ext,
    hook,
    send,
    snapshotOf: (tabId) => send<TabSnapshot>({ type: "cors-doctor:snapshot", tabId }),
    async openTab(url) {
      const page = await browser.newPage();
      await page.goto(url);
      const tabId = await waitFor(`the tab of ${url}`, () =>
        hook.evaluate(
          async (u) => ((await (globalThis as any).browser.tabs.query({})) as { id: number; url?: string }[]).find((t) => t.url === u)?.id,
          url,
        ),
      );
      return { page, tabId };
    },
    async close() {
      await browser.close();
      ext.dispose();
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until an extension page found by its URL has its extension API: the page is listed as soon as it starts
 * loading, and under load a first evaluate could find `browser` not defined yet.
 */
export async function extensionReady(page: Page): Promise<Page> {
  await waitFor("the extension API in the extension page", async () =>
    page.evaluate(() => typeof (globalThis as any).browser?.runtime?.sendMessage === "function").catch(() => false),
  );
  return page;
}
