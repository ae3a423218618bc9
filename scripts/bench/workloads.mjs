// The two page workloads of the browser benches (issue 16), each run in a fresh tab of an open Chromium:
// 2,000 cross-origin fetches timed in the page, and the realistic page timed to its last API response.
// Each returns the page's wall time and the CPU the whole browser spent meanwhile (browser.mjs cpuMs), read
// again after a short settle so the background's work on the last events counts too.
import { sleep, waitFor } from "./lib.mjs";

const SETTLE_MS = 300;

async function cpuAround(side, work) {
  const before = side.cpuMs?.() ?? 0;
  const ms = await work();
  await sleep(SETTLE_MS);
  return { ms, cpuMs: (side.cpuMs?.() ?? 0) - before };
}

/**
 * `n` fetches, 16 in flight, after the same warm-up on every side; `url`: the page (default `server.page`);
 * `afterRun(page)` checks the tab after the timed run, before it closes.
 */
export async function fetchRun(side, server, n, tag, { beforeRun, afterRun, url = server.page } = {}) {
  const page = await side.ctx.newPage();
  try {
    await page.goto(url);
    if (beforeRun) await beforeRun(page);
    await page.evaluate(([api, t]) => window.runFetches(api, 50, 16, t), [server.api, `warm${tag}`]);
    await sleep(SETTLE_MS);
    const result = await cpuAround(side, async () => {
      const r = await page.evaluate(([api, count, t]) => window.runFetches(api, count, 16, t), [server.api, n, `run${tag}`]);
      if (r.ok + r.failed !== n) throw new Error(`expected ${n} fetches, got ${r.ok + r.failed}`);
      return r.ms;
    });
    if (afterRun) await afterRun(page);
    return result;
  } finally {
    await page.close();
  }
}

/** The realistic page's `window.__done` (ms from navigation start), waited for in either driver (Playwright, Puppeteer). */
function pageDone(page) {
  return waitFor(() => page.evaluate(() => window.__done), {
    timeoutMs: 60_000,
    intervalMs: 50,
    what: "the realistic page's last API response",
  });
}

/**
 * Loads the realistic page in a tab that already showed a page of the same origin (so arming by site or by
 * navigation has happened, as for a developer reloading their app); wall time is from navigation start to the
 * last API response.
 */
export async function realisticRun(side, server, tag, { beforeRun } = {}) {
  const page = await side.ctx.newPage();
  try {
    await page.goto(`${server.realistic}?warm${tag}`);
    await pageDone(page);
    if (beforeRun) await beforeRun(page);
    await sleep(SETTLE_MS);
    return await cpuAround(side, async () => {
      await page.goto(`${server.realistic}?run${tag}`);
      return pageDone(page);
    });
  } finally {
    await page.close();
  }
}
