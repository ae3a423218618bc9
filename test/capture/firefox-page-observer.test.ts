// The page-side observer in the built extension, in Firefox ESR (its MAIN-world content script and event page):
// the same cases as in Chromium. Here it also ends a v1 limit: Firefox's webRequest shows a credentialed request
// blocked for `Access-Control-Allow-Origin: *` as completed, and without a Cookie nothing on the wire says it was
// credentialed; the page's own credentials mode does.
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "./helpers/extension";
import { type FirefoxRun, launchFirefox } from "./helpers/firefox";
import { startServer, type TestServer } from "./helpers/server";
import { CSP_RUN, itemFor, OBSERVER_PRESENT, PAGE_OBSERVER_RUN, waitForObserver } from "./page-observer-cases";

let server: TestServer;
let run: FirefoxRun;

const snapshotOf = (tabId: number) => run.snapshotOf(tabId);
const openTab = (url: string) => run.openTab(url);

async function withObserver(url: string): Promise<{ page: Page; tabId: number }> {
  const tab = await openTab(url);
  await waitForObserver(tab.page);
  return tab;
}

beforeAll(async () => {
  server = await startServer();
  run = await launchFirefox();
}, 90_000);

afterAll(async () => {
  await run?.close();
  await server?.close();
});

it("lists the request the page's CSP refused, in its tab, as not-cors-csp-connect-src", async () => {
  const { page, tabId } = await withObserver(`${server.page}/csp.html`);
  expect(await page.evaluate(`(${CSP_RUN})(${JSON.stringify({ api: server.api, tag: "csp1" })})`)).toBe("TypeError");
  const item = await waitFor("the refused request", async () => itemFor((await snapshotOf(tabId)).items, "run=csp1"), 15_000);
  expect(item.diagnosis.verdict).toBe("blocked");
  expect(item.diagnosis.blockedBy?.id).toBe("not-cors-csp-connect-src");
  expect(server.hits.some((h) => h.includes("run=csp1"))).toBe(false);
}, 60_000);

it("gives the engine the page's credentials mode and the header it could not read", async () => {
  const { page, tabId } = await withObserver(`${server.page}/page.html`);
  const seen = await page.evaluate(`(${PAGE_OBSERVER_RUN})(${JSON.stringify({ api: server.api, tag: "obs1" })})`);
  expect(seen).toEqual({ wildcard: "TypeError", total: null });
  const items = await waitFor(
    "both requests with the page's evidence",
    async () => {
      const all = (await snapshotOf(tabId)).items;
      const wildcard = itemFor(all, "wildcard?run=obs1");
      const expose = itemFor(all, "expose?run=obs1");
      return wildcard?.exchange.credentials && expose?.exchange.readHeaders ? { wildcard, expose } : null;
    },
    15_000,
  );
  // Firefox's webRequest says this request completed; the page's credentials mode shows why the page got a TypeError.
  expect(items.wildcard.exchange.credentials).toBe("include");
  expect(items.wildcard.diagnosis.verdict).toBe("blocked");
  expect(items.wildcard.diagnosis.blockedBy?.id).toBe("acao-wildcard-with-credentials");
  expect(items.expose.exchange.readHeaders).toEqual(["x-total-count"]);
  expect(items.expose.diagnosis.findings.map((f) => f.id)).toContain("response-header-not-exposed");
}, 60_000);

it("puts no observer into a tab that is not armed", async () => {
  const { page } = await openTab(`${server.page.replace("127.0.0.1", "127.0.0.2")}/page.html`);
  await new Promise((r) => setTimeout(r, 500));
  await page.reload();
  expect(await page.evaluate(OBSERVER_PRESENT)).toBe(false);
}, 60_000);
