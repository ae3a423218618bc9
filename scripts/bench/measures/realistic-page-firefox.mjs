// Measure 4c in Firefox (issue 16): the realistic page (see realistic-page.mjs) with CORS Doctor recording the tab
// (the page on 127.0.0.1: armed by the default site list) against the same Firefox ESR without any extension, and
// CORS Doctor's Firefox listeners doing nothing (the floor) beside them. The tab shows the page once before each
// timed load, as a developer reloading their app; the armed tab's capture holds a warm-up request before it is timed.
import { launchFirefox, waitForFirefoxCapture } from "../firefox.mjs";
import { DELAY_MS, startServer } from "../server.mjs";
import { writeVariant } from "../variants.mjs";
import { realisticRun } from "../workloads.mjs";

const SIDES = ["armed", "none", "floor"];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (xs, a, b) => `${(median(xs[a]) / median(xs[b])).toFixed(2)}×`;

export default {
  id: "realistic-page-firefox",
  title: "realistic page (150 subresources, 40 API calls, 30 ms per response), tab recorded (Firefox)",
  baselineText: "the same page without any extension, runs alternated",
  targetText: "≤ 1.03×",
  unit: "ms",
  // Met when both the page's wall time and the whole browser's CPU are within the target.
  judge: (r) => r.ratio <= 1.03 && r.cpuRatio <= 1.03,
  async run({ runs, log }) {
    const server = await startServer();
    const floorExt = writeVariant("CORS Doctor's listeners in Firefox, doing nothing");
    const sides = {};
    try {
      sides.none = await launchFirefox({ extension: false });
      sides.armed = await launchFirefox({ extension: true });
      sides.floor = await launchFirefox({ extension: true, dir: floorExt.dir });
      const times = Object.fromEntries(SIDES.map((s) => [s, []]));
      const cpu = Object.fromEntries(SIDES.map((s) => [s, []]));
      for (let i = 0; i < runs; i++) {
        const order = SIDES.map((_, k) => SIDES[(k + i) % SIDES.length]);
        for (const name of order) {
          const side = sides[name];
          const beforeRun = name === "armed" ? (page) => waitForFirefoxCapture(side, page, server.api) : undefined;
          const r = await realisticRun(side, server, `${name}${i}`, { beforeRun });
          times[name].push(r.ms);
          cpu[name].push(r.cpuMs);
        }
        log(`  run ${i + 1}: ${SIDES.map((s) => `${s} ${times[s].at(-1).toFixed(0)} ms (CPU ${cpu[s].at(-1).toFixed(0)} ms)`).join(", ")}`);
      }
      return {
        value: times.armed,
        baseline: times.none,
        cpuRatio: median(cpu.armed) / median(cpu.none),
        detail: `The realistic page of realistic-page in three Firefox ESRs side by side (every response delayed ${DELAY_MS} ms; time from navigation start to the last API response). Same runs, against no extension (wall / CPU of the whole browser, medians): recording ${ratio(times, "armed", "none")} / ${ratio(cpu, "armed", "none")}; CORS Doctor's Firefox listeners doing nothing ${ratio(times, "floor", "none")} / ${ratio(cpu, "floor", "none")}. Recording against the floor: ${ratio(times, "armed", "floor")} / ${ratio(cpu, "armed", "floor")}`,
      };
    } finally {
      for (const side of Object.values(sides)) await side.close();
      floorExt.dispose();
      await server.close();
    }
  },
};
