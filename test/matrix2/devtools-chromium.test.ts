// DevTools open on the tab, in Chromium on real https: a dedicated worker's fetch refused as mixed content happens
// before any webRequest event and outside the page-side observer's reach (it runs in documents). DevTools records it,
// and the extension's devtools page forwards it (src/capture/devtools-entries.ts): it must be listed in the tab, as
// mixed content, once. The page's own mixed-content fetch, which the observer reports too, must still be listed once;
// the control (http://localhost, potentially trustworthy) never blocked. Without DevTools the worker's case is not
// listed: agreement.test.ts keeps that limit.
import { beforeAll, it } from "vitest";
import { expectListedOnce } from "./listed-once";
import { type Matrix2Verdicts, recordChromium } from "./record-chromium.mjs";
import { scenarios } from "./scenarios.mjs";

const CASES = [
  { id: "mixed-worker", expected: "not-cors-mixed-content" },
  { id: "mixed-fetch-get", expected: "not-cors-mixed-content" },
  { id: "mixed-localhost-allowed", expected: null },
] as const;

let recorded: Matrix2Verdicts;
beforeAll(async () => {
  const chosen = scenarios.filter((s) => CASES.some((c) => c.id === s.id));
  ({ verdicts: recorded } = await recordChromium({ scenarios: chosen, withExtension: true, devtools: true }));
}, 240_000);

it.each(CASES)("with DevTools open, $id is listed as $expected, once", ({ id, expected }) => expectListedOnce(recorded, id, expected));
