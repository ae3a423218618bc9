// Measure 4c (issue 16): the realistic page (150 subresources, half cross-origin, then 40 API calls in four waves,
// every response delayed 30 ms), time from navigation start to the last API response, with CORS Doctor recording
// the tab (the page is on 127.0.0.1: armed by the default site list) against the same Chromium without any
// extension. The tab shows the page once before each timed load, as a developer reloading their app.
import { launch, waitForCapture } from "../browser.mjs";
import { DELAY_MS, startServer } from "../server.mjs";
import { realisticRun } from "../workloads.mjs";

export default {
  id: "realistic-page",
  title: "realistic page (150 subresources, 40 API calls, 30 ms per response), tab recorded (Chromium)",
  baselineText: "the same page without any extension, runs alternated",
  targetText: "≤ 1.03×",
  unit: "ms",
  judge: (r) => r.ratio <= 1.03,
  async run({ runs, log }) {
    const server = await startServer();
    const sides = {};
    try {
      sides.none = await launch({ extension: false });
      sides.armed = await launch({ extension: true });
      const value = [];
      const baseline = [];
      const cpu = { armed: [], none: [] };
      for (let i = 0; i < runs; i++) {
        const order = i % 2 === 0 ? ["armed", "none"] : ["none", "armed"];
        for (const name of order) {
          const side = sides[name];
          const beforeRun = name === "armed" ? (page) => waitForCapture(side.ctx, side.extId, page, server.api) : undefined;
          const r = await realisticRun(side, server, `${name}${i}`, { beforeRun });
          (name === "armed" ? value : baseline).push(r.ms);
          cpu[name].push(r.cpuMs);
        }
        log(`  run ${i + 1}: recorded ${value.at(-1).toFixed(0)} ms, without extension ${baseline.at(-1).toFixed(0)} ms`);
      }
      const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      return {
        value,
        baseline,
        detail: `CPU of the whole browser (medians): ${(median(cpu.armed) / median(cpu.none)).toFixed(2)}× of no extension. Page on http://127.0.0.1, 150 subresources (50 stylesheets, 50 deferred scripts, 50 images; every other one from http://localhost), then 40 preflighted API calls to http://localhost in 4 waves of 10; every response delayed ${DELAY_MS} ms; time from navigation start to the last API response`,
      };
    } finally {
      for (const side of Object.values(sides)) await side.ctx.close().catch(() => {});
      await server.close();
    }
  },
};
