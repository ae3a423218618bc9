// Precise mode (src/background/precise.ts) in Chromium on real https, DevTools closed: a dedicated or service worker's
// fetch refused as mixed content happens before any webRequest event and outside the page-side observer's reach (it
// runs in documents). Attached to the armed tab and its workers through chrome.debugger, the extension hears Chromium's own
// `blockedReason` and must list it in the tab, as mixed content, once. The page's own mixed-content fetch, which the
// observer reports too, must still be listed once; the control (http://localhost, potentially trustworthy) never
// blocked. Without the mode the workers' cases are not listed (this test fails): agreement.test.ts keeps that limit.
import { beforeAll, expect, it } from "vitest";
import { expectListedOnce } from "./listed-once";
import { type Matrix2Verdicts, recordChromium } from "./record-chromium.mjs";
import { scenarios } from "./scenarios.mjs";
import { chromiumTruth } from "./truth.mjs";

const CASES = [
  { id: "mixed-worker", expected: "not-cors-mixed-content" },
  { id: "mixed-fetch-get", expected: "not-cors-mixed-content" },
  { id: "mixed-localhost-allowed", expected: null },
  { id: "mixed-sw", expected: "not-cors-mixed-content" },
] as const;
/**
 * Failures capture sees only at their end (an armed tab follows images at their failure): Chromium's own CorsError,
 * which precise mode hears, names them at once (without it: "most likely CORS", until a reload).
 */
const NAMED = [{ id: "img-crossorigin-no-acao", corsError: "MissingAllowOriginHeader" }] as const;

let recorded: Matrix2Verdicts;
beforeAll(async () => {
  const chosen = scenarios.filter((s) => [...CASES, ...NAMED].some((c) => c.id === s.id));
  ({ verdicts: recorded } = await recordChromium({ scenarios: chosen, withExtension: true, precise: true }));
}, 240_000);

it.each(CASES)("with precise mode on, $id is listed as $expected, once", ({ id, expected }) => expectListedOnce(recorded, id, expected));

it.each(NAMED)("with precise mode on, $id is named by Chromium's own $corsError at its first failure", ({ id, corsError }) => {
  const s = scenarios.find((x) => x.id === id)!;
  const rec = recorded.cases[id];
  expect(chromiumTruth(s, rec), "what Chromium itself said").toMatchObject({ verdict: "blocked", id: `cors:${corsError}` });
  const blocked = (rec.extension ?? []).filter((e: { verdict: string; role: string }) => e.verdict === "blocked" && e.role !== "preflight");
  expect(blocked).toHaveLength(1);
  expect(blocked[0].blockedBy.chromeCorsError).toBe(corsError);
});
