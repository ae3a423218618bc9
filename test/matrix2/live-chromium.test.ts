// Drift detection: re-record a few matrix2 cases in the installed Chromium (no CORS Doctor: the browser's own
// signals only) and compare with the committed recording. A failure means Chromium changed behaviour: re-record
// with `npm run record:matrix2 -- --browser chromium`, review the diff and test/matrix2/SIGNALS.md.
import { describe, it, expect, beforeAll } from "vitest";
import { recordChromium, type Matrix2Verdicts } from "./record-chromium.mjs";
import { chromiumTruth } from "./truth.mjs";
import { loadRecording } from "./agreement";
import { LIVE_SUBSET, liveScenarios, stableChromium } from "./live-subset";

describe("matrix2 in Chromium (live re-recording)", () => {
  let live: Matrix2Verdicts;
  const committed = loadRecording("chromium").verdicts;
  beforeAll(async () => {
    ({ verdicts: live } = await recordChromium({ scenarios: liveScenarios(), withExtension: false }));
  }, 180_000);
  it.each(LIVE_SUBSET)("%s: the same signals and the same truth as the committed recording", (id) => {
    const s = liveScenarios().find((x) => x.id === id)!;
    expect(stableChromium(live.cases[id])).toEqual(stableChromium(committed.cases[id]));
    expect(chromiumTruth(s, live.cases[id])).toEqual(chromiumTruth(s, committed.cases[id]));
  });
});
