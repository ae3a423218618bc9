// Reads CORS Doctor's exported report (contracts §4: HAR 1.2 with `_cors` per entry) back per playground
// button, checks each button's diagnosis against what the scenario expects, and formats the terminal table.
// Used by scripts/start.mjs, scripts/start-firefox.mjs and their tests.
import { BUTTON_PARAM, scenarios } from "./public/scenarios.mjs";

/**
 * @typedef {{ request: { method: string, url: string }, response?: { status?: number, _error?: string },
 *   _resourceType?: string, _cors?: { role?: string, verdict?: string, blockedBy?: { id: string, chromeCorsError?: string, firefoxReason?: string } | null,
 *   findings?: { id: string, severity: string }[] } }} HarEntry
 * @typedef {{ scenario: import("./public/scenarios.mjs").Scenario | null, entry: HarEntry, finding: string, verdict: string }} Row
 */

/** @param {string} url */
export function buttonOf(url) {
  try {
    return new URL(url).searchParams.get(BUTTON_PARAM);
  } catch {
    return null;
  }
}

/** The page's own request (a cancelled one is diagnosed with role "not-cors"), not its preflight. */
function isActual(/** @type {HarEntry} */ entry) {
  return entry._resourceType !== "preflight" && entry._cors?.role !== "preflight";
}

/** @param {HarEntry} entry */
function findingIds(entry) {
  const cors = entry._cors;
  return [...(cors?.blockedBy ? [cors.blockedBy.id] : []), ...(cors?.findings ?? []).map((f) => f.id)];
}

/**
 * The finding worth a column: the blocking one, else the scenario's expected one, else the most severe.
 * @param {HarEntry} entry
 * @param {import("./public/scenarios.mjs").Scenario | null} scenario
 */
function headlineFinding(entry, scenario) {
  const cors = entry._cors;
  const expected = scenario?.expect.finding;
  if (cors?.blockedBy) {
    // The browser names the header; the scenario's root cause (auth wall, error page) is worth showing too.
    const rootCause = expected && expected !== cors.blockedBy.id && findingIds(entry).includes(expected) ? ` + ${expected}` : "";
    return cors.blockedBy.id + rootCause;
  }
  if (expected && findingIds(entry).includes(expected)) return expected;
  const notable = (cors?.findings ?? []).find((f) => f.severity !== "info");
  return notable?.id ?? "—";
}

/**
 * @param {{ log: { entries: HarEntry[] } }} har
 * @param {"chrome" | "firefox"} [browser] whose expectations apply (`expectInFirefox`)
 * @returns {{ rows: Row[], problems: string[], missing: string[] }}
 */
export function checkReport(har, browser = "chrome") {
  const entries = har?.log?.entries ?? [];
  /** @type {Row[]} */
  const rows = [];
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const missing = [];
  for (const scenario of scenarios) {
    const expect = (browser === "firefox" && scenario.expectInFirefox) || scenario.expect;
    const mine = entries.filter((e) => buttonOf(e.request.url) === scenario.id && isActual(e));
    const wanted = scenario.alsoFromSecondOrigin ? 2 : 1;
    if (mine.length < wanted) {
      missing.push(scenario.id);
      problems.push(`${scenario.id}: ${wanted} request(s) expected in the report, ${mine.length} captured`);
    }
    for (const entry of mine) {
      rows.push({ scenario, entry, finding: headlineFinding(entry, scenario), verdict: entry._cors?.verdict ?? "?" });
      if (entry._cors?.verdict !== expect.verdict) {
        problems.push(`${scenario.id}: verdict ${entry._cors?.verdict ?? "missing"}, expected ${expect.verdict}`);
      }
      // The product's promise for these: never a CORS diagnosis (no CORS recipe for a server that is down). A cookie
      // the browser kept home is the exception: the browser reports the CORS error, and a finding names the cause.
      const blockedBy = entry._cors?.blockedBy?.id;
      const rootCauseNamed = expect.finding?.startsWith("cookie-") && findingIds(entry).includes(expect.finding);
      if (scenario.kind === "not-cors" && blockedBy && !blockedBy.startsWith("not-cors-") && !rootCauseNamed) {
        problems.push(`${scenario.id}: diagnosed as the CORS failure ${blockedBy}, but it is not CORS`);
      }
      if (scenario.kind === "working") {
        const bad = (entry._cors?.findings ?? []).filter((f) => f.severity !== "info").map((f) => f.id);
        if (bad.length) problems.push(`${scenario.id}: a working configuration got ${bad.join(", ")}`);
      }
    }
    const expected = expect.finding;
    if (expected && mine.length && !mine.some((e) => findingIds(e).includes(expected))) {
      problems.push(`${scenario.id}: expected finding ${expected}, got ${[...new Set(mine.flatMap(findingIds))].join(", ") || "none"}`);
    }
  }
  return { rows, problems, missing };
}

/** @param {string} url */
function shortUrl(url) {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
}

/**
 * @param {Row[]} rows
 * @param {"chrome" | "firefox"} browser
 * @param {Map<string, string>} [pageSaw] button id → what the page's fetch returned
 */
export function formatTable(rows, browser, pageSaw = new Map()) {
  const header = [
    "button",
    "method",
    "URL",
    "verdict",
    "finding",
    browser === "chrome" ? "Chrome CorsError" : "Firefox reason",
    "page saw",
  ];
  const lines = rows.map((r) => [
    r.scenario?.id ?? "?",
    r.entry.request.method,
    shortUrl(r.entry.request.url),
    r.verdict,
    r.finding,
    (browser === "chrome" ? r.entry._cors?.blockedBy?.chromeCorsError : r.entry._cors?.blockedBy?.firefoxReason) ?? "—",
    pageSaw
      .get(r.scenario?.id ?? "")
      ?.split("\n")[0]
      ?.replace(/^\S+ → /, "")
      .split(",")[0] ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [format(header), format(widths.map((w) => "-".repeat(w))), ...lines.map(format)].join("\n");
}
