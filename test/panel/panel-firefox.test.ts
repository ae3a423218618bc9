// The Firefox build's panel as a tab page in Firefox ESR (browser-recipes §5): WebDriver BiDi cannot open a
// moz-extension: URL, so a test build of the background opens an extension page on install; the test turns it
// into panel.html?tabId=N of the scenario page and reads the same rows as in Chromium.
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { copyExtension, type ExtensionCopy } from "./chromium";
import { startScenarioServer, type ScenarioServer } from "./server";

const ADDON_ID = "cors-doctor@cors-doctor.dev";
const UUID = "5f1c7a0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

let browser: Browser;
let server: ScenarioServer;
let extension: ExtensionCopy | undefined;

beforeAll(async () => {
  server = await startScenarioServer();
  extension = await copyExtension("firefox", { testHooks: true });
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }) },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  extension?.dispose();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

type Row = { verdict: string | null; method: string | null; url: string | null; preflight: string | null };
const readRows = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll(".grid-window .grid-row")].map((row) => ({
      verdict: row.querySelector(".verdict-icon")?.getAttribute("aria-label") ?? null,
      method: row.querySelector(".c-method")?.textContent ?? null,
      url: row.querySelector(".c-url")?.textContent ?? null,
      preflight: row.querySelectorAll(".c-status")[0]?.textContent ?? null,
    })),
  ) as Promise<Row[]>;

it("Firefox ESR: the panel as a tab page shows the page's cross-origin requests with their verdicts", async () => {
  const site = await browser.newPage();
  await site.goto(`${server.page}/page`);
  await browser.installExtension(extension!.dir);
  // The test hook's extension tab: puppeteer may report a stale about:blank URL, so ask the page itself.
  const extPage = await waitFor("the extension page", async () => {
    for (const p of await browser.pages()) {
      const href = await p.evaluate(() => location.href).catch(() => "");
      if (href.startsWith(`moz-extension://${UUID}/`)) return p;
    }
    return undefined;
  });
  const tabId = await waitFor("the scenario tab id", () =>
    extPage.evaluate(async (u) => {
      // Firefox match patterns carry no port: list the tabs and compare URLs instead.
      const api = (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).browser;
      return (await api.tabs.query({})).find((t) => t.url?.startsWith(u + "/"))?.id;
    }, server.page),
  );
  await extPage.evaluate((id) => {
    location.href = `/panel.html?tabId=${id}`;
  }, tabId);
  await waitFor("the panel", () => extPage.evaluate(() => (location.pathname === "/panel.html" && document.querySelector(".toolbar") ? true : undefined)));

  // Listeners go live shortly after install: repeat a request until the panel shows it, then clear.
  const fetchIn = (url: string, init: RequestInit = {}) =>
    site.evaluate((u, i) => fetch(u, i).then((r) => r.status, () => "failed"), url, init as Record<string, unknown>);
  await waitFor("the first captured request", async () => {
    await fetchIn(`${server.api}/api/ok?warm=${Date.now()}`);
    await new Promise((r) => setTimeout(r, 200));
    return (await readRows(extPage)).length > 0 ? true : undefined;
  });
  await extPage.evaluate(() => [...document.querySelectorAll("button")].find((b) => b.textContent?.includes("Clear"))!.click());
  await waitFor("an empty list", async () => ((await readRows(extPage)).length === 0 ? true : undefined));

  const run = Date.now().toString(36);
  expect(await fetchIn(`${server.api}/api/ok?run=${run}`)).toBe(200);
  expect(await fetchIn(`${server.api}/api/no-acao?run=${run}`)).toBe("failed");
  expect(await fetchIn(`${server.api}/api/put?run=${run}`, { method: "PUT", headers: { "Content-Type": "application/json", "X-Foo": "1" } })).toBe("failed");
  expect(await fetchIn(`${server.api}/api/cred?run=${run}`, { credentials: "include" })).toBe("failed");
  const rows = await waitFor("four settled rows", async () => {
    const r = await readRows(extPage);
    return r.length === 4 && !r.some((x) => x.verdict === "In flight") ? r : undefined;
  });
  // The credentialed request with ACAO "*" (no cookie to send) is blocked in the page, but Firefox's webRequest
  // reports it completed and shows nothing that reveals credentials mode "include": its verdict depends on
  // what capture can infer, so only its presence is checked here.
  expect(rows.map((r) => [new URL(r.url!).pathname === "/api/cred" ? "(any)" : r.verdict === "Blocked" ? "Blocked" : "passes", r.method, new URL(r.url!).pathname])).toEqual([
    ["passes", "GET", "/api/ok"],
    ["Blocked", "GET", "/api/no-acao"],
    ["Blocked", "PUT", "/api/put"],
    ["(any)", "GET", "/api/cred"],
  ]);
  expect(rows[2]!.preflight).toBe("204");
  // The detail renders in Firefox too, with Firefox's console line.
  await extPage.evaluate(() => (document.querySelectorAll(".grid-window .grid-row")[2] as HTMLElement).click());
  const consoleLines = await waitFor("the detail", () =>
    extPage.evaluate(() => {
      const lines = [...document.querySelectorAll(".console-line")].map((e) => e.textContent ?? "");
      return lines.length ? lines : undefined;
    }),
  );
  expect(consoleLines.join("\n")).toContain("Cross-Origin Request Blocked");
});
