// The check behind `npm start`'s exit status: it must fail when the extension missed a button or diagnosed it
// differently from what the button demonstrates. Rows: a real report (from the scenarios) with one defect each.
import { describe, expect, it } from "vitest";
import { checkReport, formatTable } from "../../playground/report-check.mjs";
import { scenarios, scenarioUrl } from "../../playground/public/scenarios.mjs";

const apis = {
  localhost: "http://localhost:9001",
  ip: "http://127.0.0.1:9001",
  down: "http://localhost:9003",
  "outside-csp": "http://[::1]:9001",
};

interface Entry {
  request: { method: string; url: string };
  response?: { status: number };
  _resourceType?: string;
  _cors: {
    role: string;
    verdict: string;
    blockedBy?: { id: string; chromeCorsError?: string } | null;
    findings: { id: string; severity: string }[];
  };
}

/** A report as the extension gives it when every button was diagnosed as its scenario expects. */
function goodReport(): { log: { entries: Entry[] } } {
  const entries = scenarios.flatMap((s): Entry[] => {
    const finding = s.expect.finding;
    const blocked = s.expect.verdict === "blocked";
    const entry: Entry = {
      request: { method: s.request.method, url: scenarioUrl(s, apis, "1") },
      response: { status: blocked ? 0 : 200 },
      _resourceType: "fetch",
      _cors: {
        role: "actual",
        verdict: s.expect.verdict,
        blockedBy: blocked ? { id: finding ?? "", chromeCorsError: "SomeError" } : null,
        findings: !blocked && finding ? [{ id: finding, severity: "warning" }] : [{ id: "max-age-missing", severity: "info" }],
      },
    };
    return s.alsoFromSecondOrigin ? [entry, structuredClone(entry)] : [entry];
  });
  return {
    log: {
      entries: [
        { request: { method: "GET", url: `${apis.localhost}/api/warm?n=0` }, _cors: { role: "actual", verdict: "allowed", findings: [] } },
        ...entries,
      ],
    },
  };
}

type Report = ReturnType<typeof goodReport>;
const entryOf = (har: Report, id: string) => har.log.entries.find((e) => e.request.url.includes(`button=${id}&`))!;

const defects: { name: string; breakIt: (har: Report) => void; problem: RegExp }[] = [
  {
    name: "a button's request is missing",
    breakIt: (h) => void h.log.entries.splice(h.log.entries.indexOf(entryOf(h, "no-allow-origin")), 1),
    problem: /^no-allow-origin: 1 request\(s\) expected in the report, 0 captured/,
  },
  {
    name: "the second-origin request is missing",
    breakIt: (h) => void h.log.entries.splice(h.log.entries.indexOf(entryOf(h, "echo-any-origin")), 1),
    problem: /^echo-any-origin: 2 request\(s\) expected/,
  },
  {
    name: "a mistake is not blocked",
    breakIt: (h) => void (entryOf(h, "header-not-allowed")._cors.verdict = "allowed"),
    problem: /^header-not-allowed: verdict allowed, expected blocked/,
  },
  {
    name: "the wrong finding",
    breakIt: (h) => void (entryOf(h, "localhost-vs-127")._cors.blockedBy = { id: "acao-mismatch", chromeCorsError: "AllowOriginMismatch" }),
    problem: /^localhost-vs-127: expected finding acao-mismatch-localhost-vs-127, got acao-mismatch/,
  },
  {
    name: "a warning on a working configuration",
    breakIt: (h) => void entryOf(h, "simple-get")._cors.findings.push({ id: "dynamic-acao-missing-vary", severity: "warning" }),
    problem: /^simple-get: a working configuration got dynamic-acao-missing-vary/,
  },
  {
    name: "a failure that is not CORS is diagnosed as a CORS one",
    breakIt: (h) => {
      const entry = entryOf(h, "server-down");
      entry._cors.blockedBy = { id: "acao-missing" };
      entry._cors.findings.push({ id: "not-cors-network-refused", severity: "info" });
    },
    problem: /^server-down: diagnosed as the CORS failure acao-missing, but it is not CORS/,
  },
  {
    name: "a preflight counted as the request",
    breakIt: (h) => void (entryOf(h, "simple-get")._resourceType = "preflight"),
    problem: /^simple-get: 1 request\(s\) expected in the report, 0 captured/,
  },
];

describe("checkReport", () => {
  it("accepts a report where every button is diagnosed as expected", () => {
    const check = checkReport(goodReport());
    expect(check.problems).toEqual([]);
    expect(check.rows).toHaveLength(scenarios.length + 1);
  });

  it.each(defects)("fails when $name", ({ breakIt, problem }) => {
    const har = goodReport();
    breakIt(har);
    const check = checkReport(har);
    expect(
      check.problems.some((p) => problem.test(p)),
      check.problems.join("\n"),
    ).toBe(true);
  });

  it("applies Firefox's own expectation where a button behaves otherwise there", () => {
    const problems = checkReport(goodReport(), "firefox").problems;
    expect(problems).toContain("cookie-samesite-default: verdict blocked, expected allowed");
    expect(problems.filter((p) => !p.startsWith("cookie-samesite-default:"))).toEqual([]);
  });

  it("fails on an empty or malformed report", () => {
    expect(checkReport({ log: { entries: [] } }).missing).toHaveLength(scenarios.length);
    expect(checkReport(null).missing).toHaveLength(scenarios.length);
  });

  it("formats one aligned line per request under a header", () => {
    const check = checkReport(goodReport());
    const table = formatTable(check.rows, "chrome", new Map([["no-allow-origin", "GET → TypeError: Failed to fetch"]])).split("\n");
    expect(table[0]).toMatch(/^button\s+method\s+URL\s+verdict\s+finding\s+Chrome CorsError\s+page saw$/);
    expect(table).toHaveLength(check.rows.length + 2);
    expect(table.find((l) => l.startsWith("no-allow-origin"))).toMatch(
      /localhost:9001\/api\/no-allow-origin\s+blocked\s+acao-missing\s+SomeError\s+TypeError: Failed to fetch$/,
    );
  });
});
