// The background answers only this extension's own pages (src/background/sender.ts), checked in the real
// Chromium: a content script of the same extension (same id, but a web page's URL) asks for the tab's report with
// secrets, for its snapshot, and subscribes on the panel port; it gets nothing. The extension's panel page, asking
// the same thing, gets the report: the refusal is the sender check, not a broken channel.
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page, type Worker } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CHROMIUM_ARGS, extensionArgs } from "../../scripts/lib/chromium.mjs";
import { copyExtension, extensionId, type ExtensionCopy } from "../panel/chromium";
import { startScenarioServer, type ScenarioServer } from "../panel/server";

/** Runs in the content script's isolated world when the page posts {corsDoctorProbe: tabId}. */
const PROBE = `
window.addEventListener("message", (event) => {
  if (event.source !== window || !event.data || typeof event.data.corsDoctorProbe !== "number") return;
  const tabId = event.data.corsDoctorProbe;
  const out = { portMessages: [], portDisconnected: false };
  let pending = 3;
  const finish = () => { if (--pending === 0) document.documentElement.dataset.probe = JSON.stringify(out); };
  chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId, includeSecrets: true }, (answer) => {
    out.report = answer === undefined ? null : answer;
    out.reportError = chrome.runtime.lastError ? chrome.runtime.lastError.message : null;
    finish();
  });
  chrome.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId }, (answer) => {
    out.snapshot = answer === undefined ? null : answer;
    void chrome.runtime.lastError;
    finish();
  });
  const port = chrome.runtime.connect({ name: "cors-doctor:panel" });
  port.onMessage.addListener((message) => out.portMessages.push(message && message.type));
  port.onDisconnect.addListener(() => { void chrome.runtime.lastError; out.portDisconnected = true; });
  port.postMessage({ type: "subscribe", tabId });
  setTimeout(finish, 2000);
});`;

let ctx: BrowserContext;
let copy: ExtensionCopy;
let server: ScenarioServer;
let id: string;
let site: Page;
let tabId: number;

beforeAll(async () => {
  server = await startScenarioServer();
  copy = await copyExtension("chrome");
  const manifestPath = join(copy.dir, "manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  manifest.content_scripts = [{ matches: ["http://127.0.0.1/*"], js: ["probe.js"], run_at: "document_start" }];
  writeFileSync(manifestPath, JSON.stringify(manifest));
  writeFileSync(join(copy.dir, "probe.js"), PROBE);
  id = extensionId(copy.dir);
  ctx = await chromium.launchPersistentContext("", {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [...extensionArgs(copy.dir), ...CHROMIUM_ARGS],
  });
  const sw: Worker = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 10_000 }));
  site = await ctx.newPage();
  await site.goto(`${server.page}/page`);
  tabId = await sw.evaluate(async (u) => (await chrome.tabs.query({ url: u + "/*" }))[0]!.id!, server.page);
  // Something to report, with a secret that only an unredacted report shows.
  await site.evaluate((u) => fetch(u).catch(() => {}), `${server.api}/api/ok?access_token=SENDER-CANARY`);
});

afterAll(async () => {
  await ctx?.close();
  await server?.close();
  copy?.dispose();
});

it("a content script of the extension gets no report, no snapshot and no panel stream", async () => {
  await site.evaluate((t) => window.postMessage({ corsDoctorProbe: t }, "*"), tabId);
  await site.waitForFunction(() => document.documentElement.dataset.probe !== undefined, null, { timeout: 15_000 });
  const result = JSON.parse((await site.evaluate(() => document.documentElement.dataset.probe))!);
  expect(result.report).toBeNull();
  expect(result.snapshot).toBeNull();
  expect(result.portMessages).toEqual([]);
  expect(result.portDisconnected).toBe(true);
  expect(JSON.stringify(result)).not.toContain("SENDER-CANARY");
});

it("the extension's own page gets the report with secrets (the channel works)", async () => {
  const panel = await ctx.newPage();
  await panel.goto(`chrome-extension://${id}/panel.html`);
  // The worker may still be applying the fetch's events: poll until the entry is in the report.
  const deadline = Date.now() + 15_000;
  let report: { log?: { entries?: unknown[] } } | null = null;
  while (Date.now() < deadline) {
    report = await panel.evaluate((t) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }), tabId);
    if (JSON.stringify(report).includes("SENDER-CANARY")) break;
    await site.evaluate((u) => fetch(u).catch(() => {}), `${server.api}/api/ok?access_token=SENDER-CANARY`);
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(report?.log?.entries?.length).toBeGreaterThan(0);
  expect(JSON.stringify(report)).toContain("SENDER-CANARY");
  await panel.close();
});

it("extension pages cannot reach the network (CSP connect-src 'none'), even loopback with host permission", async () => {
  const panel = await ctx.newPage();
  await panel.goto(`chrome-extension://${id}/panel.html`);
  const attempt = await panel.evaluate(
    (u) =>
      fetch(u).then(
        (r) => `status ${r.status}`,
        (e: Error) => `refused: ${e.message}`,
      ),
    `${server.api}/api/ok?from=panel`,
  );
  expect(attempt).toMatch(/^refused/);
  await panel.close();
});
