// The panel as a tab in the system Chromium, fed by importing a Chrome-style HAR (no live capture needed):
// rows, filters, keyboard, detail contents, what-if, curl, export → re-import, broken files, 10 000 rows.
import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importHar, launchChromium, openPanel, readRows } from "./chromium";
import { API, chromeHar, PAGE } from "./har-fixture";
import { generateHar, heartbeat, progressLine, selectHar, startHeartbeat } from "./import-load";

let ctx: BrowserContext;
let dispose: (() => Promise<void>) | undefined;
let id: string;
let page: Page;
let errors: string[];

beforeAll(async () => {
  ({ ctx, id, dispose } = await launchChromium());
  ({ page, errors } = await openPanel(ctx, id));
  await importHar(page, JSON.stringify(chromeHar()), "chrome-devtools.har");
  await page.waitForSelector(".grid-window .grid-row", { timeout: 10_000 });
});

afterAll(async () => {
  await dispose?.();
});

async function setSearch(text: string) {
  await page.fill("input[type=search]", text);
}

async function openRow(urlPart: string) {
  await page.locator(".grid-window .grid-row", { hasText: urlPart }).first().click();
  await page.waitForSelector(".detail", { timeout: 5_000 });
}

describe("request list from an imported Chrome HAR", () => {
  it("lists one row per cross-origin request, preflights folded in, same-origin left out", async () => {
    const rows = await readRows(page);
    expect(rows.map((r) => [r.verdict, r.method, r.url.replace(API, ""), r.preflight, r.status])).toEqual([
      ["Allowed", "GET", "/ok?n=0", "—", "200"],
      ["Blocked", "GET", "/no-acao?n=0", "—", "200"],
      ["Blocked", "PUT", "/put?n=0", "204", "not sent"],
      ["Blocked", "GET", "/cred?n=0", "—", "200"],
      ["Allowed", "PUT", "/put-ok?n=0", "204", "200"],
    ]);
    expect(rows[2]!.reason).toMatch(/x-foo/i);
    expect(rows[3]!.reason).toMatch(/\*/);
    expect(await page.textContent(".banner.info")).toContain("chrome-devtools.har");
  });

  // Each row: the filter the user sets, and the URLs that must remain (in order).
  const filters: [string, (p: Page) => Promise<void>, string[]][] = [
    ["blocked only", (p) => p.click("[data-filter=blocked]"), ["/no-acao?n=0", "/put?n=0", "/cred?n=0"]],
    [
      "search over the reason",
      async (p) => {
        await p.click("[data-filter=all]");
        await setSearch("x-foo");
      },
      ["/put?n=0"],
    ],
    ["search over the URL", () => setSearch("put-ok"), ["/put-ok?n=0"]],
    [
      "blocked first",
      async (p) => {
        await setSearch("");
        await p.click("button[aria-pressed]");
      },
      ["/no-acao?n=0", "/put?n=0", "/cred?n=0", "/ok?n=0", "/put-ok?n=0"],
    ],
    ["chronological again", (p) => p.click("button[aria-pressed]"), ["/ok?n=0", "/no-acao?n=0", "/put?n=0", "/cred?n=0", "/put-ok?n=0"]],
    [
      "by initiator origin",
      (p) => p.selectOption("select[aria-label='Initiator origin']", PAGE).then(() => undefined),
      ["/ok?n=0", "/no-acao?n=0", "/put?n=0", "/cred?n=0", "/put-ok?n=0"],
    ],
  ];
  it.each(filters)("filter: %s", async (_name, apply, urls) => {
    await apply(page);
    const rows = await readRows(page);
    expect(rows.map((r) => r.url.replace(API, ""))).toEqual(urls);
  });

  it("keyboard: / focuses search, arrows move the selection, Enter opens, Escape closes", async () => {
    await page.keyboard.press("Escape");
    await page.click(".grid-row.header");
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
    await page.focus(".request-list");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    expect(await page.textContent(".grid-row.selected .c-url")).toBe(`${API}/put?n=0`);
    expect(await page.getAttribute(".request-list", "aria-activedescendant")).toBe(await page.getAttribute(".grid-row.selected", "id"));
    await page.keyboard.press("Enter");
    await page.waitForSelector(".detail", { timeout: 5_000 });
    await page.keyboard.press("ArrowUp");
    expect(await page.textContent(".detail-url")).toContain("/no-acao?n=0");
    await page.keyboard.press("Escape");
    await page.waitForSelector(".detail", { state: "detached", timeout: 5_000 });
  });
});

describe("detail of a blocked preflighted request", () => {
  it("explains the failure with both console lines, the spec link, the timeline and the header table", async () => {
    await openRow("/put?n=0");
    const box = page.locator(".verdict-box.blocked");
    await expect(box.locator("h3").textContent()).resolves.toMatch(/x-foo/i);
    await expect(box.locator(".console-line").nth(0).textContent()).resolves.toContain("has been blocked by CORS policy");
    await expect(box.locator(".console-line").nth(1).textContent()).resolves.toContain("Cross-Origin Request Blocked");
    expect(await box.locator("a.spec-link").getAttribute("href")).toMatch(/^https:\/\/fetch\.spec\.whatwg\.org\//);
    const steps = await page.$$eval(".timeline .step-kind", (els) => els.map((e) => e.textContent));
    expect(steps).toEqual(["Preflight", "Request", "Outcome"]);
    const table = await page.$$eval(".comparison tbody[data-request=preflight] tr:not(.section)", (trs) =>
      trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)),
    );
    const xFoo = table.find((r) => r[0] === "Header x-foo");
    expect(xFoo?.[3]).toBe("Content-Type");
    expect(xFoo?.[4]).toMatch(/fail/);
    expect(table.find((r) => r[0] === "Header content-type")?.[4]).toMatch(/pass/);
    expect(table.find((r) => r[0] === "Status")?.[4]).toMatch(/pass/);
  });

  it("says when no preflight was needed, and why", async () => {
    await openRow("/no-acao?n=0");
    expect(await page.textContent(".timeline")).toMatch(/No preflight needed.*GET is a CORS-safelisted method/);
  });

  it("offers fix recipes per stack, filled with the request's header", async () => {
    await openRow("/put?n=0");
    await page.click("[role=tab]#tab-fix");
    const stacks = await page.$$eval(".fixes [role=tab]", (els) => els.map((e) => e.textContent));
    expect(stacks.length).toBeGreaterThan(0);
    expect((await page.textContent(".fixes pre.code"))!.toLowerCase()).toContain("x-foo");
  });

  it("copies preflight and request as curl with Origin and Access-Control-Request-*, secrets removed", async () => {
    await page.click("[role=tab]#tab-curl");
    const preflight = await page.textContent("pre[data-curl=preflight]");
    expect(preflight).toContain("-X OPTIONS");
    expect(preflight).toContain(`'Origin: ${PAGE}'`);
    expect(preflight).toContain("'Access-Control-Request-Method: PUT'");
    expect(preflight).toContain("'Access-Control-Request-Headers: content-type,x-foo'");
    await openRow("/cred?n=0");
    await page.click("[role=tab]#tab-curl");
    const actual = await page.textContent("pre[data-curl=actual]");
    expect(actual).toContain("Cookie: session=[redacted]");
    expect(actual).not.toContain("SECRET-COOKIE-CANARY");
  });

  it("what-if: allowing x-foo in the preflight response turns the verdict to allowed at once", async () => {
    await openRow("/put?n=0");
    await page.click("[role=tab]#tab-what-if");
    expect(await page.getAttribute("[data-what-if-verdict]", "data-what-if-verdict")).toBe("blocked");
    const area = page.locator("textarea[data-what-if=preflight]");
    const text = await area.inputValue();
    await area.fill(text.replace("Access-Control-Allow-Headers: Content-Type", "Access-Control-Allow-Headers: Content-Type, X-Foo"));
    expect(await page.getAttribute("[data-what-if-verdict]", "data-what-if-verdict")).toBe("allowed");
    // and the credentials mode: '*' with credentials blocks
    await openRow("/ok?n=0");
    await page.click("[role=tab]#tab-what-if");
    await page.locator("textarea[data-what-if=actual]").fill("Access-Control-Allow-Origin: *");
    expect(await page.getAttribute("[data-what-if-verdict]", "data-what-if-verdict")).toBe("allowed");
    await page.selectOption(".what-if select", "include");
    expect(await page.getAttribute("[data-what-if-verdict]", "data-what-if-verdict")).toBe("blocked");
  });
});

describe("export and import", () => {
  async function exportReport(): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.click("text=Export HAR")]);
    return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, "utf8") };
  }

  it("exports a redacted HAR 1.2 report that re-imports to the same diagnosis", async () => {
    await page.keyboard.press("Escape");
    const before = await readRows(page);
    const { name, text } = await exportReport();
    expect(name).toMatch(/^cors-doctor-127\.0\.0\.1-.*\.har$/);
    expect(name).not.toContain("SECRETS");
    const har = JSON.parse(text);
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator.name).toBe("CORS Doctor");
    expect(har.log.entries.length).toBeGreaterThanOrEqual(7);
    expect(har.log.entries.some((e: { _resourceType?: string }) => e._resourceType === "preflight")).toBe(true);
    expect(text).not.toContain("SECRET-COOKIE-CANARY");
    await importHar(page, text, name);
    await page.waitForFunction((n) => document.querySelector(".banner.info")?.textContent?.includes(n), name, { timeout: 5_000 });
    expect(await readRows(page)).toEqual(before);
  });

  it("exporting an imported CORS Doctor file keeps the cookies it says were set outside its log", async () => {
    const har = JSON.parse((await exportReport()).text);
    const target = har.log.entries.findIndex((e: { request: { url: string } }) => e.request.url.includes("/cred?"));
    expect(target).toBeGreaterThan(0);
    har.log._corsDoctor = {
      ...har.log._corsDoctor,
      cookieSightings: [{ beforeEntry: target, url: `${API}/login`, setCookie: ["sid=[redacted]; Path=/; SameSite=Lax"], source: "jar" }],
    };
    await importHar(page, JSON.stringify(har), "with-sightings.har");
    await page.waitForFunction(() => document.querySelector(".banner.info")?.textContent?.includes("with-sightings.har"), null, {
      timeout: 5_000,
    });
    const again = JSON.parse((await exportReport()).text);
    const sightings = again.log._corsDoctor?.cookieSightings ?? [];
    expect(sightings.map((s: { url: string; setCookie: string[]; source?: string }) => [s.url, s.setCookie, s.source])).toEqual([
      [`${API}/login`, ["sid=[redacted]; Path=/; SameSite=Lax"], "jar"],
    ]);
    expect(again.log.entries[sightings[0].beforeEntry].request.url).toContain("/cred?");
  });

  it("includes secrets only when asked, and says so in a banner and the file name", async () => {
    // The re-imported report above is redacted already: start again from the original capture.
    await importHar(page, JSON.stringify(chromeHar()), "original.har");
    await page.waitForFunction(() => document.querySelector(".banner.info")?.textContent?.includes("original.har"), null, {
      timeout: 5_000,
    });
    await page.check(".secrets input");
    expect(await page.textContent(".banner.warning")).toMatch(/include secrets/i);
    const { name, text } = await exportReport();
    expect(name).toContain("WITH-SECRETS");
    expect(text).toContain("SECRET-COOKIE-CANARY");
    await page.uncheck(".secrets input");
  });

  // Each row: a broken file and what the message must say. The view behind it stays as it was.
  const broken: [string, string | Buffer, RegExp][] = [
    ["not JSON", "this is not json", /not valid JSON/],
    ["JSON without log", '{"foo": 1}', /not a HAR file/i],
    ["entries not a list", '{"log": {"entries": 5}}', /not a HAR file/i],
    ["binary bytes", Buffer.from([0, 1, 2, 255, 254, 0x89, 0x50, 0x4e, 0x47]), /not valid JSON/],
    ["truncated", JSON.stringify(chromeHar()).slice(0, 500), /not valid JSON/],
    ["wrong types inside", '{"log": {"entries": [{"request": 7, "response": "x"}]}}', /.+/],
  ];
  it.each(broken)("a broken file (%s) gives one clear message and no crash", async (_name, content, message) => {
    const rowsBefore = await readRows(page);
    await importHar(page, content, "broken.har");
    const alert = page.locator(".banner.error");
    await alert.waitFor({ timeout: 5_000 });
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toMatch(message);
    expect(await readRows(page)).toEqual(rowsBefore);
    expect(errors).toEqual([]);
    await page.click(".banner.error .link-button");
  });
});

describe("HAR files saved by the browsers' own DevTools (committed recordings)", () => {
  // Each row: the recording, and whether each request path was blocked (redirect hops fold into their first
  // request). Allowed requests may carry warnings (e.g. a missing Vary: Origin): "passes" covers both.
  const recorded: [string, [string, string][]][] = [
    [
      "chrome-devtools.har",
      [
        ["get-acao-exact-origin", "passes"],
        ["get-acao-missing", "Blocked"],
        ["acah-missing", "Blocked"],
        ["cred-acao-wildcard", "Blocked"],
        ["preflight-ok-actual-ok", "passes"],
        ["redirect-same-origin-302", "passes"],
      ],
    ],
    [
      "firefox-devtools.har",
      [
        ["get-acao-exact-origin", "passes"],
        ["get-acao-missing", "Blocked"],
        ["acah-missing", "Blocked"],
        ["cred-acao-wildcard", "Blocked"],
        ["preflight-ok-actual-ok", "passes"],
        ["redirect-same-origin-302", "passes"],
      ],
    ],
  ];
  it.each(recorded)("imports %s and diagnoses it offline", async (file, expected) => {
    await page.click("[data-filter=all]");
    await importHar(page, readFileSync(`test/fixtures/devtools/${file}`), file);
    await page.waitForFunction((n) => document.querySelector(".banner.info")?.textContent?.includes(n), file, { timeout: 5_000 });
    const rows = await readRows(page);
    expect(rows.map((r) => [new URL(r.url).pathname.replace("/m/", ""), r.verdict === "Blocked" ? "Blocked" : "passes"])).toEqual(expected);
    const preflighted = rows.find((r) => r.url.includes("acah-missing"))!;
    expect(preflighted.preflight).toBe("204");
    expect(errors).toEqual([]);
  });
});

describe("10 000 rows", () => {
  it("renders only the visible rows, filters and scrolls within budget", { timeout: 240_000 }, async () => {
    const har = JSON.stringify(chromeHar({ repeat: 2000 }));
    await importHar(page, har, "big.har");
    await page.waitForFunction(() => document.querySelector(".banner.info")?.textContent?.includes("big.har"), null, { timeout: 30_000 });
    expect(await page.textContent("[data-filter=all] .count")).toBe("10000");
    expect(await page.locator(".grid-window .grid-row").count()).toBeLessThan(80);
    // Time from the user's action to the updated DOM (Preact renders in a microtask after the state change).
    const timings = await page.evaluate(async () => {
      const settle = () => new Promise((r) => setTimeout(r, 0));
      const search = document.querySelector<HTMLInputElement>("input[type=search]")!;
      const measure = async (act: () => void) => {
        const t0 = performance.now();
        act();
        await settle();
        return performance.now() - t0;
      };
      const type = (text: string) => () => {
        search.value = text;
        search.dispatchEvent(new Event("input", { bubbles: true }));
      };
      const filter: number[] = [];
      for (const text of ["x-foo", "n=1999", "", "cred", ""]) filter.push(await measure(type(text)));
      // Best of three each: the machine is shared with other browsers; the minimum measures the panel.
      const blocked: number[] = [];
      const all: number[] = [];
      const scroll: number[] = [];
      const body = document.querySelector<HTMLElement>(".grid-body")!;
      for (let i = 0; i < 3; i++) {
        blocked.push(await measure(() => document.querySelector<HTMLElement>("[data-filter=blocked]")!.click()));
        all.push(await measure(() => document.querySelector<HTMLElement>("[data-filter=all]")!.click()));
        scroll.push(
          await measure(() => {
            body.scrollTop = i % 2 ? 0 : body.scrollHeight;
            body.dispatchEvent(new Event("scroll"));
          }),
        );
      }
      body.scrollTop = body.scrollHeight;
      body.dispatchEvent(new Event("scroll"));
      await settle();
      return { filter, blocked, all, scroll, rows: document.querySelectorAll(".grid-window .grid-row").length };
    });
    expect(Math.min(...timings.filter)).toBeLessThan(50);
    expect(Math.min(...timings.blocked)).toBeLessThan(200);
    expect(Math.min(...timings.all)).toBeLessThan(200);
    expect(Math.min(...timings.scroll)).toBeLessThan(200);
    expect(timings.rows).toBeLessThan(80);
    await page.waitForFunction(
      () => document.querySelector(".grid-window .grid-row:last-child .c-url")?.textContent?.includes("n=1999"),
      null,
      { timeout: 5_000 },
    );
    expect(errors).toEqual([]);
  });
});

describe("theme", () => {
  // Each row: the URL query, the colour scheme the system prefers, the theme the panel must use.
  const cases: [string, "light" | "dark", string][] = [
    ["", "light", "light"],
    ["", "dark", "dark"],
    ["?theme=dark", "light", "dark"],
    ["?theme=light", "dark", "light"],
  ];
  it.each(cases)("query %j with a %s system theme → %s", async (query, scheme, expected) => {
    const { page: themed } = await openPanel(ctx, id, query);
    await themed.emulateMedia({ colorScheme: scheme });
    await themed.waitForFunction((t) => document.documentElement.dataset.theme === t, expected, { timeout: 5_000 });
    await themed.close();
  });
});

describe("import off the panel's thread (import-worker.js)", () => {
  /**
   * The longest the panel's thread may stall during an import. Before the worker it stalled for the whole import
   * (≈ 20 s for the file below on the shared CI box); with it, what remains is scheduling noise on two cores
   * shared with other browsers (up to ≈ 0.8 s seen at load 25).
   */
  const MAX_GAP_MS = 2000;

  /** Polls the progress line from Node until the import ends; returns every distinct line seen. */
  async function watchProgress(timeoutMs: number): Promise<string[]> {
    const seen: string[] = [];
    const end = Date.now() + timeoutMs;
    for (;;) {
      const line = await page.evaluate(progressLine);
      if (line === null && seen.length) return seen;
      if (line !== null && seen.at(-1) !== line) seen.push(line);
      if (Date.now() > end) throw new Error(`import still running after ${timeoutMs} ms: ${seen.join(" | ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it("a large file shows its progress (bytes, then entries) while the panel's thread keeps ticking", { timeout: 240_000 }, async () => {
    await page.keyboard.press("Escape");
    const bytes = await page.evaluate(generateHar, [1_500, "large.har", 16_000] as [number, string, number]);
    expect(bytes).toBeGreaterThan(20 * 1024 * 1024);
    await page.evaluate(startHeartbeat);
    await page.evaluate(selectHar);
    const lines = await watchProgress(180_000);
    await page.waitForFunction(() => document.querySelector(".banner.info")?.textContent?.includes("large.har"), null, { timeout: 30_000 });
    expect(lines.every((l) => l.includes("Importing large.har"))).toBe(true);
    expect(lines.some((l) => /diagnosing 1,500 entries/.test(l))).toBe(true);
    expect(await page.textContent("[data-filter=all] .count")).toBe("1500");
    const beat = await page.evaluate(heartbeat);
    expect(beat.ended).toBe(true);
    expect(beat.ticks).toBeGreaterThan(10);
    expect(beat.maxGap, `longest stall of the panel's thread during a ${beat.durationMs.toFixed(0)} ms import`).toBeLessThan(MAX_GAP_MS);
    console.log(
      `import of ${(bytes / 1048576).toFixed(1)} MiB / 1,500 entries: ${beat.durationMs.toFixed(0)} ms, ${beat.ticks} heartbeat ticks, longest gap ${beat.maxGap.toFixed(0)} ms`,
    );
    expect(errors).toEqual([]);
  });

  it("Cancel stops a huge import at once, and the view stays as it was", { timeout: 120_000 }, async () => {
    // The list is virtualised: the rows in the window depend on the banners above it, so compare the head.
    const visibleHead = async () => (await readRows(page)).slice(0, 10);
    const rowsBefore = await visibleHead();
    const countBefore = await page.textContent("[data-filter=all] .count");
    const bannerBefore = await page.textContent(".banner.info");
    // ~144 MiB (the limit is 200): large enough that an idle machine is still reading it when Cancel is clicked
    // (3,000 entries, 48 MiB, were read whole within the 500 ms below on an idle machine).
    await page.evaluate(generateHar, [9_000, "huge.har", 16_000] as [number, string, number]);
    await page.evaluate(startHeartbeat);
    await page.evaluate(selectHar);
    await page.waitForSelector("[data-import-progress]", { timeout: 30_000 }).catch(async (error) => {
      throw new Error(`no progress banner (${await page.textContent(".app")})`, { cause: error });
    });
    // Let the worker get into its work, then cancel.
    await page.waitForTimeout(200);
    const t0 = Date.now();
    await page.click("[data-import-cancel]");
    await page.waitForSelector("[data-import-progress]", { state: "detached", timeout: 5_000 });
    const cancelMs = Date.now() - t0;
    expect(await page.textContent(".banner.notice")).toContain("Import of huge.har cancelled");
    // Nothing arrives later from the terminated worker: the previous import is still shown.
    await page.waitForTimeout(2_000);
    expect(await page.textContent(".banner.info")).toBe(bannerBefore);
    expect(await visibleHead()).toEqual(rowsBefore);
    expect(await page.textContent("[data-filter=all] .count")).toBe(countBefore);
    const beat = await page.evaluate(heartbeat);
    expect(beat.maxGap).toBeLessThan(MAX_GAP_MS);
    console.log(
      `cancel of a 9,000-entry (~144 MiB) import: progress gone ${cancelMs} ms after the click; longest gap ${beat.maxGap.toFixed(0)} ms`,
    );

    // Escape cancels too.
    await page.evaluate(selectHar);
    await page.waitForSelector("[data-import-progress]", { timeout: 30_000 });
    await page.keyboard.press("Escape");
    await page.waitForSelector("[data-import-progress]", { state: "detached", timeout: 5_000 });
    expect(await page.textContent(".banner.info")).toBe(bannerBefore);
    expect(errors).toEqual([]);
  });

  it("a file over the size limit is refused before any reading, with a message", async () => {
    await page.evaluate(() => {
      // A sparse 201 MB file costs no memory: the limit is checked on the size before anything is read.
      const file = new File([new Uint8Array(201 * 1024 * 1024)], "too-big.har");
      const input = document.querySelector<HTMLInputElement>("input[data-import]")!;
      const transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await page.waitForSelector(".banner.error", { timeout: 10_000 });
    expect(await page.textContent(".banner.error")).toMatch(/too large to import here.*cors-doctor analyze/);
    await page.click(".banner.error .link-button");
  });
});
