// The Firefox build's panel as a tab page in Firefox ESR (browser-recipes §5): WebDriver BiDi cannot open a
// moz-extension: URL, so a test build of the background opens an extension page on install; the test turns it
// into panel.html?tabId=N of the scenario page and reads the same rows as in Chromium.
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hrefOf } from "../capture/helpers/firefox";
import { copyExtension, type ExtensionCopy } from "./chromium";
import { generateHar, heartbeat, progressLine, selectHar, startHeartbeat } from "./import-load";
import { startScenarioServer, type ScenarioServer } from "./server";

const ADDON_ID = "cors-doctor@cors-doctor.dev";
const UUID = "5f1c7a0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

let browser: Browser;
let server: ScenarioServer;
let extension: ExtensionCopy | undefined;
/** The extension page turned into panel.html?tabId=N by the first test; the import test reuses it. */
let panelPage: Page | undefined;
let attempts = 0;
let installed: Promise<unknown> | undefined;

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
  // A page of this attempt's own (CI retries a failed test once, in the same browser): the tab is found by its URL.
  const pageUrl = `${server.page}/page?attempt=${++attempts}`;
  const site = await browser.newPage();
  await site.goto(pageUrl);
  installed ??= browser.installExtension(extension!.dir);
  await installed;
  // The test hook's extension tab: puppeteer may report a stale about:blank URL, so ask the page itself.
  const extPage = await waitFor("the extension page", async () => {
    for (const p of await browser.pages()) if ((await hrefOf(p)).startsWith(`moz-extension://${UUID}/`)) return p;
    return undefined;
  });
  const tabId = await waitFor("the scenario tab id", () =>
    extPage.evaluate(async (u) => {
      // Firefox match patterns carry no port: list the tabs and compare URLs instead.
      const api = (globalThis as unknown as { browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> } } }).browser;
      return (await api.tabs.query({})).find((t) => t.url === u)?.id;
    }, pageUrl),
  );
  await extPage.evaluate((id) => {
    location.href = `/panel.html?tabId=${id}`;
  }, tabId);
  await waitFor("the panel", () =>
    extPage.evaluate(() => (location.pathname === "/panel.html" && document.querySelector(".toolbar") ? true : undefined)),
  );
  panelPage = extPage;

  // Listeners go live shortly after install: repeat a request until the panel shows it, then clear.
  const fetchIn = (url: string, init: RequestInit = {}) =>
    site.evaluate(
      (u, i) =>
        fetch(u, i).then(
          (r) => r.status,
          () => "failed",
        ),
      url,
      init as Record<string, unknown>,
    );
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
  expect(
    await fetchIn(`${server.api}/api/put?run=${run}`, { method: "PUT", headers: { "Content-Type": "application/json", "X-Foo": "1" } }),
  ).toBe("failed");
  expect(await fetchIn(`${server.api}/api/cred?run=${run}`, { credentials: "include" })).toBe("failed");
  // This run's rows only: a warm-up request captured just before the Clear can still reach the panel after it.
  const rows = await waitFor("four settled rows", async () => {
    const r = (await readRows(extPage)).filter((x) => x.url?.includes(`run=${run}`));
    return r.length === 4 && !r.some((x) => x.verdict === "In flight") ? r : undefined;
  });
  // The credentialed request with ACAO "*" (no cookie to send) is blocked in the page, but Firefox's webRequest
  // reports it completed and shows nothing that reveals credentials mode "include": its verdict depends on
  // what capture can infer, so only its presence is checked here.
  expect(
    rows.map((r) => [
      new URL(r.url!).pathname === "/api/cred" ? "(any)" : r.verdict === "Blocked" ? "Blocked" : "passes",
      r.method,
      new URL(r.url!).pathname,
    ]),
  ).toEqual([
    ["passes", "GET", "/api/ok"],
    ["Blocked", "GET", "/api/no-acao"],
    ["Blocked", "PUT", "/api/put"],
    ["(any)", "GET", "/api/cred"],
  ]);
  expect(rows[2]!.preflight).toBe("204");
  // The detail renders in Firefox too, with Firefox's console line.
  await extPage.evaluate(
    (tag) =>
      (
        [...document.querySelectorAll(".grid-window .grid-row")].find((row) =>
          row.querySelector(".c-url")?.textContent?.includes(`/api/put?run=${tag}`),
        ) as HTMLElement
      ).click(),
    run,
  );
  const consoleLines = await waitFor("the detail", () =>
    extPage.evaluate(() => {
      const lines = [...document.querySelectorAll(".console-line")].map((e) => e.textContent ?? "");
      return lines.length ? lines : undefined;
    }),
  );
  expect(consoleLines.join("\n")).toContain("Cross-Origin Request Blocked");
});

it("Firefox ESR: HAR import runs in the worker, shows progress, keeps the page responsive, and Cancel stops it", {
  timeout: 240_000,
}, async () => {
  const page = panelPage!;
  expect(page, "the first test opens the panel").toBeDefined();
  const text = () => page.evaluate(() => document.querySelector(".app")?.textContent ?? "");
  // A complete import: the worker starts from the moz-extension: origin under connect-src 'none'.
  await page.evaluate(generateHar, [300, "firefox-large.har", 40_000] as [number, string, number]);
  await page.evaluate(startHeartbeat);
  await page.evaluate(selectHar);
  const lines: string[] = [];
  await waitFor(
    "the import to finish",
    async () => {
      const line = await page.evaluate(progressLine);
      if (line !== null && lines.at(-1) !== line) lines.push(line);
      const banner = await page.evaluate(() => document.querySelector(".banner.info")?.textContent ?? "");
      return banner.includes("firefox-large.har") ? true : undefined;
    },
    180_000,
  ).catch(async (error) => {
    throw new Error(`${String(error)}; panel: ${(await text()).slice(0, 500)}`);
  });
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.every((l) => l.includes("Importing firefox-large.har"))).toBe(true);
  expect(await page.evaluate(() => document.querySelector("[data-filter=all] .count")?.textContent)).toBe("300");
  const beat = await page.evaluate(heartbeat);
  expect(beat.ended).toBe(true);
  expect(beat.maxGap).toBeLessThan(2000);
  console.log(
    `Firefox: import of 300 entries (~12 MiB) in ${beat.durationMs.toFixed(0)} ms, longest gap ${beat.maxGap.toFixed(0)} ms; progress: ${lines.join(" | ")}`,
  );

  // Cancel a larger one: the list stays as it was.
  await page.evaluate(generateHar, [3_000, "firefox-huge.har", 16_000] as [number, string, number]);
  await page.evaluate(selectHar);
  await waitFor(
    "the progress banner",
    () => page.evaluate(() => (document.querySelector("[data-import-cancel]") ? true : undefined)),
    30_000,
  );
  await page.evaluate(() => document.querySelector<HTMLElement>("[data-import-cancel]")!.click());
  await waitFor(
    "the progress banner to go",
    () => page.evaluate(() => (document.querySelector("[data-import-progress]") ? undefined : true)),
    5_000,
  );
  await new Promise((r) => setTimeout(r, 2_000));
  expect(await page.evaluate(() => document.querySelector(".banner.notice")?.textContent)).toContain(
    "Import of firefox-huge.har cancelled",
  );
  expect(await page.evaluate(() => document.querySelector(".banner.info")?.textContent)).toContain("firefox-large.har");
  expect(await page.evaluate(() => document.querySelector("[data-filter=all] .count")?.textContent)).toBe("300");
});
