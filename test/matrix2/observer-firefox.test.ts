// The page-side observer in Firefox ESR on real https: see observer-cases.ts. Records the cases with the built CORS
// Doctor (npm run build) and the browser's own signals, then checks what CORS Doctor listed.
import { beforeAll, expect, it } from "vitest";
import { recordFirefox } from "./record-firefox.mjs";
import type { Matrix2Verdicts } from "./record-chromium.mjs";
import { firefoxTruth } from "./truth.mjs";
import { browserSays, expectObserved, OBSERVER_CASES, observerScenarios } from "./observer-cases";

let recorded: Matrix2Verdicts;
beforeAll(async () => {
  ({ verdicts: recorded } = await recordFirefox({ scenarios: observerScenarios(), withExtension: true }));
}, 240_000);

it.each(OBSERVER_CASES)("$id: listed in its tab as $expected, no CORS recipe", (c) => {
  const s = observerScenarios().find((x) => x.id === c.id)!;
  const rec = recorded.cases[c.id];
  // The browser's own signals say the same (else the case proves nothing).
  const truth = firefoxTruth(s, rec);
  expect(browserSays(c, truth)).toBe(c.expected);
  expectObserved(c, rec);
});
