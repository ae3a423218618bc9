// Measures 4 and 4b (issue 16): a page making 2,000 cross-origin fetches (127.0.0.1 → localhost), wall time in the
// page, in Chromiums kept open side by side: without any extension; with an extension that holds the
// `webRequest` permission and listens to nothing (what Chromium charges for the permission alone: it proxies every
// request of every tab once an extension that may observe requests is loaded); with CORS Doctor on a tab it does
// not record (the site list emptied: no click, no panel); with CORS Doctor recording the tab (armed by the default
// site list, as `npm start` is); and with an extension that registers CORS Doctor's listeners exactly, arming the
// tab the same way, each doing nothing (the floor: what any webRequest capture costs). Runs alternate the sides in
// a rotating order so load on the shared machine falls on all alike. Two more Chromiums show a developer's day, where
// the tab they debug stays armed while they browse in others: CORS Doctor with the site list set to `localhost` and a
// second tab open on an armed localhost page (the measured 127.0.0.1 page is not armed), once with a plain page and
// once with a page its service worker controls (CORS Doctor then follows service-worker requests, which webRequest
// gives no tab, with listeners that see every tab's fetches). Every row comes from the same runs.
import { launch, waitForCapture } from "../browser.mjs";
import { startServer } from "../server.mjs";
import { writeVariant } from "../variants.mjs";
import { alternate, ratio, sideMeasure as sharedSideMeasure } from "../sides.mjs";
import { fetchRun } from "../workloads.mjs";

const SIDES = ["none", "permission", "unarmed", "beside", "besideWorker", "armed", "floor"];
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

/** A service-worker request of the tab's page, followed in full (src/capture/live-log.ts ids: `r` + `sw<id>:<tab>`). */
const fromWorker = (items) => items.some((item) => /^r?sw\d/.test(String(item.id)));

/**
 * CORS Doctor armed on another tab only: its site list is `localhost`, and a tab stays open on `path` at localhost
 * (armed by site, proven by a row of its capture; with `worker`, a row its service worker made), while the measured
 * page at 127.0.0.1 is not armed.
 */
async function launchBeside(server, path, worker) {
  const side = await launch({ extension: true });
  try {
    await setSites(side.ctx, side.extId, ["localhost"]);
    const tab = await side.ctx.newPage();
    await tab.goto(`${server.api}${path}`);
    if (worker) await tab.evaluate(() => window.__controlled);
    await waitForCapture(side.ctx, side.extId, tab, server.pageOrigin, worker ? { listed: fromWorker } : undefined);
    return side;
  } catch (error) {
    await side.ctx.close().catch(() => {});
    throw error;
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
    sides.beside = await launchBeside(server, "/page", false);
    sides.besideWorker = await launchBeside(server, "/sw-page", true);
    sides.armed = await launch({ extension: true });
    sides.floor = await launch({ extension: true, dir: floorExt.dir });
    const { times, cpu } = await alternate(SIDES, runs, log, (name, i) => {
      const side = sides[name];
      // The armed side proves it records before it is timed: a warm-up request must be in its capture.
      const beforeRun = name === "armed" ? (page) => waitForCapture(side.ctx, side.extId, page, server.api) : undefined;
      return fetchRun(side, server, n, `${name}${i}`, { beforeRun });
    });
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

const detail = (n) =>
  `${n} fetches per run from http://127.0.0.1 to http://localhost (85 % allowed GET, 10 % preflighted PUT with Max-Age 0, 5 % blocked), 16 in flight, timed in the page with performance.now(); seven Chromiums side by side, runs alternated`;

/** A row of the shared runs (sides.mjs); `more(runs)` completes the detail line. */
const sideMeasure = ({ more, ...row }) => sharedSideMeasure(session, { ...row, detail: (runs) => `${detail(runs.n)}${more(runs)}` });

export default sideMeasure({
  id: "fetch-overhead",
  title: "2,000 cross-origin fetches in a tab CORS Doctor does not record (Chromium)",
  baselineText: "the same page without any extension, same runs",
  targetText: "≤ 1.03×",
  side: "unarmed",
  base: "none",
  target: 1.03,
  more: ({ times, cpu }) =>
    `. CPU of the whole browser during the runs (medians): ${ratio(cpu, "unarmed", "none")} of no extension. An extension with only the webRequest permission and no listener (same runs): ${ratio(times, "permission", "none")} wall, ${ratio(cpu, "permission", "none")} CPU of no extension; CORS Doctor unarmed is ${ratio(times, "unarmed", "permission")} wall, ${ratio(cpu, "unarmed", "permission")} CPU of that. Chromium puts its webRequest proxy in front of every request of every tab as soon as an extension holding the permission is loaded, whatever it listens to (extensions/browser/api/web_request/web_request_api.cc: MayHaveProxies counts the extensions with any webRequest permission), so no choice of listeners brings an unarmed tab below that`,
});

export const permissionOverhead = sideMeasure({
  id: "fetch-overhead-permission",
  title: "the same page with an extension holding only the webRequest permission, no listener (Chromium; reference)",
  baselineText: "the same page without any extension, same runs",
  targetText: "— (what Chromium charges for the permission)",
  side: "permission",
  base: "none",
  more: ({ cpu }) => `. CPU (medians): ${ratio(cpu, "permission", "none")} of no extension`,
});

export const armedOverhead = sideMeasure({
  id: "fetch-overhead-armed",
  title: "2,000 cross-origin fetches in a tab CORS Doctor records (Chromium)",
  baselineText: "an extension whose same listeners (same filters) do nothing, same runs",
  targetText: "≤ 1.10×",
  side: "armed",
  base: "floor",
  target: 1.1,
  more: ({ times, cpu }) =>
    `. Against no extension: recording ${ratio(times, "armed", "none")}, the floor (no-op listeners) ${ratio(times, "floor", "none")}. CPU of the whole browser (medians): recording ${ratio(cpu, "armed", "floor")} of the floor, ${ratio(cpu, "armed", "none")} of no extension; the floor ${ratio(cpu, "floor", "none")} of no extension`,
});

export const besideArmedOverhead = sideMeasure({
  id: "fetch-overhead-beside-armed",
  title: "the same page, not armed, while another tab is armed (Chromium; a developer's day)",
  baselineText: "CORS Doctor with no tab armed (the first row), same runs",
  targetText: "— (reference: what arming one tab costs the others)",
  side: "beside",
  base: "unarmed",
  more: ({ times, cpu }) =>
    `; a second tab stays open on an armed page at localhost (site list: localhost). Against no extension: ${ratio(times, "beside", "none")} wall, ${ratio(cpu, "beside", "none")} CPU; against CORS Doctor with no tab armed: ${ratio(cpu, "beside", "unarmed")} CPU. The armed tab's capture listeners carry a tabId filter, so the measured tab's requests do not reach them`,
});

export const besideWorkerOverhead = sideMeasure({
  id: "fetch-overhead-beside-sw",
  title: "the same page, not armed, while another tab is armed and its page has a service worker (Chromium; reference)",
  baselineText: "CORS Doctor with no tab armed (the first row), same runs",
  targetText: "— (reference: the price of following a site's service worker)",
  side: "besideWorker",
  base: "unarmed",
  more: ({ times, cpu }) =>
    `; a second tab stays open on an armed localhost page that its service worker controls (the worker passes requests on; one of its requests is seen in that tab's capture before the runs). Against no extension: ${ratio(times, "besideWorker", "none")} wall, ${ratio(cpu, "besideWorker", "none")} CPU; against CORS Doctor with no tab armed: ${ratio(cpu, "besideWorker", "unarmed")} CPU; the floor of an armed tab (same runs) is ${ratio(times, "floor", "none")} wall, ${ratio(cpu, "floor", "none")} CPU of no extension. Service-worker requests have no tab (tabId −1), which no listener filter can select, so while such a tab is armed, every tab's fetch/XHR, fonts and pings cross to the background and are dropped there`,
});

export const floorOverhead = sideMeasure({
  id: "fetch-overhead-floor",
  title: "the same page with CORS Doctor's listeners doing nothing, tab armed the same way (Chromium; the floor of the row above)",
  baselineText: "the same page without any extension, same runs",
  targetText: "— (reference)",
  side: "floor",
  base: "none",
  more: ({ cpu }) => `. CPU (medians): ${ratio(cpu, "floor", "none")} of no extension`,
});
