// The extension itself sends nothing: while it captures a scenario, its service worker and its panel
// make no http(s) request (CDP Network domain on each), and the only requests the local server sees
// are the page's own.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type CDPSession } from "puppeteer-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CHROMIUM_ARGS } from "../../scripts/lib/chromium.mjs";

let browser: Browser;
let server: http.Server;
let extensionDir: string;
const seenByServer: Array<{ method: string; url: string; origin: string | undefined }> = [];

beforeAll(async () => {
  // A private copy: other test files may rebuild dist/ while this one runs.
  extensionDir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-ext-"));
  fs.cpSync(path.resolve("dist/chrome"), extensionDir, { recursive: true });
  server = http.createServer((req, res) => {
    seenByServer.push({ method: req.method ?? "", url: req.url ?? "", origin: req.headers.origin });
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>page</title>");
      return;
    }
    const acao = req.url?.startsWith("/ok") ? { "access-control-allow-origin": String(req.headers.origin), "access-control-allow-methods": "PUT", "access-control-allow-headers": "x-foo" } : {};
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, acao);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, r));
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    args: [...CHROMIUM_ARGS],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  fs.rmSync(extensionDir, { recursive: true, force: true });
});

function watchNetwork(cdp: CDPSession, sink: string[]): void {
  cdp.on("Network.requestWillBeSent", (e: { request: { url: string } }) => {
    if (/^(https?|wss?):/.test(e.request.url)) sink.push(e.request.url);
  });
}

test("capturing, reporting and exporting send no request of the extension's own", async () => {
  const port = (server.address() as AddressInfo).port;
  const pageUrl = `http://127.0.0.1:${port}/`;
  const api = `http://localhost:${port}`;
  const swTarget = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("/background.js"), { timeout: 10_000 });
  const extensionId = new URL(swTarget.url()).host;
  const fromExtension: string[] = [];
  const swSession = await swTarget.createCDPSession();
  await swSession.send("Network.enable");
  watchNetwork(swSession, fromExtension);
  // Control: the watcher does see a request the worker makes (so an empty list below means something).
  const worker = await swTarget.worker();
  await worker!.evaluate((u) => fetch(`${u}/control`).then(() => undefined, () => undefined), `http://127.0.0.1:${port}`);
  const controlDeadline = Date.now() + 5000;
  while (!fromExtension.some((u) => u.endsWith("/control")) && Date.now() < controlDeadline) await new Promise((r) => setTimeout(r, 50));
  expect(fromExtension).toEqual([`http://127.0.0.1:${port}/control`]);
  fromExtension.length = 0;
  seenByServer.length = 0;

  const page = await browser.newPage();
  await page.goto(pageUrl);
  // Warm-up: listeners go live a moment after the worker starts (browser-recipes §1).
  const tabId = await (async () => {
    const panel = await browser.newPage();
    const panelSession = await panel.createCDPSession();
    await panelSession.send("Network.enable");
    watchNetwork(panelSession, fromExtension);
    await panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=-1`);
    const id = await panel.evaluate(async (u) => (await chrome.tabs.query({ url: `${u}*` }))[0]?.id ?? -1, pageUrl);
    await panel.close();
    return id;
  })();
  expect(tabId).toBeGreaterThan(0);

  const deadline = Date.now() + 10_000;
  const report = async () => {
    const panel = await browser.newPage();
    const panelSession = await panel.createCDPSession();
    await panelSession.send("Network.enable");
    watchNetwork(panelSession, fromExtension);
    await panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=${tabId}`);
    const har = await panel.evaluate(async (id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);
    await panel.close();
    return har as { log: { entries: Array<{ request: { url: string } }> } };
  };
  let warm = false;
  while (!warm && Date.now() < deadline) {
    await page.evaluate((u) => fetch(`${u}/ok-warm`).catch(() => {}), api);
    warm = (await report()).log.entries.some((e) => e.request.url.includes("ok-warm"));
  }
  expect(warm).toBe(true);

  await page.evaluate(async (u) => {
    await fetch(`${u}/ok-get`).catch(() => {});
    await fetch(`${u}/no-acao`).catch(() => {});
    await fetch(`${u}/ok-put`, { method: "PUT", headers: { "X-Foo": "1" } }).catch(() => {});
    await fetch(`${u}/blocked-put`, { method: "PUT", headers: { "X-Foo": "1" } }).catch(() => {});
  }, api);
  let entries: Array<{ request: { url: string } }> = [];
  while (Date.now() < deadline + 10_000) {
    entries = (await report()).log.entries;
    if (entries.some((e) => e.request.url.includes("blocked-put"))) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(entries.map((e) => new URL(e.request.url).pathname)).toEqual(expect.arrayContaining(["/ok-get", "/no-acao", "/ok-put", "/blocked-put"]));

  expect(fromExtension).toEqual([]);
  // Everything the server saw came from the page: its document, or a fetch carrying the page's origin.
  for (const r of seenByServer) {
    if (r.url === "/" || r.url === "/favicon.ico") continue;
    expect(r.origin, `${r.method} ${r.url}`).toBe(`http://127.0.0.1:${port}`);
  }
}, 90_000);
