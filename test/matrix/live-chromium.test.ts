// Drift detection: re-record a subset of the matrix in the installed Chromium and compare with the committed
// verdicts. A failure means the browser (or the recorder) changed behaviour: re-record with
// `node scripts/record-matrix.mjs --browser chromium` and review the diff and test/matrix/FINDINGS.md.
import { describe, it, expect, beforeAll } from "vitest";
import { recordChromium, type ChromiumVerdicts } from "./record-chromium.mjs";
import { scenarios } from "./scenarios.mjs";
import { loadChromiumMatrix } from "./fixtures.js";
import { LIVE_SUBSET, stableChromium } from "./live-subset.js";

describe("Chromium truth matrix (live re-recording)", () => {
  let live: ChromiumVerdicts;
  const committed = loadChromiumMatrix().verdicts;
  beforeAll(async () => {
    ({ verdicts: live } = await recordChromium({ scenarios: scenarios.filter((s) => LIVE_SUBSET.includes(s.id)) }));
  });
  it.each(LIVE_SUBSET)("%s matches the committed verdict", (id) => {
    expect(committed.scenarios[id], `no committed verdict for ${id}`).toBeDefined();
    expect(stableChromium(live.scenarios[id])).toEqual(stableChromium(committed.scenarios[id]));
  });
});
