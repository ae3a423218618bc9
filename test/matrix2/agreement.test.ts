// matrix2 agreement: CORS Doctor against the browsers' own signals, on the recorded cases (no browser needed).
// (a) `analyzeHar` on each browser's recorded HAR, (b) the live extension's report recorded next to it, each case's
// verdict and blockedBy compared with what the browser said (test/matrix2/truth.mjs: A.5 ids for failures that are
// not CORS checks, the browser's CORS error for CORS checks; non-CORS loads must not be blocked), and (c) the table
// per class and browser that the README's accuracy section carries.
//
// KNOWN_DISAGREEMENTS lists every (browser, source, case) where CORS Doctor does not yet agree, with what it said.
// The test fails on a regression (a case that agreed and no longer does) AND on an improvement that is not recorded
// here (a listed case that now agrees): remove it from the list when the engine learns it.
import { describe, it, expect, afterAll } from "vitest";
import { scenarios } from "./scenarios.mjs";
import { agreementRows, agreementTable, describeSaid, describeTruth, loadRecording, truthOf, type Row } from "./agreement";

/** `${browser}/${source}/${case}` → what CORS Doctor said instead of the browser's answer (at the time of listing). */
const KNOWN_DISAGREEMENTS: Record<string, string> = {
};

const rows = agreementRows();
const key = (r: Row) => `${r.browser}/${r.source}/${r.id}`;

describe("matrix2 recordings", () => {
  it("hold at least 120 cases, each recorded in both browsers with the page's outcome", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(120);
    for (const browser of ["chromium", "firefox"] as const) {
      const { verdicts } = loadRecording(browser);
      for (const s of scenarios) {
        expect(verdicts.cases[s.id], `${browser} ${s.id}`).toBeDefined();
        expect(typeof verdicts.cases[s.id].page.ok, `${browser} ${s.id}`).toBe("boolean");
        expect(verdicts.cases[s.id].extension, `${browser} ${s.id}: the extension's report was recorded`).not.toBeNull();
      }
    }
  });

  it("never let a no-cors load, a beacon or a plain <img>/<script> fail in the browser (the controls are real)", () => {
    for (const browser of ["chromium", "firefox"] as const) {
      const { verdicts } = loadRecording(browser);
      for (const s of scenarios.filter((x) => x.cls === "no-cors")) {
        expect(truthOf(browser, s, verdicts.cases[s.id]).verdict, `${browser} ${s.id}`).toBe("not-blocked");
      }
    }
  });
});

describe("matrix2 agreement with the browsers' own signals", () => {
  it.each(["chromium", "firefox"] as const)("%s: every case agrees except the known disagreements, and every known one still disagrees", (browser) => {
    const mine = rows.filter((r) => r.browser === browser);
    const regressions = mine.filter((r) => !r.agrees && !(key(r) in KNOWN_DISAGREEMENTS))
      .map((r) => `${key(r)}: browser ${describeTruth(r.truth)} (${r.truth.basis}), CORS Doctor ${describeSaid(r.said)}`);
    const improvements = mine.filter((r) => r.agrees && key(r) in KNOWN_DISAGREEMENTS).map((r) => `${key(r)} now agrees: remove it from KNOWN_DISAGREEMENTS`);
    expect(regressions).toEqual([]);
    expect(improvements).toEqual([]);
  });

  it("the known list names only real cases", () => {
    const all = new Set(rows.map(key));
    expect(Object.keys(KNOWN_DISAGREEMENTS).filter((k) => !all.has(k))).toEqual([]);
  });

  afterAll(() => {
    // (c) The table for the README's accuracy section (printed with the test output).
    console.log(`\nmatrix2 agreement with the browsers' own signals (agreeing/total)\n${agreementTable(rows)}\n`);
  });
});
