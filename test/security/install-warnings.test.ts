// What the browsers' install prompts say for the built extension. Chromium, from Chromium itself:
// `chrome.management.getPermissionWarningsByManifest` runs the browser's own permission-message rules on a
// manifest (no `management` permission needed). The prompt has one line, for the host permissions (and the DevTools
// page); `cookies`, `scripting`, `storage` and `webRequest` add none. A control manifest with one more permission
// (`history`) shows the check can tell. Firefox ESR, from its own strings: the install prompt has a line only for the
// permissions its `extensionPermissions.ftl` (inside the installed `omni.ja`) describes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateRawSync } from "node:zlib";
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

/** One file of a zip archive (Firefox's omni.ja is one): found in the central directory, stored or deflated. */
function zipEntry(archive: Buffer, name: string): Buffer {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = archive.readUInt16LE(at + 10);
    const size = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const skip = archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    if (archive.toString("utf8", at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
      const data = archive.subarray(start, start + size);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${name}: compression method ${method}`);
    }
    at += 46 + nameLength + skip;
  }
  throw new Error(`${name} is not in the archive`);
}

test("Firefox ESR's install prompt has no line for the permissions the extension asks (its own strings)", () => {
  // omni.ja sits beside the Firefox binary the suite runs (Debian: /usr/lib/firefox-esr/).
  const firefox = fs.realpathSync(process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr");
  const omni = fs.readFileSync(path.join(path.dirname(firefox), "omni.ja"));
  const strings = zipEntry(omni, "localization/en-US/toolkit/global/extensionPermissions.ftl");
  const described = new Set([...strings.toString("utf8").matchAll(/^webext-perms-description-([A-Za-z]+) =/gm)].map((m) => m[1]));
  // The file is read right: permissions that do prompt are there.
  expect(described).toContain("tabs");
  expect(described).toContain("history");
  const manifest = JSON.parse(fs.readFileSync("dist/firefox/manifest.json", "utf8"));
  expect(manifest.permissions).toEqual(expect.arrayContaining(["cookies", "scripting", "storage", "webRequest"]));
  expect(manifest.permissions.filter((p: string) => described.has(p))).toEqual([]);
});
