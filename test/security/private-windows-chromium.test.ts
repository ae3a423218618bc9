// Private windows in Chromium: the Chrome build is "incognito": "split", so an incognito window gets its own
// background instance, which keeps its capture in memory only (src/background/private.ts). The extension is loaded
// over CDP with enableInIncognito (the user's "Allow in Incognito"). An incognito page makes a blocked request
// carrying a canary token: the incognito instance reports it for that tab, but no storage.session (incognito's or
// the normal profile's) holds it, the normal instance never sees it, and it is gone with the incognito windows.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import puppeteer, { type Browser, type BrowserContext, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../../scripts/lib/chromium.mjs";
import { copyExtension, type ExtensionCopy } from "../panel/chromium";
import { serveLoginRoutes } from "./helpers/login-page";

const CANARY = "INCOGNITO-WINDOW-CANARY";

let server: Server;
let pageOrigin: string;
let api: string;
let copy: ExtensionCopy;
let browser: Browser;
let id: string;

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (serveLoginRoutes(url.pathname, res, api)) return;
    if (url.pathname === "/private-page") {
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(
        `<!doctype html><title>p</title><script>let n=0;const go=()=>fetch(${JSON.stringify(`${api}/api/no-acao?access_token=${CANARY}`)}+"&n="+(n++)).catch(()=>{});go();setInterval(go,300);</script>`,
      );
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("no acao");
  });
  await new Promise<void>((r) => server.listen(0, r));
  const port = (server.address() as AddressInfo).port;
  pageOrigin = `http://127.0.0.1:${port}`;
  api = `http://localhost:${port}`;
  copy = await copyExtension("chrome");
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    pipe: true,
    enableExtensions: true,
    args: [...CHROMIUM_ARGS],
  });
  const cdp = await browser.target().createCDPSession();
  ({ id } = (await cdp.send("Extensions.loadUnpacked" as never, { path: copy.dir, enableInIncognito: true } as never)) as { id: string });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  copy?.dispose();
});

const extensionPage = async (context: BrowserContext | Browser): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/panel.html`);
  return page;
};
const storedText = (page: Page) => page.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null)));

it("an incognito window's capture stays in its own memory-only instance and goes with the window", { timeout: 120_000 }, async () => {
  const incognito = await browser.createBrowserContext();
  const site = await incognito.newPage();
  await site.goto(`${pageOrigin}/private-page`);
  const privatePanel = await extensionPage(incognito);
  expect(await privatePanel.evaluate(() => chrome.extension.inIncognitoContext)).toBe(true);
  const privateTab = await waitFor("the incognito tab", () =>
    privatePanel.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(u))?.id, `${pageOrigin}/private-page`),
  );
  // Capture works in incognito: the tab's report (with secrets) has the request and its token.
  await waitFor("the incognito request in its tab's report", async () => {
    const report = await privatePanel.evaluate(
      (t) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }),
      privateTab,
    );
    return JSON.stringify(report).includes(CANARY);
  });
  // Never written to storage, in either profile; the normal instance never sees it.
  expect(await storedText(privatePanel)).not.toContain(CANARY);
  const normalPanel = await extensionPage(browser);
  expect(await normalPanel.evaluate(() => chrome.extension.inIncognitoContext)).toBe(false);
  expect(await storedText(normalPanel)).not.toContain(CANARY);
  expect(await normalPanel.evaluate(async () => (await chrome.tabs.query({})).some((t) => t.incognito))).toBe(false);
  const normalReport = await normalPanel.evaluate(
    (t) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }),
    privateTab,
  );
  expect(JSON.stringify(normalReport)).not.toContain(CANARY);

  // Closing the incognito windows ends the incognito instance, and its memory with it.
  const incognitoWorker = () =>
    browser
      .targets()
      .some((t) => t.type() === "service_worker" && t.url().startsWith(`chrome-extension://${id}/`) && t.browserContext() === incognito);
  expect(incognitoWorker()).toBe(true);
  await incognito.close();
  await waitFor("the incognito instance to end", async () => !incognitoWorker(), 15_000);
  expect(await storedText(normalPanel)).not.toContain(CANARY);
  const after = await normalPanel.evaluate(
    (t) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }),
    privateTab,
  );
  expect(JSON.stringify(after)).not.toContain(CANARY);
});

it("an incognito tab's cookie finding reads the incognito cookie store, never the normal profile's", { timeout: 120_000 }, async () => {
  // One cookie for the API in each store: the normal profile's (a log-in there) and the incognito window's.
  const normalPanel = await extensionPage(browser);
  await normalPanel.evaluate((u) => chrome.cookies.set({ url: u, name: "cd_normal_login", value: "n" }), `${api}/`);
  const incognito = await browser.createBrowserContext();
  const privatePanel = await extensionPage(incognito);
  await privatePanel.evaluate((u) => chrome.cookies.set({ url: u, name: "cd_private_login", value: "p" }), `${api}/`);
  const site = await incognito.newPage();
  await site.goto(`${pageOrigin}/private-login-page`);
  const privateTab = await waitFor("the incognito tab", () =>
    privatePanel.evaluate(
      async (u) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(u))?.id,
      `${pageOrigin}/private-login-page`,
    ),
  );
  // Its credentialed calls come back 401 without CORS headers: the incognito store's cookie (kept home cross-site) is
  // named, and nothing of the normal profile's store is.
  const shown = await waitFor("the incognito store's cookie named on the 401", async () => {
    const report = await privatePanel.evaluate((t) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: t }), privateTab);
    return JSON.stringify(report).includes("cd_private_login") ? JSON.stringify(report) : null;
  });
  expect(shown).toContain("cookie store");
  expect(shown).not.toContain("cd_normal_login");
  await incognito.close();
  await normalPanel.evaluate((u) => chrome.cookies.remove({ url: u, name: "cd_normal_login" }), `${api}/`);
});
