#!/usr/bin/env node
// Screenshots of the CORS panel for the README: light and dark, list and detail.
// Headless system Chromium loads the built extension (dist/chrome), opens the panel as a tab
// (panel.html?theme=…), imports a Chrome-style HAR of the common failures, and captures it.
// Usage: npm run build && node scripts/screenshots.mjs
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, extensionArgs } from "./lib/chromium.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXT = realpathSync(join(root, "dist/chrome"));
const OUT = join(root, "docs/screenshots");

/** Chromium's id for an unpacked extension: SHA-256 of its absolute path, hex digits mapped to a–p. */
function extensionId(path) {
  const hex = createHash("sha256").update(path).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}

async function loadFixture() {
  const result = await build({
    entryPoints: [join(root, "test/panel/har-fixture.ts")],
    bundle: true,
    format: "esm",
    write: false,
    platform: "node",
    logLevel: "error",
  });
  const code = result.outputFiles[0].text;
  return import("data:text/javascript;base64," + Buffer.from(code).toString("base64"));
}

const { chromeHar } = await loadFixture();
const har = JSON.stringify(chromeHar());
mkdirSync(OUT, { recursive: true });

const ctx = await chromium.launchPersistentContext("", {
  executablePath: "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1280, height: 640 },
  deviceScaleFactor: 1,
  args: [...extensionArgs(EXT), ...CHROMIUM_ARGS],
});
try {
  const id = extensionId(EXT);
  for (const theme of ["light", "dark"]) {
    const page = await ctx.newPage();
    await page.goto(`chrome-extension://${id}/panel.html?theme=${theme}`);
    await page.setInputFiles("input[data-import]", { name: "example.har", mimeType: "application/json", buffer: Buffer.from(har) });
    await page.waitForSelector(".grid-row[data-id]", { timeout: 10_000 });
    await page.setViewportSize({ width: 1280, height: 360 });
    await page.screenshot({ path: join(OUT, `panel-${theme}-list.png`) });
    await page.setViewportSize({ width: 1280, height: 960 });
    // The first blocked request with a preflight: the richest detail.
    await page.locator(".grid-row.blocked", { hasText: "PUT" }).first().click();
    await page.waitForSelector(".detail", { timeout: 10_000 });
    await page.screenshot({ path: join(OUT, `panel-${theme}-detail.png`) });
    await page.close();
  }
  console.log(`wrote ${OUT}/panel-{light,dark}-{list,detail}.png`);
} finally {
  await ctx.close();
}
