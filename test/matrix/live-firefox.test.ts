// Drift detection: re-record a subset of the matrix in the installed Firefox ESR and compare with the
// committed verdicts (see live-chromium.test.ts).
import { describe, it, expect, beforeAll } from "vitest";
import { recordFirefox, type FirefoxVerdicts } from "./record-firefox.mjs";
import { scenarios } from "./scenarios.mjs";
import { loadFirefoxMatrix } from "./fixtures.js";
import { LIVE_SUBSET, stableFirefox } from "./live-subset.js";

describe("Firefox truth matrix (live re-recording)", () => {
  let live: FirefoxVerdicts;
  const committed = loadFirefoxMatrix().verdicts;
  beforeAll(async () => {
    ({ verdicts: live } = await recordFirefox({ scenarios: scenarios.filter((s) => LIVE_SUBSET.includes(s.id)) }));
  });
  it.each(LIVE_SUBSET)("%s matches the committed verdict", (id) => {
    expect(committed.scenarios[id], `no committed verdict for ${id}`).toBeDefined();
    expect(stableFirefox(live.scenarios[id])).toEqual(stableFirefox(committed.scenarios[id]));
  });
});
