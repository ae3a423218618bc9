// Live capture: the built extension's background captures a real page's cross-origin requests against a
// loopback server, and the panel (as a tab, panel.html?tabId=N) shows them, diagnoses them, and exports them.
import { readFileSync } from "node:fs";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { importHar, launchChromium, openPanel, readRows } from "./chromium";
import { startScenarioServer, type ScenarioServer } from "./server";

let ctx: BrowserContext;
let dispose: (() => Promise<void>) | undefined;
let server: ScenarioServer;
let site: Page;
let panel: Page;
let errors: string[];
let tabId: number;
let sw: Worker;

async function fetchIn(page: Page, url: string, init: RequestInit = {}) {
  return page.evaluate(
    ([u, i]) =>
      fetch(u, i).then(
        (r) => r.status,
        () => "failed",
      ),
    [url, init] as const,
  );
}

beforeAll(async () => {
  server = await startScenarioServer();
  const launched = await launchChromium();
  ctx = launched.ctx;
  dispose = launched.dispose;
  sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 10_000 }));
  site = await ctx.newPage();
  await site.goto(`${server.page}/page`);
  tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({ url: u + "/*" }))[0]!.id!, server.page);
  ({ page: panel, errors } = await openPanel(ctx, launched.id, `?tabId=${tabId}`));
  // The background's listeners go live some 150–330 ms after the worker starts (browser-recipes §1): warm up.
  for (let attempt = 0; ; attempt++) {
    await fetchIn(site, `${server.api}/api/ok?warm=${attempt}`);
    const seen = await panel
      .waitForFunction(() => !!document.querySelector(".grid-window .grid-row"), null, { timeout: 500 })
      .then(
        () => true,
        () => false,
      );
    if (seen) break;
    if (attempt >= 20) throw new Error("the background never reported a request to the panel");
  }
  await panel.click("text=Clear");
  await panel.waitForSelector(".empty", { timeout: 5_000 });
});

afterAll(async () => {
  await dispose?.();
  await server?.close();
});

describe("live capture in the panel", () => {
  it("shows each cross-origin request with its verdict as the page makes them", async () => {
    const run = Date.now().toString(36);
    expect(await fetchIn(site, `${server.api}/api/ok?run=${run}`)).toBe(200);
    expect(await fetchIn(site, `${server.api}/api/no-acao?run=${run}`)).toBe("failed");
    expect(
      await fetchIn(site, `${server.api}/api/put?run=${run}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "X-Foo": "1" },
      }),
    ).toBe("failed");
    expect(await fetchIn(site, `${server.api}/api/cred?run=${run}`, { credentials: "include" })).toBe("failed");
    // The page's promise can settle before the background saw the last event: wait for all four rows.
    await panel.waitForFunction(
      () =>
        document.querySelectorAll(".grid-window .grid-row").length === 4 &&
        ![...document.querySelectorAll(".verdict-icon")].some((i) => i.getAttribute("aria-label") === "In flight"),
      null,
      { timeout: 10_000 },
    );
    const rows = await readRows(panel);
    expect(rows.map((r) => [r.verdict === "Blocked" ? "Blocked" : "passes", r.method, new URL(r.url).pathname])).toEqual([
      ["passes", "GET", "/api/ok"],
      ["Blocked", "GET", "/api/no-acao"],
      ["Blocked", "PUT", "/api/put"],
      ["Blocked", "GET", "/api/cred"],
    ]);
    expect(rows[2]!.preflight).toBe("204");
    expect(rows[2]!.reason).toMatch(/x-foo/i);
    expect(await panel.textContent("[data-filter=blocked] .count")).toBe("3");
  });

  it("the detail explains the preflight failure, and what-if recomputes it", async () => {
    await panel.locator(".grid-window .grid-row", { hasText: "/api/put" }).click();
    await panel.waitForSelector(".detail", { timeout: 5_000 });
    expect(await panel.textContent(".verdict-box.blocked h3")).toMatch(/x-foo/i);
    expect(await panel.textContent(".timeline")).toContain("OPTIONS");
    // Live diagnoses come without recipes; the detail fills them in for the open request.
    await panel.click("#tab-fix");
    expect(await panel.locator(".fixes [role=tab]").count()).toBeGreaterThanOrEqual(10);
    expect(await panel.textContent(".fixes pre.code")).toMatch(/x-foo/i);
    await panel.click("#tab-what-if");
    const area = panel.locator("textarea[data-what-if=preflight]");
    await area.fill(
      (await area.inputValue()).replace(/Access-Control-Allow-Headers: Content-Type/i, "Access-Control-Allow-Headers: Content-Type, X-Foo"),
    );
    expect(await panel.getAttribute("[data-what-if-verdict]", "data-what-if-verdict")).toBe("allowed");
    await panel.keyboard.press("Escape");
  });

  it("filters: blocked only, search", async () => {
    await panel.click("[data-filter=blocked]");
    expect((await readRows(panel)).map((r) => new URL(r.url).pathname)).toEqual(["/api/no-acao", "/api/put", "/api/cred"]);
    await panel.fill("input[type=search]", "cred");
    expect((await readRows(panel)).map((r) => new URL(r.url).pathname)).toEqual(["/api/cred"]);
    await panel.fill("input[type=search]", "");
    await panel.click("[data-filter=all]");
  });

  it("exports a HAR 1.2 report that re-imports to the same diagnosis", async () => {
    const before = await readRows(panel);
    const [download] = await Promise.all([panel.waitForEvent("download", { timeout: 10_000 }), panel.click("text=Export HAR")]);
    const text = readFileSync((await download.path())!, "utf8");
    const har = JSON.parse(text);
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBe("CORS Doctor");
    expect(har.log.entries.filter((e: { _resourceType?: string }) => e._resourceType === "preflight")).toHaveLength(1);
    await importHar(panel, text, "live.har");
    await panel.waitForFunction(() => document.querySelector(".banner.info")?.textContent?.includes("live.har"), null, { timeout: 5_000 });
    const after = await readRows(panel);
    expect(after.map((r) => [r.verdict, r.method, r.url, r.preflight, r.reason])).toEqual(
      before.map((r) => [r.verdict, r.method, r.url, r.preflight, r.reason]),
    );
    await panel.click("text=Back to live capture");
    expect(await readRows(panel)).toEqual(before);
  });

  it("preserve log: off, a navigation starts a new list; on, the rows stay", async () => {
    // Each step ends with a marker request: once its row shows, the navigation before it was processed too.
    const marker = async (name: string) => {
      await fetchIn(site, `${server.api}/api/no-acao?${name}=${Date.now()}`);
      await panel.waitForFunction(
        (n) => [...document.querySelectorAll(".grid-window .c-url")].some((c) => c.textContent?.includes(n)),
        name,
        { timeout: 10_000 },
      );
      return (await readRows(panel)).map((r) => new URL(r.url).search.split("=")[0]);
    };
    await site.reload();
    expect(await marker("after-reload")).toEqual(["?after-reload"]);
    await panel.check("text=Preserve log");
    await site.reload();
    expect(await marker("preserved")).toEqual(["?after-reload", "?preserved"]);
    await panel.uncheck("text=Preserve log");
  });

  it("a cookie named from the browser's cookie store travels in the export, and analyze of the file names it", async () => {
    // A log-in elsewhere (the cookie is set directly in the store); the page's credentialed call then goes without it.
    await sw.evaluate((u) => chrome.cookies.set({ url: u, name: "cd_panel", value: "panel-secret" }), `${server.api}/`);
    const run = Date.now().toString(36);
    expect(await fetchIn(site, `${server.api}/api/me?run=${run}`, { credentials: "include" })).toBe("failed");
    await panel.locator(".grid-window .grid-row", { hasText: `/api/me?run=${run}` }).waitFor({ timeout: 10_000 });
    // The store is read once the 401 arrives; its sighting reaches the panel with the tab's next update.
    let har: { log: { _corsDoctor?: { cookieSightings: { setCookie: string[]; source?: string }[] } } } = { log: {} };
    for (let attempt = 0; attempt < 20 && !JSON.stringify(har.log._corsDoctor ?? "").includes("cd_panel"); attempt++) {
      if (attempt) await panel.waitForTimeout(250);
      const [download] = await Promise.all([panel.waitForEvent("download", { timeout: 10_000 }), panel.click("text=Export HAR")]);
      har = JSON.parse(readFileSync((await download.path())!, "utf8"));
    }
    expect(har.log._corsDoctor?.cookieSightings.some((s) => s.source === "jar" && s.setCookie.includes("cd_panel="))).toBe(true);
    expect(JSON.stringify(har)).not.toContain("panel-secret");
    const entry = analyzeHar(har).entries.find((e) => e.url.includes(`/api/me?run=${run}`));
    expect(entry?.diagnosis.findings.map((f) => f.id)).toContain("cookie-not-sent-samesite");
    await sw.evaluate((u) => chrome.cookies.remove({ url: u, name: "cd_panel" }), `${server.api}/`);
  });

  it("clear empties the list through the background", async () => {
    await panel.click("text=Clear");
    await panel.waitForSelector(".empty", { timeout: 5_000 });
    // and new requests still arrive after a clear
    await fetchIn(site, `${server.api}/api/no-acao?after-clear=${Date.now()}`);
    await panel.waitForSelector(".grid-window .grid-row.blocked", { timeout: 10_000 });
    expect(errors).toEqual([]);
  });
});
