// Measure 4c in Firefox (issue 16): the realistic page (see realistic-page.mjs) with CORS Doctor recording the tab
// (the page on 127.0.0.1: armed by the default site list) against the same Firefox ESR without any extension, and
// CORS Doctor's Firefox listeners doing nothing (the floor) beside them. The tab shows the page once before each
// timed load, as a developer reloading their app; the armed tab's capture holds a warm-up request before it is timed,
// and the floor reports each run's tab to the server (its listeners followed it).
import { launchFirefox, provedFloorRun, waitForFirefoxCapture } from "../firefox.mjs";
import { DELAY_MS, startServer } from "../server.mjs";
import { alternate, ratio, sideMeasure } from "../sides.mjs";
import { writeVariant } from "../variants.mjs";
import { realisticRun } from "../workloads.mjs";

const SIDES = ["armed", "none", "floor"];

/** The runs of every side, alternated: { times, cpu } by side. */
async function session({ runs, log }) {
  const server = await startServer();
  const floorExt = writeVariant("CORS Doctor's listeners in Firefox, doing nothing");
  const sides = {};
  try {
    sides.none = await launchFirefox({ extension: false });
    sides.armed = await launchFirefox({ extension: true });
    sides.floor = await launchFirefox({ extension: true, dir: floorExt.dir });
    return await alternate(SIDES, runs, log, (name, i) => {
      const side = sides[name];
      const beforeRun = name === "armed" ? (page) => waitForFirefoxCapture(side, page, server.api) : undefined;
      const run = () => realisticRun(side, server, `${name}${i}`, { beforeRun });
      return name === "floor" ? provedFloorRun(server, run) : run();
    });
  } finally {
    for (const side of Object.values(sides)) await side.close();
    floorExt.dispose();
    await server.close();
  }
}

export default sideMeasure(session, {
  id: "realistic-page-firefox",
  title: "realistic page (150 subresources, 40 API calls, 30 ms per response), tab recorded (Firefox)",
  baselineText: "the same page without any extension, runs alternated",
  targetText: "≤ 1.03×",
  side: "armed",
  base: "none",
  target: 1.03,
  detail: ({ times, cpu }) =>
    `The realistic page of realistic-page in three Firefox ESRs side by side (every response delayed ${DELAY_MS} ms; time from navigation start to the last API response). Same runs, against no extension (wall / CPU of the whole browser, medians): recording ${ratio(times, "armed", "none")} / ${ratio(cpu, "armed", "none")}; CORS Doctor's Firefox listeners doing nothing ${ratio(times, "floor", "none")} / ${ratio(cpu, "floor", "none")}. Recording against the floor: ${ratio(times, "armed", "floor")} / ${ratio(cpu, "armed", "floor")}`,
});
