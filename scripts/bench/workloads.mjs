// The two page workloads of the browser benches (issue 16), each run in a fresh tab of an open Chromium:
// 2,000 cross-origin fetches timed in the page, and the realistic page timed to its last API response.
// Each returns the page's wall time and the CPU the whole browser spent meanwhile (browser.mjs cpuMs), read
// again after a short settle so the background's work on the last events counts too.
import { sleep } from "./lib.mjs";

const SETTLE_MS = 300;

async function cpuAround(side, work) {
  const before = side.cpuMs?.() ?? 0;
  const ms = await work();
  await sleep(SETTLE_MS);
  return { ms, cpuMs: (side.cpuMs?.() ?? 0) - before };
}

/** `n` fetches, 16 in flight, after the same warm-up on every side. */
export async function fetchRun(side, server, n, tag, { beforeRun } = {}) {
  const page = await side.ctx.newPage();
  try {
    await page.goto(server.page);
    if (beforeRun) await beforeRun(page);
    await page.evaluate(([api, t]) => window.runFetches(api, 50, 16, t), [server.api, `warm${tag}`]);
    await sleep(SETTLE_MS);
    return await cpuAround(side, async () => {
      const r = await page.evaluate(([api, count, t]) => window.runFetches(api, count, 16, t), [server.api, n, `run${tag}`]);
      if (r.ok + r.failed !== n) throw new Error(`expected ${n} fetches, got ${r.ok + r.failed}`);
      return r.ms;
    });
  } finally {
    await page.close();
  }
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
    await page.waitForFunction(() => window.__done !== undefined, null, { timeout: 60_000 });
    if (beforeRun) await beforeRun(page);
    await sleep(SETTLE_MS);
    return await cpuAround(side, async () => {
      await page.goto(`${server.realistic}?run${tag}`);
      await page.waitForFunction(() => window.__done !== undefined, null, { timeout: 60_000 });
      return page.evaluate(() => window.__done);
    });
  } finally {
    await page.close();
  }
}
