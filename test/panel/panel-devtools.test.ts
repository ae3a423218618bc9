// The real DevTools in headless Chromium (browser-recipes §3a, puppeteer-core): the extension's devtools page
// registers the "CORS" panel; showing it loads panel.html inside DevTools, which reads the inspected tab from
// chrome.devtools.inspectedWindow and lists the page's cross-origin requests.
import puppeteer, { type Browser, type Frame, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { copyExtension, type ExtensionCopy } from "./chromium";
import { generateHar, progressLine, selectHar } from "./import-load";
import { startScenarioServer, type ScenarioServer } from "./server";
import { CHROMIUM_ARGS } from "../../scripts/lib/chromium.mjs";

let browser: Browser;
let server: ScenarioServer;
let extension: ExtensionCopy | undefined;

beforeAll(async () => {
  server = await startScenarioServer();
  extension = await copyExtension("chrome");
  browser = await puppeteer.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    pipe: true,
    enableExtensions: [extension.dir],
    handleDevToolsAsPage: true,
    args: [...CHROMIUM_ARGS],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  extension?.dispose();
});

/** DevTools-internal (may change between Chromium versions): kept in this one helper. */
async function showPanel(devtools: Page, panelId: string): Promise<void> {
  // A string, not a function: the test runner would rewrite a dynamic import() in a function's source.
  await devtools.evaluate(
    `(async () => { const UI = await import("./ui/legacy/legacy.js"); await UI.InspectorView.InspectorView.instance().showPanel(${JSON.stringify(panelId)}); })()`,
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

it("the CORS panel in Chromium's DevTools lists the inspected page's blocked request", async () => {
  const sw = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("background.js"), { timeout: 10_000 });
  const extId = new URL(sw.url()).host;
  const page = await browser.newPage();
  await page.goto(`${server.page}/page`);
  const devtools = await page.openDevTools();
  // The devtools page registers the panel once DevTools has loaded it.
  await waitFor("the devtools page", () => devtools.frames().find((f) => f.url().endsWith("/devtools.html")), 60_000);
  await waitFor("the CORS panel", async () => {
    try {
      await showPanel(devtools, `chrome-extension://${extId}CORS`);
    } catch {
      return undefined;
    }
    return devtools.frames().find((f) => f.url().endsWith("/panel.html"));
  });
  const panel: Frame = devtools.frames().find((f) => f.url().endsWith("/panel.html"))!;
  await panel.waitForSelector(".toolbar", { timeout: 10_000 });
  // DevTools gives the panel the inspected tab: no ?tabId in its URL.
  expect(new URL(panel.url()).search).toBe("");
  // Listeners go live shortly after the worker starts: repeat the failing request until a row shows.
  let seen = false;
  for (let attempt = 0; attempt < 20 && !seen; attempt++) {
    await page.evaluate((u) => fetch(u).catch(() => undefined), `${server.api}/api/no-acao?devtools=${attempt}`);
    seen = await panel.waitForSelector(".grid-window .grid-row.blocked", { timeout: 500 }).then(
      () => true,
      () => false,
    );
  }
  expect(seen).toBe(true);
  const row = await panel.$eval(".grid-window .grid-row.blocked", (el) => ({
    verdict: el.querySelector(".verdict-icon")?.getAttribute("aria-label"),
    url: el.querySelector(".c-url")?.textContent,
    reason: el.querySelector(".c-reason")?.textContent,
  }));
  expect(row.verdict).toBe("Blocked");
  expect(row.url).toContain("/api/no-acao");
  expect(row.reason).toMatch(/Access-Control-Allow-Origin/);

  // HAR import inside the real DevTools panel: the worker starts from the panel's chrome-extension: frame.
  await panel.evaluate(generateHar, [200, "devtools-import.har", 20_000] as [number, string, number]);
  await panel.evaluate(selectHar);
  const lines: string[] = [];
  await waitFor(
    "the imported file",
    async () => {
      const line = await panel.evaluate(progressLine);
      if (line !== null) lines.push(line);
      return (await panel.evaluate(() => document.querySelector(".banner.info")?.textContent ?? "")).includes("devtools-import.har")
        ? true
        : undefined;
    },
    60_000,
  );
  expect(lines.some((l) => l.includes("Importing devtools-import.har"))).toBe(true);
  expect(await panel.$eval("[data-filter=all] .count", (el) => el.textContent)).toBe("200");
  expect(await panel.$(".banner.error")).toBeNull();
}, 120_000);
