// Measures 4 and 4b (issue 16): a page making 2,000 cross-origin fetches (127.0.0.1 → localhost), wall time in the
// page, in four Chromiums kept open side by side: without any extension; with CORS Doctor on a tab it does not
// record (the site list emptied: no click, no panel); with CORS Doctor recording the tab (armed by the default
// site list, as `npm start` is); and with an extension that arms the tab the same way and whose seven listeners
// do nothing (the floor: what any webRequest capture costs). Runs alternate the four in a rotating order so
// load on the shared machine falls on all alike. Both measures come from the same runs.
import { launch, waitForCapture } from "../browser.mjs";
import { startServer } from "../server.mjs";
import { writeVariant } from "../variants.mjs";
import { fetchRun } from "../workloads.mjs";

const SIDES = ["none", "unarmed", "armed", "floor"];
let shared = null;

/** Sets CORS Doctor's site list from one of its pages, as the popup does. */
export async function setSites(ctx, extId, sites) {
  const page = await ctx.newPage();
  try {
    await page.goto(`chrome-extension://${extId}/popup.html?automation=1`);
    await page.evaluate((s) => chrome.runtime.sendMessage({ type: "cors-doctor:arming-settings", sites: s, allTabs: false }), sites);
  } finally {
    await page.close();
  }
}

async function measure({ smoke, runs, log }) {
  const n = smoke ? 200 : 2000;
  const server = await startServer();
  const floorExt = writeVariant("7 listeners, this tab");
  const sides = {};
  try {
    sides.none = await launch({ extension: false });
    sides.unarmed = await launch({ extension: true });
    await setSites(sides.unarmed.ctx, sides.unarmed.extId, []);
    sides.armed = await launch({ extension: true });
    sides.floor = await launch({ extension: true, dir: floorExt.dir });
    const times = Object.fromEntries(SIDES.map((s) => [s, []]));
    const cpu = Object.fromEntries(SIDES.map((s) => [s, []]));
    for (let i = 0; i < runs; i++) {
      const order = SIDES.map((_, k) => SIDES[(k + i) % SIDES.length]);
      for (const name of order) {
        const side = sides[name];
        // The armed side proves it records before it is timed: a warm-up request must be in its capture.
        const beforeRun = name === "armed" ? (page) => waitForCapture(side.ctx, side.extId, page, server.api) : undefined;
        const r = await fetchRun(side, server, n, `${name}${i}`, { beforeRun });
        times[name].push(r.ms);
        cpu[name].push(r.cpuMs);
      }
      log(`  run ${i + 1}: ${SIDES.map((s) => `${s} ${times[s].at(-1).toFixed(0)} ms (CPU ${cpu[s].at(-1).toFixed(0)} ms)`).join(", ")}`);
    }
    return { times, cpu, n };
  } finally {
    for (const side of Object.values(sides)) await side.ctx.close().catch(() => {});
    floorExt.dispose();
    await server.close();
  }
}

/** Both measures share one session of runs (the first to run starts it). */
function session(opts) {
  shared ??= measure(opts);
  return shared;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const detail = (n) =>
  `${n} fetches per run from http://127.0.0.1 to http://localhost (85 % allowed GET, 10 % preflighted PUT with Max-Age 0, 5 % blocked), 16 in flight, timed in the page with performance.now(); four Chromiums side by side, runs alternated`;
const cpuRatio = (cpu, a, b) => `${(median(cpu[a]) / median(cpu[b])).toFixed(2)}×`;

export default {
  id: "fetch-overhead",
  title: "2,000 cross-origin fetches in a tab CORS Doctor does not record (Chromium)",
  baselineText: "the same page without any extension, same runs",
  targetText: "≤ 1.03×",
  unit: "ms",
  judge: (r) => r.ratio <= 1.03,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    return {
      value: times.unarmed,
      baseline: times.none,
      detail: `${detail(n)}. CPU of the whole browser during the runs (medians): ${cpuRatio(cpu, "unarmed", "none")} of no extension`,
    };
  },
};

export const armedOverhead = {
  id: "fetch-overhead-armed",
  title: "2,000 cross-origin fetches in a tab CORS Doctor records (Chromium)",
  baselineText: "an extension whose same seven listeners (same tab filter) do nothing, same runs",
  targetText: "≤ 1.10×",
  unit: "ms",
  judge: (r) => r.ratio <= 1.1,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    const none = median(times.none);
    return {
      value: times.armed,
      baseline: times.floor,
      detail: `${detail(n)}. Against no extension: recording ${(median(times.armed) / none).toFixed(2)}×, the floor (no-op listeners) ${(median(times.floor) / none).toFixed(2)}×. CPU of the whole browser (medians): recording ${cpuRatio(cpu, "armed", "floor")} of the floor, ${cpuRatio(cpu, "armed", "none")} of no extension; the floor ${cpuRatio(cpu, "floor", "none")} of no extension`,
    };
  },
};
