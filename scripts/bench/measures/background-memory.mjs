// Measure 5: the background service worker's JS heap after 10,000 captured exchanges in one tab, against the
// same browser (same worker, same tab, page loaded, capture live) before the traffic. Heap read over CDP on
// the worker target (Runtime.getHeapUsage) after a forced full GC on both sides, so only what the background
// retains counts. puppeteer-core here: Playwright gives no CDP session on a service worker.
import { realpathSync } from "node:fs";
import puppeteer from "puppeteer-core";
import { waitForCapture } from "../browser.mjs";
import { CHROMIUM, EXT, sleep } from "../lib.mjs";
import { startServer } from "../server.mjs";

const MiB = 1024 * 1024;

async function heapMiB(cdp) {
  // Twice: the first GC can leave finalisation work behind for the second.
  await cdp.send("HeapProfiler.collectGarbage");
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize / MiB;
}

async function oneRun(server, total, log) {
  const ext = realpathSync(EXT);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    pipe: true,
    enableExtensions: [ext],
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
    protocolTimeout: 120_000,
  });
  try {
    const swTarget = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().startsWith("chrome-extension://"), {
      timeout: 30_000,
    });
    const extId = new URL(swTarget.url()).host;
    const cdp = await swTarget.createCDPSession();
    const page = await browser.newPage();
    await page.goto(server.page);
    // Capture live (listeners warm up after the worker starts): the shared wait looks the tab up until its page has
    // committed, fetches until the capture shows it, and on a timeout says what the extension thought of the tab.
    const tabId = await waitForCapture(browser, extId, page, server.api);
    const hook = await browser.newPage();
    await hook.goto(`chrome-extension://${extId}/popup.html?automation=1`);
    const report = () => hook.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);
    await sleep(1000);
    const before = await heapMiB(cdp);
    const t0 = Date.now();
    for (let done = 0; done < total; done += 2000) {
      const n = Math.min(2000, total - done);
      const r = await page.evaluate(([api, n, tag]) => window.runFetches(api, n, 16, tag), [server.api, n, `m${done}`]);
      if (r.ok + r.failed !== n) throw new Error(`expected ${n} fetches, got ${r.ok + r.failed}`);
    }
    const trafficMs = Date.now() - t0;
    // Flush (50 ms) and cross-request lint (500 ms) timers of the background, with margin.
    await sleep(1500);
    const after = await heapMiB(cdp);
    const held = (await report())?.log?.entries?.length ?? 0;
    log(
      `  heap before ${before.toFixed(1)} MiB, after ${total} exchanges ${after.toFixed(1)} MiB (+${(after - before).toFixed(1)}); tab report holds ${held} entries; traffic ${(trafficMs / 1000).toFixed(1)} s`,
    );
    return { before, after, held };
  } finally {
    await browser.close().catch(() => {});
  }
}

export default {
  id: "background-memory",
  title: "background memory after 10,000 captured exchanges in one tab",
  baselineText: "the same browser without traffic",
  targetText: "≤ 30 MB more",
  unit: "MB",
  judge: (r) => r.value.median <= 30,
  async run({ smoke, runs, log }) {
    const total = smoke ? 500 : 10_000;
    const server = await startServer();
    try {
      const rows = [];
      for (let i = 0; i < runs; i++) rows.push(await oneRun(server, total, log));
      const mid = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return {
        // The measure is the growth; the heap without traffic is the baseline it is taken against.
        value: rows.map((r) => r.after - r.before),
        reference: rows.map((r) => r.before),
        detail: `service-worker JS heap (CDP Runtime.getHeapUsage after forced GC), fresh browser per run; without traffic median ${mid(rows.map((r) => r.before)).toFixed(1)} MiB, after ${total} fetches median ${mid(rows.map((r) => r.after)).toFixed(1)} MiB; the tab's report then holds ${rows.at(-1).held} HAR entries (the background keeps a bounded number per tab). Figures are the growth, in MiB.`,
        extra: { runs: rows, total },
      };
    } finally {
      await server.close();
    }
  },
};
