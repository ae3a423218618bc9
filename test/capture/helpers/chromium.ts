// Launching the Debian Chromium with the extension (browser-recipes §1) and talking to its background
// through the automation hook of an extension page (contracts §6).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page, type Worker } from "playwright-core";
import type { TabSnapshot } from "../../../src/shared/protocol";
import { copyExtension, waitFor, type ExtensionCopy } from "./extension";
import { startServer, type TestServer } from "./server";
import { CHROMIUM_ARGS, CHROMIUM_PATH, extensionArgs } from "../../../scripts/lib/chromium.mjs";

export interface ChromiumRun {
  ctx: BrowserContext;
  sw: Worker;
  extId: string;
  close(): Promise<void>;
}

export async function launchChromium(extDir: string): Promise<ChromiumRun> {
  const ctx = await chromium.launchPersistentContext("", {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...extensionArgs(extDir), ...CHROMIUM_ARGS],
  });
  try {
    const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 10_000 }));
    const extId = new URL(sw.url()).host;
    return { ctx, sw, extId, close: () => ctx.close() };
  } catch (error) {
    await ctx.close();
    throw error;
  }
}

/** The extension page used for the automation hook: the panel as a tab, or the popup page if there is no panel. */
export async function openHookPage(
  run: ChromiumRun,
  extDir: string,
  tabId: number,
  preferred: "panel.html" | "popup.html" = "panel.html",
): Promise<Page> {
  const page = await run.ctx.newPage();
  const file = existsSync(join(extDir, preferred)) ? preferred : "popup.html";
  await page.goto(`chrome-extension://${run.extId}/${file}?tabId=${tabId}`);
  return page;
}

export function snapshotOf(hook: Page, tabId: number): Promise<TabSnapshot> {
  return hook.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: id }), tabId) as Promise<TabSnapshot>;
}

export function reportOf(hook: Page, tabId: number): Promise<{ log: { entries: Record<string, any>[] } & Record<string, unknown> }> {
  return hook.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);
}

export async function tabIdOf(hook: Page, url: string): Promise<number> {
  return waitFor(`the tab of ${url}`, () => hook.evaluate(async (u) => (await chrome.tabs.query({ url: u }))[0]?.id, url));
}

/**
 * Listeners go live 150–330 ms after the worker is visible (browser-recipes §1): fetch a warm-up URL until
 * the capture shows it, so that the scenario itself is not raced.
 */
export async function warmUp(page: Page, hook: Page, tabId: number, api: string): Promise<void> {
  let i = 0;
  await waitFor(
    "the listeners to go live",
    async () => {
      const url = `${api}/ok?warm=${i++}`;
      await page.evaluate(
        (u) =>
          fetch(u).then(
            () => {},
            () => {},
          ),
        url,
      );
      const snap = await snapshotOf(hook, tabId);
      return snap.items.some((item) => item.exchange.legs[0]!.request.url.includes("warm=") && item.complete);
    },
    15_000,
    150,
  );
}

export interface CaptureSession {
  server: TestServer;
  ext: ExtensionCopy;
  run: ChromiumRun;
  /** The page of the scenario (http://127.0.0.1:PORT/page.html). */
  page: Page;
  /** The extension page used for the automation hook, already pointed at the page's tab. */
  hook: Page;
  tabId: number;
  close(): Promise<void>;
}

/**
 * The usual set-up of a capture test file: a loopback server, a private copy of the built extension in
 * Chromium, the scenario page, the hook page pointed at its tab, and listeners warmed up.
 */
export async function openCaptureSession(
  options: { testHooks?: boolean; hookPage?: "panel.html" | "popup.html" } = {},
): Promise<CaptureSession> {
  const server = await startServer();
  const ext = await copyExtension("chrome", { testHooks: options.testHooks });
  const run = await launchChromium(ext.dir);
  const page = await run.ctx.newPage();
  await page.goto(`${server.page}/page.html`);
  const hook = await openHookPage(run, ext.dir, -1, options.hookPage ?? "panel.html");
  const tabId = await tabIdOf(hook, `${server.page}/*`);
  await hook.goto(hook.url().replace("tabId=-1", `tabId=${tabId}`));
  await warmUp(page, hook, tabId, server.api);
  return {
    server,
    ext,
    run,
    page,
    hook,
    tabId,
    async close() {
      await run.close();
      await server.close();
      ext.dispose();
    },
  };
}

/**
 * Stops the extension's service worker and waits until Chromium reports it stopped. CDP's ServiceWorker domain
 * says when it is: Target.closeTarget answers at once and may leave the worker running (its target id outlives
 * restarts), so a scenario started after it could be half seen by the dying worker and half by its successor,
 * a race of the test rather than a loss of the product.
 */
export async function stopServiceWorker(ctx: BrowserContext, page: Page, extId: string): Promise<void> {
  const cdp = await ctx.newCDPSession(page);
  const status = new Map<string, string>();
  // "stopped" is remembered: a worker woken again at once (an event for it) would hide it from a poll.
  const stopped = new Set<string>();
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const v of versions) {
      if (!v.scriptURL.startsWith(`chrome-extension://${extId}/`)) continue;
      status.set(v.versionId, v.runningStatus);
      if (v.runningStatus === "stopped") stopped.add(v.versionId);
    }
  });
  try {
    await cdp.send("ServiceWorker.enable");
    const running = await waitFor("the service worker's version", async () => [...status].find(([, s]) => s === "running")?.[0]);
    stopped.delete(running);
    // Asked again every few seconds: under load one request was seen to leave the worker running.
    for (let attempt = 1; ; attempt++) {
      await cdp.send("ServiceWorker.stopWorker", { versionId: running });
      try {
        await waitFor("the service worker to stop", async () => stopped.has(running), 4_000, 20);
        break;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
  } finally {
    await cdp.detach().catch(() => {});
  }
}
