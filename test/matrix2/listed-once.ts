// The check both Chromium-only sources of worker mixed content share (devtools-chromium.test.ts, DevTools open;
// precise-chromium.test.ts, precise mode on): Chromium itself blocked the case as `expected` (or not at all), and the
// extension listed it so, once, with no CORS recipe.
import { expect } from "vitest";
import { extensionSaid } from "./agreement";
import type { Matrix2Verdicts } from "./record-chromium.mjs";
import { scenarios } from "./scenarios.mjs";
import { chromiumTruth } from "./truth.mjs";

export function expectListedOnce(recorded: Matrix2Verdicts, id: string, expected: string | null): void {
  const s = scenarios.find((x) => x.id === id)!;
  const rec = recorded.cases[id];
  const truth = chromiumTruth(s, rec);
  expect(truth.verdict === "blocked" ? truth.id : null, "what Chromium itself said").toBe(expected);
  const said = extensionSaid(rec.extension);
  const blocked = (rec.extension ?? []).filter((e: { verdict: string; role: string }) => e.verdict === "blocked" && e.role !== "preflight");
  if (expected === null) {
    expect(said?.verdict, "a request the page could read is never blocked").not.toBe("blocked");
    return;
  }
  expect(said?.verdict).toBe("blocked");
  expect(said?.id).toBe(expected);
  expect(blocked).toHaveLength(1);
  expect(blocked[0].blockedBy.corsRecipe, "no CORS recipe for a failure that is not CORS").toBe(false);
}
