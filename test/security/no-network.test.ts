// The extension itself sends nothing: while it captures a scenario, its service worker and its panel
// make no http(s) request (CDP Network domain on each), and the only requests the local server sees
// are the page's own.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type CDPSession, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";

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
    if (req.url === "/" || req.url?.startsWith("/?")) {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<!doctype html><title>page</title>");
      return;
    }
    const acao = req.url?.startsWith("/ok")
      ? {
          "access-control-allow-origin": String(req.headers.origin),
          "access-control-allow-methods": "PUT",
          "access-control-allow-headers": "x-foo",
        }
      : {};
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, acao);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, r));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: [extensionDir],
    args: [...CHROMIUM_ARGS],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => server?.close(() => r()));
  fs.rmSync(extensionDir, { recursive: true, force: true });
});

/** Every browser round trip is bounded: a stuck one fails the test with its name instead of hanging it. */
function bounded<T>(what: string, promise: Promise<T>, ms = 10_000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms))]);
}

function watchNetwork(cdp: CDPSession, sink: string[]): void {
  cdp.on("Network.requestWillBeSent", (e: { request: { url: string } }) => {
    if (/^(https?|wss?):/.test(e.request.url)) sink.push(e.request.url);
  });
}

async function waitUntil(
  what: string,
  probe: () => Promise<boolean> | boolean,
  ms = 10_000,
  state: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      const message = `timed out: ${what}; state: ${JSON.stringify(await state().catch(String))}`;
      // Printed as well: CI retries a failed test once, and a retry that passes shows no error of the first attempt.
      console.error(message);
      throw new Error(message);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let attempt = 0;

test("capturing, reporting and exporting send no request of the extension's own", async () => {
  const port = (server.address() as AddressInfo).port;
  // A page of this attempt's own: a retry must not find the failed attempt's tab, still open at the same URL.
  const pageUrl = `http://127.0.0.1:${port}/?attempt=${++attempt}`;
  const api = `http://localhost:${port}`;
  const swTarget = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("/background.js"), {
    timeout: 10_000,
  });
  const extensionId = new URL(swTarget.url()).host;
  const fromExtension: string[] = [];
  watchNetwork(
    await bounded(
      "attach to the worker",
      swTarget.createCDPSession().then(async (s) => (await s.send("Network.enable"), s)),
    ),
    fromExtension,
  );

  const page = await browser.newPage();
  await bounded("open the page", page.goto(pageUrl));
  // One extension page for the whole test: the panel as a tab, watched like the worker.
  const panel: Page = await browser.newPage();
  watchNetwork(
    await bounded(
      "attach to the panel",
      panel.createCDPSession().then(async (s) => (await s.send("Network.enable"), s)),
    ),
    fromExtension,
  );
  await bounded("open the panel", panel.goto(`chrome-extension://${extensionId}/panel.html?tabId=-1`));

  // Control: a request an extension page makes is seen (so an empty list below means something). An image, not a
  // fetch: the pages' CSP has connect-src 'none', so a fetch never becomes a request at all.
  await bounded(
    "control image",
    panel.evaluate(
      (u) =>
        new Promise<void>((resolve) => {
          const image = new Image();
          image.onload = image.onerror = () => resolve();
          image.src = u;
        }),
      `http://127.0.0.1:${port}/control`,
    ),
  );
  await waitUntil("the control request to be seen", () => fromExtension.some((u) => u.endsWith("/control")), 5_000);
  fromExtension.length = 0;
  seenByServer.length = 0;

  const tabId = await bounded(
    "the page's tab",
    panel.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id ?? -1, pageUrl),
  );
  expect(tabId).toBeGreaterThan(0);
  const report = () =>
    bounded(
      "the report",
      panel.evaluate(async (id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId),
    ) as Promise<{ log: { entries: Array<{ request: { url: string } }> } }>;
  const paths = async () => (await report()).log.entries.map((e) => new URL(e.request.url).pathname);

  // Listeners go live a moment after the worker starts (browser-recipes §1): warm up first.
  await waitUntil(
    "the listeners to go live",
    async () => {
      await bounded(
        "warm-up fetch",
        page.evaluate(
          (u) =>
            fetch(`${u}/ok-warm`).then(
              () => undefined,
              () => undefined,
            ),
          api,
        ),
      );
      return (await paths()).includes("/ok-warm");
    },
    20_000,
    // On a timeout, what the extension thought of the tab: whether it was armed, and what it had captured.
    async () => {
      const snapshot = (await bounded(
        "the snapshot",
        panel.evaluate(async (id) => chrome.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: id }), tabId),
      )) as { arming?: unknown; items?: Array<{ exchange: { legs: Array<{ request: { url: string } }> } }>; captureErrors?: unknown };
      return {
        tabId,
        arming: snapshot.arming,
        captureErrors: snapshot.captureErrors,
        items: snapshot.items?.map((i) => i.exchange.legs[0]?.request.url),
      };
    },
  );

  await bounded(
    "the scenario",
    page.evaluate(async (u) => {
      await fetch(`${u}/ok-get`).catch(() => {});
      await fetch(`${u}/no-acao`).catch(() => {});
      await fetch(`${u}/ok-put`, { method: "PUT", headers: { "X-Foo": "1" } }).catch(() => {});
      await fetch(`${u}/blocked-put`, { method: "PUT", headers: { "X-Foo": "1" } }).catch(() => {});
    }, api),
  );
  await waitUntil("the scenario in the report", async () => (await paths()).includes("/blocked-put"));
  expect(await paths()).toEqual(expect.arrayContaining(["/ok-get", "/no-acao", "/ok-put", "/blocked-put"]));

  expect(fromExtension).toEqual([]);
  // Everything the server saw came from the page: its document, or a fetch carrying the page's origin.
  for (const r of seenByServer) {
    if (r.url === "/" || r.url.startsWith("/?") || r.url === "/favicon.ico") continue;
    expect(r.origin, `${r.method} ${r.url}`).toBe(`http://127.0.0.1:${port}`);
  }
}, 90_000);
