// The engine against what Chromium and Firefox actually did (test/fixtures/matrix, recorded by
// `npm run record`). The browser wins: every disagreement fails the suite, listed with both sides.
import { describe, expect, test } from "vitest";
import { chromiumAgreement, firefoxAgreement, type Agreement } from "./matrix-agreement";

function report(a: Agreement): string {
  const lines = a.disagreements.map((d) => `  ${d.id}#${d.fetch} ${d.field}: browser=${d.browser} engine=${d.engine}`);
  return `${a.browser} (${a.mode}): ${a.compared - a.disagreements.length}/${a.compared} agree\n${lines.join("\n")}`;
}

describe("engine agrees with the recorded browsers", () => {
  test.each([
    ["Chromium, outcome given", () => chromiumAgreement("outcome")],
    ["Chromium, headers alone", () => chromiumAgreement("headers-only")],
    ["Firefox, outcome given", () => firefoxAgreement("outcome")],
    ["Firefox, headers alone", () => firefoxAgreement("headers-only")],
  ] as const)("%s", (_name, run) => {
    const a = run();
    expect(a.compared).toBeGreaterThanOrEqual(250);
    expect(a.disagreements, report(a)).toEqual([]);
  });
});
