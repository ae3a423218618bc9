// The page-side observer in the built extension, in the Debian Chromium: injected into an armed tab (the default
// site list arms http://127.0.0.1), it lists a request the page's CSP refused before any webRequest event, in the
// tab that made it, as not-cors-csp-connect-src; it gives the engine the page's credentials mode and the response
// headers the page tried to read. An unarmed tab gets no observer at all.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchChromium, snapshotOf, stopServiceWorker, type ChromiumRun } from "./helpers/chromium";
import { copyExtension, waitFor, type ExtensionCopy } from "./helpers/extension";
import { startServer, type TestServer } from "./helpers/server";
import { CSP_RUN, itemFor, OBSERVER_PRESENT, PAGE_OBSERVER_RUN, waitForObserver } from "./page-observer-cases";

let server: TestServer;
let ext: ExtensionCopy;
let run: ChromiumRun;
let hook: Page;

async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
  const page = await run.ctx.newPage();
  await page.goto(url);
  const tabId = await waitFor(`the tab of ${url}`, () =>
    hook.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url()),
  );
  return { page, tabId };
}

async function withObserver(url: string): Promise<{ page: Page; tabId: number }> {
  const tab = await openTab(url);
  await waitForObserver(tab.page);
  return tab;
}

beforeAll(async () => {
  server = await startServer();
  ext = await copyExtension("chrome", { testHooks: true });
  run = await launchChromium(ext.dir);
  hook = await run.ctx.newPage();
  await hook.goto(`chrome-extension://${run.extId}/popup.html?automation=1`);
}, 60_000);

afterAll(async () => {
  await run?.close();
  await server?.close();
  ext?.dispose();
});

it("lists the request the page's CSP refused, in its tab, as not-cors-csp-connect-src", async () => {
  const { page, tabId } = await withObserver(`${server.page}/csp.html`);
  expect(await page.evaluate(`(${CSP_RUN})(${JSON.stringify({ api: server.api, tag: "csp1" })})`)).toBe("TypeError");
  const item = await waitFor("the refused request", async () => itemFor((await snapshotOf(hook, tabId)).items, "run=csp1"), 15_000);
  expect(item.diagnosis.verdict).toBe("blocked");
  expect(item.diagnosis.blockedBy?.id).toBe("not-cors-csp-connect-src");
  expect(item.diagnosis.blockedBy?.chromeCorsError).toBeUndefined();
  // Nothing reached the server: the browser refused it in the renderer.
  expect(server.hits.some((h) => h.includes("run=csp1"))).toBe(false);
}, 60_000);

it("gives the engine the page's credentials mode and the header it could not read", async () => {
  const { page, tabId } = await withObserver(`${server.page}/page.html`);
  const seen = await page.evaluate(`(${PAGE_OBSERVER_RUN})(${JSON.stringify({ api: server.api, tag: "obs1" })})`);
  expect(seen).toEqual({ wildcard: "TypeError", total: null });
  const items = await waitFor(
    "both requests with the page's evidence",
    async () => {
      const all = (await snapshotOf(hook, tabId)).items;
      const wildcard = itemFor(all, "wildcard?run=obs1");
      const expose = itemFor(all, "expose?run=obs1");
      return wildcard?.exchange.credentials && expose?.exchange.readHeaders ? { wildcard, expose } : null;
    },
    15_000,
  );
  expect(items.wildcard.exchange.credentials).toBe("include");
  expect(items.wildcard.diagnosis.blockedBy?.id).toBe("acao-wildcard-with-credentials");
  expect(items.expose.exchange.readHeaders).toEqual(["x-total-count"]);
  expect(items.expose.diagnosis.verdict).toBe("allowed");
  expect(items.expose.diagnosis.findings.map((f) => f.id)).toContain("response-header-not-exposed");
}, 60_000);

it("puts no observer into a tab that is not armed", async () => {
  const unlisted = server.page.replace("127.0.0.1", "127.0.0.2");
  const { page } = await openTab(`${unlisted}/page.html`);
  await new Promise((r) => setTimeout(r, 500));
  await page.reload();
  expect(await page.evaluate(OBSERVER_PRESENT)).toBe(false);
}, 60_000);

it("is in a page whose navigation wakes the stopped background, every time", async () => {
  // A background that starts registers the observer again; it used to unregister it first, and a page loading in
  // that gap (the very page whose navigation woke the background) went without it: measured 39 of 45 with it, 45 of 45
  // now (src/background/page-observer.ts keeps a registration that already says the same).
  const { page } = await withObserver(`${server.page}/page.html?wake=0`);
  let present = 0;
  for (let i = 1; i <= 10; i++) {
    await page.goto("about:blank");
    await stopServiceWorker(run.ctx, page, run.extId);
    await page.goto(`${server.page}/page.html?wake=${i}`);
    if (await page.evaluate(OBSERVER_PRESENT)) present++;
  }
  expect(present).toBe(10);
}, 120_000);
