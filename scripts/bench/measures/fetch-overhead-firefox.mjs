// Measure 4 in Firefox (issue 16: "Firefox: the same behaviour with its own listener semantics"): the 2,000-fetch
// page in four Firefox ESRs side by side: without any extension; with CORS Doctor on a tab it does not record (the
// page on 127.0.0.2, a loopback host not on the default site list, as a developer's other tabs are); and with CORS
// Doctor recording the tab (the page on 127.0.0.1, armed by the default site list); and with an extension that registers
// CORS Doctor's Firefox listeners, arming the tab the same way, each doing nothing (the floor). The no-extension side loads the
// unlisted page too, so it differs from the unarmed side only by the extension. Each run proves its side: the armed
// tab's capture holds a warm-up request before it is timed, the unarmed tab's holds nothing after it, and the floor
// reports the run's tab to the server (its listeners followed it).
import { capturedIn, launchFirefox, provedFloorRun, waitForFirefoxCapture } from "../firefox.mjs";
import { startServer } from "../server.mjs";
import { alternate, ratio, sideMeasure as sharedSideMeasure } from "../sides.mjs";
import { writeVariant } from "../variants.mjs";
import { fetchRun } from "../workloads.mjs";

const SIDES = ["none", "unarmed", "armed", "floor"];
let shared = null;

/** The unarmed tab was neither armed nor captured, after 2,000 fetches. */
async function provesUnarmed(side, page) {
  const { tabId, entries } = await capturedIn(side, page);
  const snapshot = await side.send({ type: "cors-doctor:snapshot", tabId });
  if (entries > 0 || snapshot?.arming?.armed !== false)
    throw new Error(`the unarmed Firefox tab was captured: ${entries} entries, arming ${JSON.stringify(snapshot?.arming ?? null)}`);
}

async function measure({ smoke, runs, log }) {
  const n = smoke ? 200 : 2000;
  const server = await startServer();
  const floorExt = writeVariant("CORS Doctor's listeners in Firefox, doing nothing");
  const sides = {};
  try {
    sides.none = await launchFirefox({ extension: false });
    sides.unarmed = await launchFirefox({ extension: true });
    sides.armed = await launchFirefox({ extension: true });
    sides.floor = await launchFirefox({ extension: true, dir: floorExt.dir });
    const { times, cpu } = await alternate(SIDES, runs, log, (name, i) => {
      const side = sides[name];
      const run = () =>
        fetchRun(side, server, n, `${name}${i}`, {
          url: name === "armed" || name === "floor" ? server.page : server.unlistedPage,
          beforeRun: name === "armed" ? (page) => waitForFirefoxCapture(side, page, server.api) : undefined,
          afterRun: name === "unarmed" ? (page) => provesUnarmed(side, page) : undefined,
        });
      return name === "floor" ? provedFloorRun(server, run) : run();
    });
    return { times, cpu, n };
  } finally {
    for (const side of Object.values(sides)) await side.close();
    floorExt.dispose();
    await server.close();
  }
}

/** The measures share one session of runs (the first to run starts it). */
function session(opts) {
  shared ??= measure(opts);
  return shared;
}

const detail = (n) =>
  `${n} fetches per run to http://localhost (85 % allowed GET, 10 % preflighted PUT with Max-Age 0, 5 % blocked), 16 in flight, timed in the page with performance.now(); four Firefox ESRs side by side, runs alternated; CPU is the whole browser's (every process)`;

/** A row of the shared runs (sides.mjs), against no extension unless `base` says; `more(runs)` completes the detail line. */
const sideMeasure = ({ more, base = "none", ...row }) =>
  sharedSideMeasure(session, { ...row, base, detail: (runs) => `${detail(runs.n)}${more(runs)}` });

export default sideMeasure({
  id: "fetch-overhead-firefox",
  title: "2,000 cross-origin fetches in a tab CORS Doctor does not record (Firefox)",
  baselineText: "the same page without any extension, same runs",
  targetText: "≤ 1.03×",
  side: "unarmed",
  target: 1.03,
  more: ({ cpu }) =>
    `; the page on http://127.0.0.2, not on the default site list (after each run the tab is shown neither armed nor captured). CPU (medians): ${ratio(cpu, "unarmed", "none")} of no extension`,
});

export const firefoxArmedOverhead = sideMeasure({
  id: "fetch-overhead-firefox-armed",
  title: "2,000 cross-origin fetches in a tab CORS Doctor records (Firefox)",
  baselineText: "an extension whose same listeners (Firefox's) do nothing, tab armed the same way, same runs",
  targetText: "≤ 1.10×",
  side: "armed",
  base: "floor",
  target: 1.1,
  more: ({ times, cpu }) =>
    `; the page on http://127.0.0.1, armed by the default site list (a warm-up request is in its capture before each timed run). Against no extension: recording ${ratio(times, "armed", "none")} wall, ${ratio(cpu, "armed", "none")} CPU; the floor (no-op listeners) ${ratio(times, "floor", "none")} wall, ${ratio(cpu, "floor", "none")} CPU`,
});
