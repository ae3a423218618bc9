// One scenario saved as HAR by Chrome's DevTools (chrome.devtools.network.getHAR) and by Firefox's
// netmonitor auto-export (scripts/record-devtools-har.mjs): the two files must give the same diagnoses.
import fs from "node:fs";
import { expect, test } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";

function diagnosesByPath(file: string): Map<string, string> {
  const analysis = analyzeHar(JSON.parse(fs.readFileSync(file, "utf8")), { fixes: false });
  const out = new Map<string, string>();
  for (const e of analysis.entries) {
    if (e.diagnosis.role === "not-cors") continue;
    const path = new URL(e.url).pathname;
    out.set(`${e.diagnosis.role} ${e.method} ${path}`, `${e.diagnosis.verdict} ${e.diagnosis.blockedBy?.id ?? ""}`.trim());
  }
  return out;
}

test("Chrome's and Firefox's DevTools HAR of the same scenario diagnose alike", () => {
  const chrome = diagnosesByPath("test/fixtures/devtools/chrome-devtools.har");
  const firefox = diagnosesByPath("test/fixtures/devtools/firefox-devtools.har");
  expect(chrome.size).toBeGreaterThanOrEqual(8);
  expect(Object.fromEntries(firefox)).toEqual(Object.fromEntries(chrome));
  // The scenario covers the main families, so the comparison means something.
  const verdicts = [...chrome.values()].join("\n");
  for (const id of ["acao-missing", "preflight-header-not-allowed", "acao-wildcard-with-credentials"]) expect(verdicts).toContain(id);
  expect(verdicts).toContain("allowed");
});
