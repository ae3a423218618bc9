// Measures 4 and 4b (issue 16): a page making 2,000 cross-origin fetches (127.0.0.1 → localhost), wall time in the
// page, in five Chromiums kept open side by side: without any extension; with an extension that holds the
// `webRequest` permission and listens to nothing (what Chromium charges for the permission alone: it proxies every
// request of every tab once an extension that may observe requests is loaded); with CORS Doctor on a tab it does
// not record (the site list emptied: no click, no panel); with CORS Doctor recording the tab (armed by the default
// site list, as `npm start` is); and with an extension that registers CORS Doctor's listeners exactly, arming the
// tab the same way, each doing nothing (the floor: what any webRequest capture costs). Runs alternate the sides in
// a rotating order so load on the shared machine falls on all alike. The four rows come from the same runs.
import { launch, waitForCapture } from "../browser.mjs";
import { startServer } from "../server.mjs";
import { writeVariant } from "../variants.mjs";
import { fetchRun } from "../workloads.mjs";

const SIDES = ["none", "permission", "unarmed", "armed", "floor"];
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
  const floorExt = writeVariant("CORS Doctor's listeners, doing nothing");
  const permissionExt = writeVariant("permission only");
  const sides = {};
  try {
    sides.none = await launch({ extension: false });
    sides.permission = await launch({ extension: true, dir: permissionExt.dir });
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
    permissionExt.dispose();
    await server.close();
  }
}

/** The measures share one session of runs (the first to run starts it). */
function session(opts) {
  shared ??= measure(opts);
  return shared;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const detail = (n) =>
  `${n} fetches per run from http://127.0.0.1 to http://localhost (85 % allowed GET, 10 % preflighted PUT with Max-Age 0, 5 % blocked), 16 in flight, timed in the page with performance.now(); five Chromiums side by side, runs alternated`;
const ratio = (xs, a, b) => `${(median(xs[a]) / median(xs[b])).toFixed(2)}×`;
const cpuRatio = (cpu, a, b) => median(cpu[a]) / median(cpu[b]);

export default {
  id: "fetch-overhead",
  title: "2,000 cross-origin fetches in a tab CORS Doctor does not record (Chromium)",
  baselineText: "the same page without any extension, same runs",
  targetText: "≤ 1.03×",
  unit: "ms",
  // Met when both the page's wall time and the whole browser's CPU are within the target.
  judge: (r) => r.ratio <= 1.03 && r.cpuRatio <= 1.03,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    return {
      value: times.unarmed,
      baseline: times.none,
      cpuRatio: cpuRatio(cpu, "unarmed", "none"),
      detail: `${detail(n)}. CPU of the whole browser during the runs (medians): ${ratio(cpu, "unarmed", "none")} of no extension. An extension with only the webRequest permission and no listener (same runs): ${ratio(times, "permission", "none")} wall, ${ratio(cpu, "permission", "none")} CPU of no extension; CORS Doctor unarmed is ${ratio(times, "unarmed", "permission")} wall, ${ratio(cpu, "unarmed", "permission")} CPU of that. Chromium puts its webRequest proxy in front of every request of every tab as soon as an extension holding the permission is loaded, whatever it listens to (extensions/browser/api/web_request/web_request_api.cc: MayHaveProxies counts the extensions with any webRequest permission), so no choice of listeners brings an unarmed tab below that`,
    };
  },
};

export const permissionOverhead = {
  id: "fetch-overhead-permission",
  title: "the same page with an extension holding only the webRequest permission, no listener (Chromium; reference)",
  baselineText: "the same page without any extension, same runs",
  targetText: "— (what Chromium charges for the permission)",
  unit: "ms",
  reference: true,
  judge: () => true,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    return {
      value: times.permission,
      baseline: times.none,
      cpuRatio: cpuRatio(cpu, "permission", "none"),
      detail: `${detail(n)}. CPU (medians): ${ratio(cpu, "permission", "none")} of no extension`,
    };
  },
};

export const armedOverhead = {
  id: "fetch-overhead-armed",
  title: "2,000 cross-origin fetches in a tab CORS Doctor records (Chromium)",
  baselineText: "an extension whose same listeners (same filters) do nothing, same runs",
  targetText: "≤ 1.10×",
  unit: "ms",
  // Met when both the page's wall time and the whole browser's CPU are within the target.
  judge: (r) => r.ratio <= 1.1 && r.cpuRatio <= 1.1,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    return {
      value: times.armed,
      baseline: times.floor,
      cpuRatio: cpuRatio(cpu, "armed", "floor"),
      detail: `${detail(n)}. Against no extension: recording ${ratio(times, "armed", "none")}, the floor (no-op listeners) ${ratio(times, "floor", "none")}. CPU of the whole browser (medians): recording ${ratio(cpu, "armed", "floor")} of the floor, ${ratio(cpu, "armed", "none")} of no extension; the floor ${ratio(cpu, "floor", "none")} of no extension`,
    };
  },
};

export const floorOverhead = {
  id: "fetch-overhead-floor",
  title: "the same page with CORS Doctor's listeners doing nothing, tab armed the same way (Chromium; the floor of the row above)",
  baselineText: "the same page without any extension, same runs",
  targetText: "— (reference)",
  unit: "ms",
  reference: true,
  judge: () => true,
  async run(opts) {
    const { times, cpu, n } = await session(opts);
    return {
      value: times.floor,
      baseline: times.none,
      cpuRatio: cpuRatio(cpu, "floor", "none"),
      detail: `${detail(n)}. CPU (medians): ${ratio(cpu, "floor", "none")} of no extension`,
    };
  },
};
