// matrix2 agreement: CORS Doctor against the browsers' own signals, on the recorded cases (no browser needed).
// (a) `analyzeHar` on each browser's recorded HAR, (b) the live extension's report recorded next to it, each case's
// verdict and blockedBy compared with what the browser said (test/matrix2/truth.mjs: A.5 ids for failures that are
// not CORS checks, the browser's CORS error for CORS checks; non-CORS loads must not be blocked), and (c) the table
// per class and browser that the README's accuracy section carries.
//
// KNOWN_DISAGREEMENTS lists every (browser, source, case) where CORS Doctor does not yet agree, with what it said;
// why each one is a limit of the evidence (not a bug) is in SIGNALS.md, "Every remaining disagreement, and why".
// The test fails on a regression (a case that agreed and no longer does) AND on an improvement that is not recorded
// here (a listed case that now agrees): remove it from the list when the engine learns it.
import { describe, it, expect, afterAll } from "vitest";
import { scenarios } from "./scenarios.mjs";
import {
  agreementRows,
  agreementTable,
  claimsCors,
  describeSaid,
  describeTruth,
  loadRecording,
  misdiagnosisTable,
  readmeTable,
  truthOf,
  type Row,
} from "./agreement";

/** `${browser}/${source}/${case}` → what CORS Doctor said instead of the browser's answer (at the time of listing). */
const KNOWN_DISAGREEMENTS: Record<string, string> = {
  "chromium/har/dnr-remove-acao-get": "blocked acac-not-true/InvalidAllowCredentials",
  "chromium/har/dnr-remove-acao-put": "blocked preflight-acac-not-true/PreflightInvalidAllowCredentials",
  "chromium/har/dnr-set-acao-wrong-get": "blocked acac-not-true/InvalidAllowCredentials",
  "chromium/har/dnr-remove-acah-put": "blocked preflight-acac-not-true/PreflightInvalidAllowCredentials",
  "chromium/extension/mixed-worker": "not listed",
  "chromium/extension/mixed-sw": "not listed",
  "chromium/har/csp-fetch-get": "not listed",
  "chromium/har/csp-fetch-put": "not listed",
  "chromium/har/csp-beacon": "not listed",
  "chromium/har/csp-default-src": "not listed",
  "chromium/har/csp-redirect-hop": "allowed [redirect-on-cors-endpoint,dynamic-acao-missing-vary]",
  "chromium/har/lna-fetch-get": "blocked blocked-reason-unknown",
  "chromium/har/lna-fetch-cred": "blocked blocked-reason-unknown",
  "chromium/har/lna-target-local": "blocked blocked-reason-unknown",
  "chromium/har/lna-target-loopback": "blocked blocked-reason-unknown",
  "chromium/har/lna-xhr": "blocked blocked-reason-unknown",
  "chromium/har/lna-worker": "blocked blocked-reason-unknown",
  "chromium/har/lna-img": "not-cors",
  "chromium/har/lna-nocors": "blocked blocked-reason-unknown",
  "chromium/har/lna-insecure-page": "blocked blocked-reason-unknown",
  "chromium/har/sri-fetch-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "chromium/har/sri-script-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "chromium/har/sri-module-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "chromium/har/expose-missing": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "chromium/har/expose-wildcard-cred": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin,acao-reflects-arbitrary-origin]",
  "chromium/har/init-sw-passthrough-no-acao": "blocked blocked-reason-unknown",
  "chromium/extension/img-crossorigin-no-acao": "blocked blocked-reason-unknown",
  "firefox/har/net-refused-fetch": "blocked not-cors-no-response",
  "firefox/har/net-refused-xhr": "blocked not-cors-no-response",
  "firefox/har/net-refused-worker": "blocked not-cors-no-response",
  "firefox/har/net-refused-iframe": "blocked not-cors-no-response",
  "firefox/har/net-refused-sw": "not listed",
  "firefox/har/net-refused-put": "blocked not-cors-no-response",
  "firefox/har/net-dns-fetch": "blocked not-cors-no-response",
  "firefox/har/net-dns-xhr": "blocked not-cors-no-response",
  "firefox/har/net-dns-worker": "blocked not-cors-no-response",
  "firefox/har/net-dns-iframe": "blocked not-cors-no-response",
  "firefox/har/net-dns-sw": "not listed",
  "firefox/har/net-dns-put": "blocked not-cors-no-response",
  "firefox/har/net-tls-unknown-ca-fetch": "blocked not-cors-no-response",
  "firefox/har/net-tls-unknown-ca-xhr": "blocked not-cors-no-response",
  "firefox/har/net-tls-unknown-ca-worker": "blocked not-cors-no-response",
  "firefox/har/net-tls-unknown-ca-iframe": "blocked not-cors-no-response",
  "firefox/har/net-tls-unknown-ca-sw": "not listed",
  "firefox/har/net-tls-unknown-ca-put": "blocked not-cors-no-response",
  "firefox/har/net-tls-wrong-name-fetch": "blocked not-cors-no-response",
  "firefox/har/net-tls-wrong-name-xhr": "blocked not-cors-no-response",
  "firefox/har/net-tls-wrong-name-worker": "blocked not-cors-no-response",
  "firefox/har/net-tls-wrong-name-iframe": "blocked not-cors-no-response",
  "firefox/har/net-tls-wrong-name-sw": "not listed",
  "firefox/har/net-tls-wrong-name-put": "blocked not-cors-no-response",
  "firefox/har/net-tls-expired-fetch": "blocked not-cors-no-response",
  "firefox/har/net-tls-expired-xhr": "blocked not-cors-no-response",
  "firefox/har/net-tls-expired-worker": "blocked not-cors-no-response",
  "firefox/har/net-tls-expired-iframe": "blocked not-cors-no-response",
  "firefox/har/net-tls-expired-sw": "not listed",
  "firefox/har/net-tls-expired-put": "blocked not-cors-no-response",
  "firefox/har/net-reset-fetch": "blocked not-cors-no-response",
  "firefox/har/net-reset-xhr": "blocked not-cors-no-response",
  "firefox/har/net-reset-worker": "blocked not-cors-no-response",
  "firefox/har/net-reset-iframe": "blocked not-cors-no-response",
  "firefox/har/net-reset-sw": "not listed",
  "firefox/har/net-reset-put": "blocked not-cors-no-response",
  "firefox/har/net-empty-fetch": "blocked not-cors-no-response",
  "firefox/har/net-empty-xhr": "blocked not-cors-no-response",
  "firefox/har/net-empty-worker": "blocked not-cors-no-response",
  "firefox/har/net-empty-iframe": "blocked not-cors-no-response",
  "firefox/har/net-empty-sw": "not listed",
  "firefox/har/net-empty-put": "blocked not-cors-no-response",
  "firefox/har/net-offline-fetch": "blocked not-cors-no-response",
  "firefox/har/net-offline-xhr": "blocked not-cors-no-response",
  "firefox/har/net-offline-put": "blocked not-cors-no-response",
  "firefox/har/dnr-block-get": "blocked not-cors-no-response",
  "firefox/har/dnr-block-put": "blocked not-cors-no-response",
  "firefox/har/dnr-block-xhr": "blocked not-cors-no-response",
  "firefox/har/dnr-block-worker": "blocked not-cors-no-response",
  "firefox/har/dnr-block-img": "blocked not-cors-no-response",
  "firefox/har/dnr-block-img-detached": "blocked not-cors-no-response",
  "firefox/har/dnr-block-img-detached-setattr": "blocked not-cors-no-response",
  "firefox/har/dnr-block-cred": "blocked not-cors-no-response",
  "firefox/har/dnr-preflight-block-put": "blocked not-cors-no-response",
  "firefox/har/dnr-preflight-block-delete": "blocked not-cors-no-response",
  "firefox/har/dnr-remove-acao-get": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/dnr-remove-acao-put": "blocked not-cors-no-response",
  "firefox/har/dnr-set-acao-wrong-get": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/dnr-add-acao-get": "blocked acao-missing/MissingAllowOriginHeader",
  "firefox/har/dnr-remove-acah-put": "blocked not-cors-no-response",
  "firefox/har/mixed-fetch-get": "not listed",
  "firefox/har/mixed-fetch-put": "not listed",
  "firefox/har/mixed-fetch-cred": "not listed",
  "firefox/har/mixed-xhr": "not listed",
  "firefox/extension/mixed-worker": "not listed",
  "firefox/har/mixed-worker": "not listed",
  "firefox/har/mixed-iframe": "not listed",
  "firefox/extension/mixed-sw": "not listed",
  "firefox/har/mixed-sw": "not listed",
  "firefox/har/mixed-module": "not listed",
  "firefox/har/mixed-font": "not listed",
  "firefox/har/mixed-font-css": "not listed",
  "firefox/har/mixed-nocors": "not listed",
  "firefox/har/mixed-redirect-hop": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/csp-fetch-get": "not listed",
  "firefox/har/csp-fetch-put": "not listed",
  "firefox/har/csp-xhr": "not listed",
  "firefox/har/csp-beacon": "not listed",
  "firefox/har/csp-default-src": "not listed",
  "firefox/har/csp-redirect-hop": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/coep-img-no-corp": "not-cors",
  "firefox/har/coep-nocors-no-corp": "not-cors",
  "firefox/har/orb-img-json": "not-cors",
  "firefox/har/orb-img-html": "not-cors",
  "firefox/har/orb-script-json": "not-cors",
  "firefox/har/lna-fetch-get": "blocked not-cors-no-response",
  "firefox/har/lna-fetch-put": "blocked not-cors-no-response",
  "firefox/har/lna-fetch-cred": "blocked not-cors-no-response",
  "firefox/har/lna-target-local": "blocked not-cors-no-response",
  "firefox/har/lna-target-loopback": "blocked not-cors-no-response",
  "firefox/har/lna-xhr": "blocked not-cors-no-response",
  "firefox/har/lna-worker": "blocked not-cors-no-response",
  "firefox/har/lna-img": "not-cors",
  "firefox/har/lna-nocors": "not-cors",
  "firefox/har/lna-insecure-page": "blocked not-cors-no-response",
  "firefox/har/redirect-error-301": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-error-302": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-error-303": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-error-307": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-error-308": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-to-data": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/redirect-to-data-nocors": "not-cors",
  "firefox/har/redirect-to-about": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/sri-fetch-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/sri-script-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/sri-module-mismatch": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/cancel-fetch-hang": "blocked not-cors-no-response",
  "firefox/har/cancel-fetch-slow": "blocked not-cors-no-response",
  "firefox/har/cancel-fetch-slow-no-acao": "blocked not-cors-no-response",
  "firefox/har/cancel-put-slow-preflight": "blocked not-cors-no-response",
  "firefox/har/cancel-xhr-slow": "blocked not-cors-no-response",
  "firefox/har/expose-missing": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin]",
  "firefox/har/expose-wildcard-cred": "allowed [dynamic-acao-missing-vary,acao-reflects-arbitrary-origin,acao-reflects-arbitrary-origin]",
  "firefox/har/init-sw-cred-wildcard": "allowed",
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
  it.each(["chromium", "firefox"] as const)(
    "%s: every case agrees except the known disagreements, and every known one still disagrees",
    (browser) => {
      const mine = rows.filter((r) => r.browser === browser);
      const regressions = mine
        .filter((r) => !r.agrees && !(key(r) in KNOWN_DISAGREEMENTS))
        .map((r) => `${key(r)}: browser ${describeTruth(r.truth)} (${r.truth.basis}), CORS Doctor ${describeSaid(r.said)}`);
      const improvements = mine
        .filter((r) => r.agrees && key(r) in KNOWN_DISAGREEMENTS)
        .map((r) => `${key(r)} now agrees: remove it from KNOWN_DISAGREEMENTS`);
      expect(regressions).toEqual([]);
      expect(improvements).toEqual([]);
    },
  );

  it("never diagnoses a failure that is not a CORS check as a CORS misconfiguration (issue 13), in any column", () => {
    const claimed = rows
      .filter((r) => r.truth.id?.startsWith("not-cors-") && r.said?.verdict === "blocked" && claimsCors(r.said.id))
      .map((r) => `${key(r)}: ${describeSaid(r.said)}`);
    expect(claimed).toEqual([]);
  });

  it("the known list names only real cases", () => {
    const all = new Set(rows.map(key));
    expect(Object.keys(KNOWN_DISAGREEMENTS).filter((k) => !all.has(k))).toEqual([]);
  });

  afterAll(() => {
    // (c) The table for the README's accuracy section (printed with the test output).
    console.log(
      `\nmatrix2 agreement with the browsers' own signals (agreeing/total)\n${agreementTable(rows)}\n\n${misdiagnosisTable(rows)}\n\nBy the README's classes:\n${readmeTable(rows)}\n`,
    );
    // MATRIX2_PRINT_KNOWN=1 prints the current disagreements in the form of KNOWN_DISAGREEMENTS (to update the list).
    if (process.env.MATRIX2_PRINT_KNOWN) {
      const lines = rows.filter((r) => !r.agrees).map((r) => `  ${JSON.stringify(key(r))}: ${JSON.stringify(describeSaid(r.said))},`);
      console.log(`const KNOWN_DISAGREEMENTS: Record<string, string> = {\n${lines.join("\n")}\n};`);
    }
  });
});
