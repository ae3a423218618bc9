// Issue 9: every server-controlled string renders as inert text. A HAR plants hostile values in header
// names and values, URLs and status text; the panel shows them (made visible), nothing executes (a canary
// global stays unset), and no element is injected.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importHar, launchChromium, openPanel } from "./chromium";
import { API, chromeHar, PAGE } from "./har-fixture";

const MEGABYTE = "A".repeat(1024 * 1024);
const hostile: [string, string][] = [
  ["X-Html", "<b>bold</b><i>italic</i>"],
  ["X-Script", "<script>window.__canary = 'script'</script>"],
  ["X-Img", "<img src=x onerror=\"window.__canary='img'\">"],
  ["X-Svg", "<svg onload=\"window.__canary='svg'\"></svg>"],
  ["X-Link", "javascript:window.__canary='link'"],
  ["X-Data", "data:text/html,<script>window.__canary='data'</script>"],
  ["X-Bidi", "safe\u202Etxt.exe\u202C end"],
  ["X-Control", "bell\u0007esc\u001b[31mred\u0000nul"],
  ["X-Huge", MEGABYTE],
  ["<img src=x onerror=\"window.__canary='name'\">", "header name is hostile"],
];

let ctx: BrowserContext;
let dispose: (() => Promise<void>) | undefined;
let page: Page;
let errors: string[];

beforeAll(async () => {
  const launched = await launchChromium();
  ctx = launched.ctx;
  dispose = launched.dispose;
  ({ page, errors } = await openPanel(ctx, launched.id));
  await page.evaluate(() => {
    // Any element the panel did not create from its own templates shows up as one of these.
    (window as unknown as { __injected: string[] }).__injected = [];
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof Element && n.matches("script, img, svg, iframe, object, embed, b, i"))
            (window as unknown as { __injected: string[] }).__injected.push(n.outerHTML.slice(0, 80));
    }).observe(document, { childList: true, subtree: true });
  });
  const har = chromeHar({ hostile });
  // The same values on the request, for copy-as-curl and the what-if editor.
  (har.log.entries[0] as { request: { headers: { name: string; value: string }[] } }).request.headers.push(
    ...hostile.map(([name, value]) => ({ name, value })),
  );
  // A hostile URL and method too.
  const first = har.log.entries[0] as { request: { url: string }; response: { statusText: string } };
  first.request.url = `${API}/ok?q=<script>window.__canary='url'</script>&n=0`;
  first.response.statusText = "<img src=x onerror=\"window.__canary='status'\">";
  await importHar(page, JSON.stringify(har), "<img src=x onerror=\"window.__canary='file'\">.har");
  await page.waitForSelector(".grid-window .grid-row", { timeout: 15_000 });
});

afterAll(async () => {
  await dispose?.();
});

async function assertInert() {
  expect(await page.evaluate(() => (window as unknown as { __canary?: string }).__canary)).toBeUndefined();
  expect(await page.evaluate(() => (window as unknown as { __injected: string[] }).__injected)).toEqual([]);
  expect(await page.locator("script:not([src])").count()).toBe(0);
  expect(errors).toEqual([]);
}

describe("hostile header values", () => {
  it("the list shows the hostile URL as text", async () => {
    expect(await page.textContent(".grid-window .grid-row .c-url")).toContain("<script>window.__canary='url'</script>");
    await assertInert();
  });

  it("raw headers: text only, control and bidi characters visible, 1 MB value cut with an expander", async () => {
    await page.locator(".grid-window .grid-row").first().click();
    await page.click("#tab-headers");
    const t0 = Date.now();
    await page.waitForSelector(".raw-headers", { timeout: 5_000 });
    expect(Date.now() - t0).toBeLessThan(2_000);
    const text = (await page.textContent(".raw-headers"))!;
    expect(text).toContain("<script>window.__canary = 'script'</script>");
    expect(text).toContain("<img src=x onerror=\"window.__canary='img'\">");
    expect(text).toContain("javascript:window.__canary='link'");
    expect(text).toContain("safe\\u202Etxt.exe\\u202C end");
    expect(text).toContain("bell\u2407esc\u241b[31mred\u2400nul");
    expect(text).not.toContain("\u202E");
    expect(text.length).toBeLessThan(100_000);
    // No link was made of the javascript: value.
    expect(await page.locator(".raw-headers a").count()).toBe(0);
    await assertInert();
  });

  it("expanding the 1 MB value renders it as text without freezing", async () => {
    const t0 = Date.now();
    await page.locator(".raw-headers .expander").first().click();
    await page.waitForFunction(() => (document.querySelector(".raw-headers")?.textContent?.length ?? 0) > 1_000_000, null, {
      timeout: 10_000,
    });
    expect(Date.now() - t0).toBeLessThan(5_000);
    await assertInert();
  });

  it("every tab renders inert: diagnosis, fix, curl, what-if", async () => {
    for (const tab of ["diagnosis", "fix", "curl", "what-if"]) {
      const t0 = Date.now();
      await page.click(`#tab-${tab}`);
      await page.waitForSelector(`#tab-${tab}[aria-selected=true]`, { timeout: 5_000 });
      expect(Date.now() - t0).toBeLessThan(2_000);
    }
    const curl = await page.evaluate(() => {
      document.querySelector<HTMLElement>("#tab-curl")!.click();
      return new Promise<string>((r) => setTimeout(() => r(document.querySelector("pre[data-curl=actual]")?.textContent ?? ""), 50));
    });
    // Control and bidi characters are escaped in the shell command, not pasted raw.
    expect(curl).toContain("$'X-Control: bell\\x07esc\\x1b[31mred\\x00nul'");
    expect(curl).toContain("\\u202e");
    await assertInert();
  });

  it("the import banner shows a hostile file name as text", async () => {
    expect(await page.textContent(".banner.info")).toContain("<img src=x onerror=\"window.__canary='file'\">.har");
    expect(PAGE).toBeTruthy();
    await assertInert();
  });
});
