// Helpers for driving the built extension's panel as a tab in the system Chromium (browser-recipes §1, §3b).
import { createHash } from "node:crypto";
import { existsSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const EXT = resolve("dist/chrome");

export function requireBuild(dir = EXT): string {
  if (!existsSync(resolve(dir, "panel.js"))) throw new Error(`${dir} is not built: run npm run build first`);
  return realpathSync(dir);
}

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, hex digits mapped to a–p. */
export function extensionId(path: string): string {
  const hex = createHash("sha256").update(path).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

export async function launchChromium(dir = EXT): Promise<{ ctx: BrowserContext; id: string }> {
  const ext = requireBuild(dir);
  const ctx = await chromium.launchPersistentContext("", {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 720 },
    acceptDownloads: true,
    args: [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, "--no-sandbox", "--disable-gpu",
      "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  return { ctx, id: extensionId(ext) };
}

/** Opens panel.html as a tab; `errors` collects uncaught page errors (a view must never crash). */
export async function openPanel(ctx: BrowserContext, id: string, query = ""): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`chrome-extension://${id}/panel.html${query}`);
  await page.waitForSelector(".toolbar", { timeout: 10_000 });
  return { page, errors };
}

export async function importHar(page: Page, content: string | Buffer, name = "capture.har"): Promise<void> {
  await page.setInputFiles("input[data-import]", { name, mimeType: "application/json", buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });
}

/** The visible rows as the user reads them: verdict label, method, URL, reason. */
export async function readRows(page: Page) {
  return page.$$eval(".grid-window .grid-row", (rows) =>
    rows.map((row) => ({
      verdict: row.querySelector(".verdict-icon")?.getAttribute("aria-label") ?? "",
      method: row.querySelector(".c-method")?.textContent ?? "",
      url: row.querySelector(".c-url")?.textContent ?? "",
      preflight: row.querySelectorAll(".c-status")[0]?.textContent ?? "",
      status: row.querySelectorAll(".c-status")[1]?.textContent ?? "",
      reason: row.querySelector(".c-reason")?.textContent ?? "",
    })),
  );
}
