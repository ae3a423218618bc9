// Every report CORS Doctor writes (src/core/har/write.ts) is a HAR 1.2 log that other tools open: validated
// against the HAR 1.2 schema of a maintained validator. Reports are generated from every recorded browser
// HAR (Chrome and Firefox DevTools exports, the truth matrix of both browsers) and from edge cases; the
// playground's real export is validated in playground-export.test.ts.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { buildHarReport, type ReportItem } from "../../src/core/har/write";
import type { CorsDiagnosis, Exchange } from "../../src/core/model";
import { harProblems } from "./har-schema";

const FIXTURES = [
  "test/fixtures/devtools/chrome-devtools.har",
  "test/fixtures/devtools/firefox-devtools.har",
  "test/fixtures/matrix/chromium.har",
  "test/fixtures/matrix/firefox.har",
];

function reportFrom(file: string, includeSecrets: boolean) {
  const analysis = analyzeHar(JSON.parse(fs.readFileSync(file, "utf8")));
  const items: ReportItem[] = analysis.exchanges.map((group, i) => ({ exchange: group.exchange, diagnosis: analysis.diagnoses[i]! }));
  return {
    report: JSON.parse(
      JSON.stringify(buildHarReport(items, { version: "0.0.0-test", includeSecrets, browser: { name: "Chromium", version: "156" } })),
    ),
    sourceEntries: analysis.entries.length,
  };
}

describe("reports generated from recorded browser HARs", () => {
  for (const file of FIXTURES) {
    for (const includeSecrets of [false, true]) {
      it(`${path.basename(path.dirname(file))}/${path.basename(file)}${includeSecrets ? " (secrets included)" : ""} → valid HAR 1.2`, async () => {
        const { report, sourceEntries } = reportFrom(file, includeSecrets);
        expect(report.log.entries.length).toBeGreaterThanOrEqual(sourceEntries > 0 ? 1 : 0);
        expect(await harProblems(report)).toEqual([]);
      });
    }
  }
});

const PAGE = "http://127.0.0.1:3000";
const allowed: CorsDiagnosis = { role: "actual", pairedWith: null, verdict: "allowed", blockedBy: null, findings: [] };

/** Edge cases a writer gets wrong: no response, custom method, redirect, secrets, odd header values. */
const EDGES: Array<[string, Exchange[]]> = [
  ["an empty tab", []],
  [
    "a request with no response and no timings",
    [
      {
        initiatorOrigin: PAGE,
        legs: [{ request: { method: "GET", url: "http://localhost:4000/x", headers: [{ name: "Origin", value: PAGE }] } }],
        outcome: { kind: "failed", error: "net::ERR_CONNECTION_REFUSED" },
      },
    ],
  ],
  [
    "a custom method, a cookie, a query secret and a redirect",
    [
      {
        initiatorOrigin: PAGE,
        legs: [
          {
            request: {
              method: "PROPPATCH",
              url: "http://localhost:4000/a?token=s3cret&x=1",
              headers: [
                { name: "Origin", value: PAGE },
                { name: "Cookie", value: "sid=abc; theme=dark" },
              ],
            },
            response: {
              status: 307,
              statusText: "Temporary Redirect",
              headers: [
                { name: "Location", value: "/b" },
                { name: "Set-Cookie", value: "sid=def; Path=/; HttpOnly; Secure; SameSite=None" },
              ],
            },
            timings: { start: 1767225600000, sendHeaders: 1767225600001.5, headersReceived: 1767225600010, end: 1767225600011 },
          },
          {
            request: { method: "PROPPATCH", url: "http://localhost:4000/b", headers: [{ name: "Origin", value: "null" }] },
            response: { status: 200, headers: [{ name: "Access-Control-Allow-Origin", value: "*" }] },
          },
        ],
        outcome: { kind: "completed" },
        startedAt: 1767225600000,
      },
    ],
  ],
];

describe("reports of edge cases", () => {
  for (const [name, exchanges] of EDGES) {
    for (const includeSecrets of [false, true]) {
      it(`${name}${includeSecrets ? " (secrets included)" : ""} → valid HAR 1.2`, async () => {
        const report = JSON.parse(
          JSON.stringify(
            buildHarReport(
              exchanges.map((exchange) => ({ exchange, diagnosis: allowed })),
              { version: "0.0.0-test", includeSecrets },
            ),
          ),
        );
        expect(await harProblems(report)).toEqual([]);
      });
    }
  }
});

describe("the validator is not a rubber stamp", () => {
  const ROWS: Array<[string, (har: any) => void, RegExp]> = [
    ["a missing response", (har) => delete har.log.entries[0].response, /response/],
    ["a status as a string", (har) => (har.log.entries[0].response.status = "200"), /status/],
    ["a header without a value", (har) => delete har.log.entries[0].request.headers[0].value, /headers\/0/],
    ["a negative time", (har) => (har.log.entries[0].time = -5), /time/],
    ["no timings.wait", (har) => delete har.log.entries[0].timings.wait, /timings\.wait is required/],
    ["a method that is not a token", (har) => (har.log.entries[0].request.method = "GET /"), /method/],
  ];
  for (const [name, spoil, problem] of ROWS) {
    it(`rejects ${name}`, async () => {
      const { report } = reportFrom(FIXTURES[0]!, false);
      spoil(report);
      const problems = await harProblems(report);
      expect(problems.join("\n")).toMatch(problem);
    });
  }
});
