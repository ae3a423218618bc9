// Measure 4: a page making 2,000 cross-origin fetches, wall time in the page, in Chromium with the extension
// vs the same Chromium without it. Both browsers stay open; runs alternate (and alternate who goes first)
// so load on the shared machine falls on both sides alike.
import { launch, waitForCapture } from "../browser.mjs";
import { startServer } from "../server.mjs";

export default {
  id: "fetch-overhead",
  title: "page making 2,000 cross-origin fetches in Chromium, wall time",
  baselineText: "the same page without the extension, runs alternated",
  targetText: "≤ 1.03×",
  unit: "ms",
  judge: (r) => r.ratio <= 1.03,
  async run({ smoke, runs, log }) {
    const n = smoke ? 200 : 2000;
    const concurrency = 16;
    const server = await startServer();
    let withExt;
    let without;
    try {
      withExt = await launch({ extension: true });
      without = await launch({ extension: false });
      const value = [];
      const baseline = [];
      let captured;
      const once = async (side, i) => {
        const { ctx, extId } = side;
        const page = await ctx.newPage();
        try {
          await page.goto(server.page);
          if (extId) await waitForCapture(ctx, extId, page, server.api);
          // Same warm-up on both sides: connections open, fetch code paths compiled.
          await page.evaluate(([api, tag]) => window.runFetches(api, 50, 16, tag), [server.api, `warm${i}`]);
          const r = await page.evaluate(([api, n, c, tag]) => window.runFetches(api, n, c, tag), [server.api, n, concurrency, `run${i}`]);
          if (r.ok + r.failed !== n) throw new Error(`expected ${n} fetches, got ${r.ok + r.failed}`);
          return r;
        } finally {
          await page.close();
        }
      };
      for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? [withExt, without] : [without, withExt];
        for (const side of order) {
          const r = await once(side, i);
          (side === withExt ? value : baseline).push(r.ms);
          if (side === withExt) captured = r;
        }
        log(`  run ${i + 1}: with extension ${value.at(-1).toFixed(0)} ms, without ${baseline.at(-1).toFixed(0)} ms`);
      }
      return {
        value,
        baseline,
        detail: `${n} fetches per run from http://127.0.0.1 to http://localhost (85 % allowed GET, 10 % preflighted PUT with Max-Age 0, 5 % blocked), ${concurrency} in flight, timed in the page with performance.now(); ${captured.failed} of them fail by design`,
      };
    } finally {
      await withExt?.ctx.close().catch(() => {});
      await without?.ctx.close().catch(() => {});
      await server.close();
    }
  },
};
