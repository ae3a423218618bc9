// What Chromium's install prompt says for the built extension, from Chromium itself:
// `chrome.management.getPermissionWarningsByManifest` runs the browser's own permission-message rules on a
// manifest (no `management` permission needed). The prompt has one line, for the host permissions (and the DevTools
// page); `cookies`, `scripting`, `storage` and `webRequest` add none. A control manifest with one more permission
// (`history`) shows the check can tell.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";

let browser: Browser;
let extensionDir: string;

beforeAll(async () => {
  // A private copy: other test files may rebuild dist/ while this one runs.
  extensionDir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-ext-"));
  fs.cpSync(path.resolve("dist/chrome"), extensionDir, { recursive: true });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    // The warnings are localized: the test reads the English ones.
    args: [...CHROMIUM_ARGS, "--lang=en-US"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  fs.rmSync(extensionDir, { recursive: true, force: true });
});

test("Chromium's install prompt for the built extension: one line, and the cookies permission adds nothing to it", async () => {
  const worker = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("/background.js"), {
    timeout: 10_000,
  });
  const page = await browser.newPage();
  await page.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html?automation=1`, { timeout: 10_000 });
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, "manifest.json"), "utf8"));
  const warnings = await page.evaluate(async (m: { permissions: string[] }) => {
    const of = (x: unknown) => chrome.management.getPermissionWarningsByManifest(JSON.stringify(x));
    return {
      built: await of(m),
      withoutCookies: await of({ ...m, permissions: m.permissions.filter((p) => p !== "cookies") }),
      withHistory: await of({ ...m, permissions: [...m.permissions, "history"] }),
    };
  }, manifest);
  expect(manifest.permissions).toContain("cookies");
  expect(warnings.built).toEqual(["Read and change all your data on all websites"]);
  expect(warnings.withoutCookies).toEqual(warnings.built);
  expect(warnings.withHistory.length).toBeGreaterThan(warnings.built.length);
}, 60_000);
