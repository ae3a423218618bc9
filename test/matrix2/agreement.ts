// Agreement between CORS Doctor and the browsers' own signals on the matrix2 recordings: per case, per browser,
// per source (the live extension's report, recorded; `analyzeHar` on the recorded HAR). Shared by the agreement
// test and anyone who wants the table (the README's accuracy section).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { analyzeHar } from "../../src/core/har/analyze";
import { scenarios, type Scenario } from "./scenarios.mjs";
import { chromiumTruth, firefoxTruth, type Truth } from "./truth.mjs";

/** MATRIX2_FIXTURES=dir checks a fresh recording (record-matrix2 --out dir) against the known list before committing it. */
export const FIXTURES = process.env.MATRIX2_FIXTURES ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/matrix2");
export type Browser = "chromium" | "firefox";
export type Source = "extension" | "har";

/** What a CORS Doctor source said about a case's request: null when it did not list the request at all. */
export interface Said {
  verdict: string;
  id?: string;
  chromeCorsError?: string;
  firefoxReason?: string;
  findings: string[];
}

export interface Row {
  id: string;
  cls: string;
  browser: Browser;
  source: Source;
  truth: Truth;
  said: Said | null;
  agrees: boolean;
}

const RE = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;

export function loadRecording(browser: Browser): { har: any; verdicts: { version: string; cases: Record<string, any> } } {
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, f), "utf8"));
  return { har: read(`${browser}.har`), verdicts: read(`${browser}.verdicts.json`) };
}

export function truthOf(browser: Browser, s: Scenario, rec: any): Truth {
  return browser === "chromium" ? chromiumTruth(s, rec) : firefoxTruth(s, rec);
}

/**
 * The request that speaks for the case: its non-preflight entries, a blocked one first (a false alarm on any of
 * them counts), else the last one (the redirect chain's end, the font's real load after its cache-only attempt).
 */
function pickSaid(list: Said[]): Said | null {
  if (!list.length) return null;
  return list.find((x) => x.verdict === "blocked") ?? list[list.length - 1]!;
}

/** Does what CORS Doctor said match what the browser said? */
export function agrees(truth: Truth, said: Said | null): boolean {
  const findingOk = !truth.finding || !!said?.findings.includes(truth.finding);
  if (truth.verdict === "not-blocked") return (said === null || said.verdict !== "blocked") && findingOk;
  if (truth.verdict === "cancelled") return said === null || said.verdict !== "blocked" || said.id === "not-cors-cancelled";
  if (said?.verdict !== "blocked") return false;
  const id = truth.id ?? "";
  // Another extension rewrote the response before the CORS check: naming that is right, whichever reason followed.
  if (truth.rewritten && said.id === "response-header-rewritten") return findingOk;
  if (id.startsWith("cors:")) {
    const reason = id.slice(5);
    return (said.chromeCorsError === reason || said.firefoxReason === reason) && findingOk;
  }
  // A blocked case the browser gave no reason for (nothing to compare but the verdict).
  if (!id) return true;
  return said.id === id && findingOk;
}

export function harSaid(analysis: ReturnType<typeof analyzeHar>, id: string): Said | null {
  const mine = analysis.entries.filter((e) => RE.exec(e.url)?.[1] === id);
  // A preflight whose request never left is the file's only entry for that request: its diagnosis speaks for it.
  const requests = mine.filter((e) => e.diagnosis.role !== "preflight");
  const list = (requests.length > 0 ? requests : mine.filter((e) => e.diagnosis.pairedWith === null)).map(
    (e): Said => ({
      verdict: e.diagnosis.verdict,
      id: e.diagnosis.blockedBy?.id,
      chromeCorsError: (e.diagnosis.blockedBy as any)?.chromeCorsError,
      firefoxReason: (e.diagnosis.blockedBy as any)?.firefoxReason,
      findings: e.diagnosis.findings.map((f) => f.id),
    }),
  );
  return pickSaid(list);
}

export function extensionSaid(entries: any[] | null): Said | null {
  const list = (entries ?? [])
    .filter((e) => e.role !== "preflight" && e.resourceType !== "preflight")
    .map(
      (e): Said => ({
        verdict: e.verdict,
        id: e.blockedBy?.id,
        chromeCorsError: e.blockedBy?.chromeCorsError,
        firefoxReason: e.blockedBy?.firefoxReason,
        findings: e.findings ?? [],
      }),
    );
  return pickSaid(list);
}

/** Every row: 2 browsers × 2 sources × every case. */
export function agreementRows(): Row[] {
  const rows: Row[] = [];
  for (const browser of ["chromium", "firefox"] as const) {
    const { har, verdicts } = loadRecording(browser);
    const analysis = analyzeHar(har);
    for (const s of scenarios) {
      const rec = verdicts.cases[s.id];
      if (!rec) continue;
      const truth = truthOf(browser, s, rec);
      for (const [source, said] of [
        ["extension", extensionSaid(rec.extension)],
        ["har", harSaid(analysis, s.id)],
      ] as const) {
        rows.push({ id: s.id, cls: s.cls, browser, source, truth, said, agrees: agrees(truth, said) });
      }
    }
  }
  return rows;
}

/** The short form of a disagreement kept in the known list: what CORS Doctor said instead. */
export function describeSaid(said: Said | null): string {
  if (!said) return "not listed";
  if (said.verdict !== "blocked") return `${said.verdict}${said.findings.length ? ` [${said.findings.join(",")}]` : ""}`;
  return `blocked ${said.id ?? "?"}${said.chromeCorsError ? `/${said.chromeCorsError}` : ""}`;
}

export function describeTruth(t: Truth): string {
  return t.verdict === "blocked"
    ? `blocked ${t.id ?? "(no specific signal)"}${t.finding ? ` +${t.finding}` : ""}`
    : `${t.verdict}${t.finding ? ` +${t.finding}` : ""}`;
}

/** "agreeing/total" of one browser and source among `rows`. */
function agreeing(rows: Row[], browser: Browser, source: Source): string {
  const r = rows.filter((x) => x.browser === browser && x.source === source);
  return `${r.filter((x) => x.agrees).length}/${r.length}`;
}

/** One table row: its label, its case count, then agreement in the four columns. */
function tableRow(label: string, cases: number, rows: Row[]): string {
  return `| ${label} | ${cases} | ${agreeing(rows, "chromium", "extension")} | ${agreeing(rows, "chromium", "har")} | ${agreeing(rows, "firefox", "extension")} | ${agreeing(rows, "firefox", "har")} |`;
}

/** Markdown table: per class, per browser, agreement counts of the live extension and of the HAR. */
export function agreementTable(rows: Row[]): string {
  const classes = [...new Set(scenarios.map((s) => s.cls))];
  const lines = [
    "| class | cases | Chromium live extension | Chromium HAR | Firefox live extension | Firefox HAR |",
    "|---|---|---|---|---|---|",
  ];
  for (const cls of classes) {
    lines.push(
      tableRow(
        cls,
        scenarios.filter((s) => s.cls === cls).length,
        rows.filter((x) => x.cls === cls),
      ),
    );
  }
  lines.push(tableRow("all", scenarios.length, rows));
  return lines.join("\n");
}

/** The README's classes (issue 13): the recorded classes grouped, the extension class split into blocks and rewrites. */
export const README_CLASSES: { label: string; of: (s: Scenario) => boolean }[] = [
  { label: "network failures (refused, DNS, TLS, reset, empty, offline)", of: (s) => s.cls === "network" },
  {
    label: "blocked by another extension (incl. a preflight blocked alone)",
    of: (s) => s.cls === "extension" && /^dnr-(preflight-)?block/.test(s.id),
  },
  { label: "headers rewritten by another extension", of: (s) => s.cls === "extension" && !/^dnr-(preflight-)?block/.test(s.id) },
  { label: "mixed content", of: (s) => s.cls === "mixed-content" },
  { label: "CSP connect-src", of: (s) => s.cls === "csp" },
  { label: "CORP/COEP and ORB", of: (s) => s.cls === "corp-coep" || s.cls === "orb" },
  { label: "Local Network Access", of: (s) => s.cls === "lna" },
  { label: "redirect: 'error', non-HTTP redirects, SRI", of: (s) => s.cls === "redirect" || s.cls === "sri" },
  { label: "cancelled (never a CORS block)", of: (s) => s.cls === "cancelled" },
  { label: "cookies across sites", of: (s) => s.cls === "cookies" },
  { label: "Access-Control-Expose-Headers", of: (s) => s.cls === "expose-headers" },
  { label: "worker, iframe and service-worker initiators", of: (s) => s.cls === "initiators" },
  { label: "fonts, <img crossorigin>, module scripts", of: (s) => ["fonts", "img", "modules"].includes(s.cls) },
  { label: "no-cors controls (beacons, no-cors fetch)", of: (s) => s.cls === "no-cors" },
];

/** The README's table: README_CLASSES × browser × source. */
export function readmeTable(rows: Row[]): string {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const lines = ["| class | cases | Chromium live | Chromium HAR | Firefox live | Firefox HAR |", "|---|---|---|---|---|---|"];
  for (const { label, of } of README_CLASSES) {
    lines.push(
      tableRow(
        label,
        scenarios.filter(of).length,
        rows.filter((r) => of(byId.get(r.id)!)),
      ),
    );
  }
  return lines.join("\n");
}

/**
 * Ids that say the request failed below CORS or for a reason the evidence does not give, never a CORS header to
 * change (their words and fixes say so): a not-CORS failure reported with one of them is not diagnosed as a CORS
 * misconfiguration, only less precisely than the browser knew.
 */
const NOT_A_CORS_CLAIM = new Set([
  "request-did-not-succeed",
  "preflight-request-did-not-succeed",
  "blocked-reason-unknown",
  "not-cors-no-response",
]);

export function claimsCors(id: string | undefined): boolean {
  return !id?.startsWith("not-cors-") && !NOT_A_CORS_CLAIM.has(id ?? "");
}

/**
 * The two failures the issue names, counted per browser and source: a failure that is not a CORS check diagnosed
 * as a CORS misconfiguration (blocked with an id that is not `not-cors-*`), and a false alarm (the page got its
 * response, or cancelled it, and CORS Doctor says blocked).
 */
export function misdiagnosisTable(rows: Row[]): string {
  const lines = ["| | Chromium live extension | Chromium HAR | Firefox live extension | Firefox HAR |", "|---|---|---|---|---|"];
  const count = (pred: (r: Row) => boolean) => (browser: Browser, source: Source) =>
    String(rows.filter((r) => r.browser === browser && r.source === source && pred(r)).length);
  const corsClaimed = count((r) => !!r.truth.id?.startsWith("not-cors-") && r.said?.verdict === "blocked" && claimsCors(r.said.id));
  const notCorsTruth = (r: Row) => !!r.truth.id?.startsWith("not-cors-") && r.said?.verdict === "blocked";
  const unknownSaid = count((r) => notCorsTruth(r) && NOT_A_CORS_CLAIM.has(r.said!.id ?? ""));
  const otherClass = count(
    (r) => notCorsTruth(r) && !!r.said!.id?.startsWith("not-cors-") && !NOT_A_CORS_CLAIM.has(r.said!.id) && r.said!.id !== r.truth.id,
  );
  const falseAlarm = count(
    (r) =>
      (r.truth.verdict === "not-blocked" || r.truth.verdict === "cancelled") &&
      r.said?.verdict === "blocked" &&
      r.said.id !== "not-cors-cancelled",
  );
  const unlisted = count((r) => r.said === null && r.truth.verdict === "blocked");
  for (const [label, f] of [
    ["not a CORS check, diagnosed as a CORS misconfiguration", corsClaimed],
    ["not a CORS check, reported with another not-CORS class", otherClass],
    ["not a CORS check, reported as failed below CORS or for a reason the evidence does not give", unknownSaid],
    ["false alarm (page got it / cancelled, reported blocked)", falseAlarm],
    ["blocked in the browser, request not listed", unlisted],
  ] as const) {
    lines.push(
      `| ${label} | ${f("chromium", "extension")} | ${f("chromium", "har")} | ${f("firefox", "extension")} | ${f("firefox", "har")} |`,
    );
  }
  return lines.join("\n");
}
