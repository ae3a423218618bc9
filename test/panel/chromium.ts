// Helpers for driving the built extension's panel as a tab in the system Chromium (browser-recipes §1, §3b).
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { CHROMIUM_ARGS, extensionArgs } from "../../scripts/lib/chromium.mjs";

export interface ExtensionCopy {
  dir: string;
  dispose(): void;
}

/**
 * A private copy of the built extension for one test file: other agents rebuild dist/ at any time (the build
 * empties the folder first), which must not pull files from under a running browser. `testHooks` rebuilds the
 * background with the test-only hook (Firefox: it opens an extension page that the test can then drive).
 */
export async function copyExtension(browser: "chrome" | "firefox", options: { testHooks?: boolean } = {}): Promise<ExtensionCopy> {
  const source = resolve("dist", browser);
  const deadline = Date.now() + 20_000;
  while (!["panel.js", "background.js", "devtools.js", "manifest.json"].every((f) => existsSync(join(source, f)))) {
    if (Date.now() > deadline) throw new Error(`${source} is not built: run npm run build first`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `cors-doctor-panel-${browser}-`)));
  cpSync(source, dir, { recursive: true });
  if (options.testHooks) {
    const version = JSON.parse(readFileSync("package.json", "utf8")).version as string;
    await build({
      entryPoints: ["src/background/index.ts"],
      outfile: join(dir, "background.js"),
      bundle: true,
      format: "iife",
      target: browser === "chrome" ? "chrome120" : "firefox128",
      logLevel: "warning",
      define: { __BROWSER__: JSON.stringify(browser), __VERSION__: JSON.stringify(version), __TEST__: "true" },
    });
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, hex digits mapped to a–p. */
export function extensionId(path: string): string {
  const hex = createHash("sha256").update(path).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

export async function launchChromium(): Promise<{ ctx: BrowserContext; id: string; dispose(): Promise<void> }> {
  const copy = await copyExtension("chrome");
  const ext = copy.dir;
  const ctx = await chromium.launchPersistentContext("", {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 720 },
    acceptDownloads: true,
    args: [...extensionArgs(ext), ...CHROMIUM_ARGS],
  });
  return {
    ctx,
    id: extensionId(ext),
    dispose: async () => {
      await ctx.close();
      copy.dispose();
    },
  };
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
  // A 10 000-entry file takes tens of seconds to transfer when the shared machine is loaded: bound it generously.
  await page.setInputFiles(
    "input[data-import]",
    { name, mimeType: "application/json", buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) },
    { timeout: 120_000 },
  );
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
