// `probe` against the Flask CORS setups popular tutorials show, each compared with what Chromium does
// with the same request from a page on loopback, and `--audit` asserting every bypass and no false alarm.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startPageServer, type ChromiumSession } from "../support/chromium-fetch";
import { auditFindings, compareWithChromium, probeJson, skipReason, startFlask, type RunningServer } from "./support";

/** Without Debian's Flask packages the file skips and says what to install. */
const FLASK_MISSING = skipReason("flask");

let chromium: ChromiumSession;
let page: { origin: string; close(): Promise<void> };
const apps = new Map<string, RunningServer>();
const ALLOWED = () => [page.origin, "https://app.example.com"];
const CONFIGS = ["flask-cors-defaults", "flask-cors-credentials", "flask-cors-allowlist", "echo-origin", "in-string"];

beforeAll(async () => {
  if (FLASK_MISSING) return;
  page = await startPageServer("localhost");
  const started = await Promise.all(
    CONFIGS.map((c) => startFlask(c, c === "in-string" ? ["https://app.example.com,https://admin.example.com", page.origin] : ALLOWED())),
  );
  CONFIGS.forEach((c, i) => apps.set(c, started[i]!));
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await Promise.all([...apps.values()].map((a) => a.close()));
  await page?.close();
});

const api = (config: string) => `${apps.get(config)!.origin}/api/data`;

// Each row: a request from the page at http://localhost:P; `blockedBy` is the engine's id for the failure.
const BROWSER_ROWS: Array<{
  config: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
  blockedBy: string | null;
}> = [
  { config: "flask-cors-defaults", blockedBy: null },
  // CORS(app) never sends Access-Control-Allow-Credentials: the classic "works until cookies are added".
  { config: "flask-cors-defaults", credentials: true, blockedBy: "acac-not-true" },
  { config: "flask-cors-credentials", method: "PUT", headers: { "Content-Type": "application/json" }, credentials: true, blockedBy: null },
  { config: "flask-cors-allowlist", method: "DELETE", headers: { Authorization: "Bearer t" }, credentials: true, blockedBy: null },
  { config: "echo-origin", method: "PUT", headers: { "Content-Type": "application/json" }, credentials: true, blockedBy: null },
  // The hand-written Access-Control-Allow-Headers lists two names; the page sends a third.
  { config: "echo-origin", method: "POST", headers: { "X-Api-Key": "k" }, credentials: true, blockedBy: "preflight-header-not-allowed" },
  { config: "in-string", credentials: true, blockedBy: null },
];

describe.skipIf(FLASK_MISSING !== null)("probe agrees with Chromium on Flask setups", () => {
  for (const row of BROWSER_ROWS) {
    it(`${row.config}: ${row.method ?? "GET"} ${JSON.stringify(row.headers ?? {})}${row.credentials ? " with credentials" : ""} → ${row.blockedBy ?? "allowed"}`, async () => {
      const { probe, browser } = await compareWithChromium(chromium, page.origin, api(row.config), row);
      expect(probe.diagnosis.blockedBy?.id ?? null).toBe(row.blockedBy);
      expect(probe.diagnosis.verdict === "blocked").toBe(browser.blocked);
      if (browser.blocked) expect(probe.diagnosis.blockedBy?.chromeCorsError).toBe(browser.corsError);
    });
  }
});

// `--audit` from the page's real origin: exact findings, severities and the CI exit status.
const AUDIT_ROWS: Array<{ config: string; credentials?: boolean; findings: string[]; status: number }> = [
  // flask-cors reflects any Origin by default (send_wildcard=False), but without credentials: public-equivalent.
  { config: "flask-cors-defaults", findings: ["acao-reflects-arbitrary-origin:low"], status: 0 },
  { config: "flask-cors-credentials", credentials: true, findings: ["acao-reflects-arbitrary-origin:high"], status: 1 },
  { config: "flask-cors-allowlist", credentials: true, findings: [], status: 0 },
  { config: "echo-origin", credentials: true, findings: ["acao-reflects-arbitrary-origin:high"], status: 1 },
  // `origin in "https://app.example.com,https://admin.example.com"` accepts https://app.example.co.
  { config: "in-string", credentials: true, findings: ["acao-substring-match:high"], status: 1 },
];

describe.skipIf(FLASK_MISSING !== null)("--audit on Flask setups", () => {
  for (const row of AUDIT_ROWS) {
    it(`${row.config} → ${row.findings.join(", ") || "nothing trusted"}`, async () => {
      const args = [api(row.config), "--origin", "https://app.example.com", "--audit", ...(row.credentials ? ["--credentials"] : [])];
      const { status, report } = await probeJson(args);
      expect(auditFindings(report)).toEqual(row.findings);
      expect(status).toBe(row.status);
      expect(report.auditRequests).toBeLessThanOrEqual(40);
    });
  }
});
