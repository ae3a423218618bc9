// Measure 4c (issue 16): the realistic page (150 subresources, half cross-origin, then 40 API calls in four waves,
// every response delayed 30 ms), time from navigation start to the last API response, with CORS Doctor recording
// the tab (the page is on 127.0.0.1: armed by the default site list) against the same Chromium without any
// extension. Two more sides explain the figure: CORS Doctor's listeners doing nothing (the floor of any capture)
// and an extension with only the webRequest permission (what Chromium charges for it). The tab shows the page once
// before each timed load, as a developer reloading their app. Sides alternate in a rotating order.
import { launch, waitForCapture } from "../browser.mjs";
import { DELAY_MS, startServer } from "../server.mjs";
import { alternate, ratio, sideMeasure } from "../sides.mjs";
import { writeVariant } from "../variants.mjs";
import { realisticRun } from "../workloads.mjs";

const SIDES = ["armed", "none", "floor", "permission"];

/** The runs of every side, alternated: { times, cpu } by side. */
async function session({ runs, log }) {
  const server = await startServer();
  const floorExt = writeVariant("CORS Doctor's listeners, doing nothing");
  const permissionExt = writeVariant("permission only");
  const sides = {};
  try {
    sides.none = await launch({ extension: false });
    sides.armed = await launch({ extension: true });
    sides.floor = await launch({ extension: true, dir: floorExt.dir });
    sides.permission = await launch({ extension: true, dir: permissionExt.dir });
    return await alternate(SIDES, runs, log, (name, i) => {
      const side = sides[name];
      const beforeRun = name === "armed" ? (page) => waitForCapture(side.ctx, side.extId, page, server.api) : undefined;
      return realisticRun(side, server, `${name}${i}`, { beforeRun });
    });
  } finally {
    for (const side of Object.values(sides)) await side.ctx.close().catch(() => {});
    floorExt.dispose();
    permissionExt.dispose();
    await server.close();
  }
}

export default sideMeasure(session, {
  id: "realistic-page",
  title: "realistic page (150 subresources, 40 API calls, 30 ms per response), tab recorded (Chromium)",
  baselineText: "the same page without any extension, runs alternated",
  targetText: "≤ 1.03×",
  side: "armed",
  base: "none",
  target: 1.03,
  detail: ({ times, cpu }) =>
    `Page on http://127.0.0.1, 150 subresources (50 stylesheets, 50 deferred scripts, 50 images; every other one from http://localhost), then 40 preflighted API calls to http://localhost in 4 waves of 10; every response delayed ${DELAY_MS} ms; time from navigation start to the last API response. Same runs, against no extension (wall / CPU of the whole browser, medians): recording ${ratio(times, "armed", "none")} / ${ratio(cpu, "armed", "none")}; CORS Doctor's listeners doing nothing ${ratio(times, "floor", "none")} / ${ratio(cpu, "floor", "none")}; the webRequest permission alone, no listener ${ratio(times, "permission", "none")} / ${ratio(cpu, "permission", "none")}. Recording against the floor: ${ratio(times, "armed", "floor")} / ${ratio(cpu, "armed", "floor")}`,
});
