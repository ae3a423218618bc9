// Drift detection: re-record a few matrix2 cases in the installed Firefox ESR (no CORS Doctor: the browser's own
// signals only) and compare with the committed recording. A failure means Firefox changed behaviour: re-record
// with `npm run record:matrix2 -- --browser firefox`, review the diff and test/matrix2/SIGNALS.md.
import { describe, it, expect, beforeAll } from "vitest";
import { recordFirefox } from "./record-firefox.mjs";
import type { Matrix2Verdicts } from "./record-chromium.mjs";
import { firefoxTruth } from "./truth.mjs";
import { loadRecording } from "./agreement";
import { LIVE_SUBSET, liveScenarios, stableFirefox, withoutRacyFirefox } from "./live-subset";

describe("matrix2 in Firefox ESR (live re-recording)", () => {
  let live: Matrix2Verdicts;
  const committed = loadRecording("firefox").verdicts;
  beforeAll(async () => {
    ({ verdicts: live } = await recordFirefox({ scenarios: liveScenarios(), withExtension: false }));
  }, 180_000);
  it.each(LIVE_SUBSET)("%s: the same signals and the same truth as the committed recording", (id) => {
    const s = liveScenarios().find((x) => x.id === id)!;
    const rec = withoutRacyFirefox(id, live.cases[id]);
    expect(stableFirefox(rec)).toEqual(stableFirefox(committed.cases[id]));
    expect(firefoxTruth(s, rec)).toEqual(firefoxTruth(s, committed.cases[id]));
  });
});
