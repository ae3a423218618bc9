// The page-side observer end to end on real https (the local CA, real host names): the requests a browser refuses
// before any webRequest event exists (mixed content, the page's CSP connect-src, a CSP-refused sendBeacon) and a
// redirect hop the page's CSP refused, scripts whose integrity digest failed, no-cors loads ORB blocked, and an
// <img crossorigin> another extension blocked. Each must be listed by the built CORS Doctor in the tab that made it,
// blocked, with its A.5 id and no CORS recipe; the controls (allowed by the CSP, http://localhost from https) must
// not be blocked. And a service worker's fetch blocked by CORS (webRequest: tabId −1), listed in the tab showing the
// worker's site in full, with the CORS reason (the page said it has a worker, and the worker listeners followed it):
// Chromium names the same reason; Firefox tells the page nothing but that it failed.
// Shared by the Chromium and the Firefox test (one browser per file).
import { beforeAll, expect, it } from "vitest";
import { extensionSaid } from "./agreement";
import type { Matrix2Verdicts } from "./record-chromium.mjs";
import { scenarios, type Scenario } from "./scenarios.mjs";

type Browser = "chromium" | "firefox";
/**
 * `expected`: the id CORS Doctor must list the request with (null: a control, never blocked); `cors:<CorsError>`
 * for a CORS check, which must carry that CorsError and its recipe.
 */
export const OBSERVER_CASES: { id: string; expected: string | null; refusedBeforeNetwork: boolean; serviceWorker?: true }[] = [
  { id: "mixed-fetch-get", expected: "not-cors-mixed-content", refusedBeforeNetwork: true },
  { id: "mixed-fetch-put", expected: "not-cors-mixed-content", refusedBeforeNetwork: true },
  { id: "mixed-xhr", expected: "not-cors-mixed-content", refusedBeforeNetwork: true },
  // A font of plain http: the page's rejected FontFace.load() is all there is (the source kept from its constructor).
  { id: "mixed-font", expected: "not-cors-mixed-content", refusedBeforeNetwork: true },
  // The same through the page's own @font-face rule: the failed face's source is read from the style sheet.
  { id: "mixed-font-css", expected: "not-cors-mixed-content", refusedBeforeNetwork: true },
  { id: "csp-fetch-get", expected: "not-cors-csp-connect-src", refusedBeforeNetwork: true },
  { id: "csp-xhr", expected: "not-cors-csp-connect-src", refusedBeforeNetwork: true },
  { id: "csp-default-src", expected: "not-cors-csp-connect-src", refusedBeforeNetwork: true },
  { id: "csp-beacon", expected: "not-cors-csp-connect-src", refusedBeforeNetwork: true },
  { id: "csp-redirect-hop", expected: "not-cors-csp-connect-src", refusedBeforeNetwork: false },
  // Subresource Integrity of a script: an armed Chromium tab follows scripts only at their network failure, and this
  // one loaded; only the page's error event shows it failed (Firefox follows every type and matches the two).
  { id: "sri-script-mismatch", expected: "not-cors-sri", refusedBeforeNetwork: false },
  { id: "sri-module-mismatch", expected: "not-cors-sri", refusedBeforeNetwork: false },
  // ORB: Chromium names it (ERR_BLOCKED_BY_ORB, seen by the error listener of an armed tab); Firefox fails the load with
  // a bare NS_ERROR_FAILURE and prints nothing, so the response's Content-Type is the evidence.
  { id: "orb-img-json", expected: "not-cors-orb", refusedBeforeNetwork: false },
  { id: "orb-script-json", expected: "not-cors-orb", refusedBeforeNetwork: false },
  { id: "orb-img-png-ok", expected: null, refusedBeforeNetwork: false },
  // An <img crossorigin> another extension blocked fails before its headers, like a plain image: the page's error
  // event says it was a CORS-mode load, the failure capture dropped says why.
  { id: "dnr-block-img", expected: "not-cors-blocked-by-client", refusedBeforeNetwork: true },
  // The same from a `new Image()` never attached (a canvas loader): its error event reaches only the image itself.
  { id: "dnr-block-img-detached", expected: "not-cors-blocked-by-client", refusedBeforeNetwork: true },
  { id: "dnr-block-img-detached-setattr", expected: "not-cors-blocked-by-client", refusedBeforeNetwork: true },
  { id: "csp-allows-api", expected: null, refusedBeforeNetwork: false },
  { id: "mixed-localhost-allowed", expected: null, refusedBeforeNetwork: false },
  {
    id: "init-sw-no-acao",
    expected: "cors:MissingAllowOriginHeader",
    refusedBeforeNetwork: false,
    serviceWorker: true,
  },
  { id: "init-sw-ok", expected: null, refusedBeforeNetwork: false, serviceWorker: true },
];

type ObserverCase = (typeof OBSERVER_CASES)[number];

/** What the browser's own signals say about a case (its truth), in the terms of OBSERVER_CASES. */
export function browserSays(c: ObserverCase, browser: Browser, truth: { verdict: string; id?: string }): string | null {
  if (truth.verdict !== "blocked") return null;
  // A service worker's CORS failure in Firefox: nothing the recorder can see names the reason (the worker's console
  // is not the page's), so the case's own reason stands for it. Chromium names it on the worker's target.
  return c.serviceWorker && browser === "firefox" ? c.expected : (truth.id ?? "");
}

export const observerScenarios = (): Scenario[] => scenarios.filter((s) => OBSERVER_CASES.some((c) => c.id === s.id));

/** What CORS Doctor listed for one case (its report of the page's tab), checked against the expectation. */
export function expectObserved(c: ObserverCase, rec: { page: { ok: boolean }; wire: string[]; extension: any[] | null }) {
  const said = extensionSaid(rec.extension);
  if (c.expected === null) {
    expect(rec.page.ok, "the control really is allowed").toBe(true);
    expect(said?.verdict, "a request the page could read is never blocked").not.toBe("blocked");
    return;
  }
  if (c.refusedBeforeNetwork)
    expect(
      rec.wire.filter((w) => w.includes("start")),
      "nothing reached the API",
    ).toEqual([]);
  expect(said, "listed in the tab that made the request").not.toBeNull();
  expect(said!.verdict).toBe("blocked");
  const entry = (rec.extension ?? []).find((e) => e.verdict === "blocked" && e.role !== "preflight");
  if (c.expected.startsWith("cors:")) {
    expect(said!.chromeCorsError, "the CORS reason the browser gave").toBe(c.expected.slice("cors:".length));
    expect(entry.blockedBy.corsRecipe, "a CORS failure gets its recipe").toBe(true);
    return;
  }
  expect(said!.id).toBe(c.expected);
  expect(entry.blockedBy.chromeCorsError, "not a CORS error").toBeUndefined();
  expect(entry.blockedBy.corsRecipe, "no CORS recipe for a failure that is not CORS").toBe(false);
}

/**
 * The test of one browser's file: record the cases with the built CORS Doctor, then per case, check that the
 * browser's own signals say what the case expects (else it proves nothing) and that CORS Doctor listed it so.
 */
export function observerTests(
  browser: Browser,
  record: (options: { scenarios: Scenario[]; withExtension: boolean }) => Promise<{ verdicts: Matrix2Verdicts }>,
  truthOf: (s: Scenario, rec: any) => { verdict: string; id?: string },
) {
  let recorded: Matrix2Verdicts;
  beforeAll(async () => {
    ({ verdicts: recorded } = await record({ scenarios: observerScenarios(), withExtension: true }));
  }, 240_000);

  it.each(OBSERVER_CASES)("$id: listed in its tab as $expected", (c) => {
    const s = observerScenarios().find((x) => x.id === c.id)!;
    const rec = recorded.cases[c.id];
    expect(browserSays(c, browser, truthOf(s, rec))).toBe(c.expected);
    expectObserved(c, rec);
  });
}
