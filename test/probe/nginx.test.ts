// `probe` against nginx configured as the tutorials do (`add_header` with and without `always`, an OPTIONS
// branch, `map` allow-lists), run in the foreground from a temp prefix; compared with Chromium on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startPageServer, type ChromiumSession } from "../support/chromium-fetch";
import { auditFindings, compareWithChromium, probeJson, skipReason, startNginx, type RunningServer } from "./support";

/** Without nginx (e.g. `npx vitest run` before the pretest set-up) the file skips and says what to install. */
const NGINX_MISSING = skipReason("nginx");

let chromium: ChromiumSession;
let page: { origin: string; close(): Promise<void> };
let nginx: RunningServer;

/** The enable-cors.org style block: an OPTIONS branch answering 204, the headers on everything else. */
function tutorialLocation(path: string, origin: string, always: boolean, status: number): string {
  const a = always ? " always" : "";
  return `
    location = ${path} {
      if ($request_method = 'OPTIONS') {
        add_header 'Access-Control-Allow-Origin' '${origin}';
        add_header 'Access-Control-Allow-Methods' 'GET, POST, PUT, DELETE, OPTIONS';
        add_header 'Access-Control-Allow-Headers' 'Content-Type, Authorization';
        add_header 'Access-Control-Max-Age' 1728000;
        return 204;
      }
      add_header 'Access-Control-Allow-Origin' '${origin}'${a};
      add_header 'Access-Control-Allow-Credentials' 'true'${a};
      return ${status} '{"status":${status}}';
    }`;
}

beforeAll(async () => {
  if (NGINX_MISSING) return;
  page = await startPageServer("localhost");
  const http = `
    map $http_origin $unescaped_allow {
      default "";
      "~^https://app.example.com$" $http_origin;
    }
    map $http_origin $escaped_allow {
      default "";
      "~^https://app\\.example\\.com$" $http_origin;
    }`;
  const server = [
    tutorialLocation("/plain/ok", page.origin, false, 200),
    tutorialLocation("/plain/missing", page.origin, false, 404),
    tutorialLocation("/always/missing", page.origin, true, 404),
    `location = /reflect {
      add_header Access-Control-Allow-Origin $http_origin always;
      add_header Access-Control-Allow-Credentials true always;
      add_header Access-Control-Allow-Methods 'GET, PUT, OPTIONS' always;
      add_header Access-Control-Allow-Headers 'Content-Type' always;
      if ($request_method = 'OPTIONS') { return 204; }
      return 200 'ok';
    }`,
    `location = /map-unescaped {
      add_header Access-Control-Allow-Origin $unescaped_allow always;
      add_header Access-Control-Allow-Credentials true always;
      return 200 'ok';
    }`,
    `location = /map-escaped {
      add_header Access-Control-Allow-Origin $escaped_allow always;
      add_header Access-Control-Allow-Credentials true always;
      return 200 'ok';
    }`,
  ].join("\n");
  nginx = await startNginx(server, http);
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await nginx?.close();
  await page?.close();
});

const BROWSER_ROWS: Array<{
  path: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
  blockedBy: string | null;
  status: number;
}> = [
  { path: "/plain/ok", credentials: true, blockedBy: null, status: 0 },
  // add_header without `always` is skipped on a 404: the page sees a CORS error instead of the 404.
  { path: "/plain/missing", credentials: true, blockedBy: "acao-missing", status: 1 },
  // With `always` the 404 carries the headers and the page can read it.
  { path: "/always/missing", credentials: true, blockedBy: null, status: 0 },
  // The tutorial's OPTIONS branch forgets Access-Control-Allow-Credentials: credentialed PUTs fail there.
  {
    path: "/plain/ok",
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    credentials: true,
    blockedBy: "preflight-acac-not-true",
    status: 1,
  },
  { path: "/plain/ok", method: "PUT", headers: { "Content-Type": "application/json" }, blockedBy: null, status: 0 },
];

describe.skipIf(NGINX_MISSING !== null)("probe agrees with Chromium on nginx setups", () => {
  for (const row of BROWSER_ROWS) {
    it(`${row.path}: ${row.method ?? "GET"}${row.credentials ? " with credentials" : ""} → ${row.blockedBy ?? "allowed"}`, async () => {
      const { probe, status, browser } = await compareWithChromium(chromium, page.origin, nginx.origin + row.path, row);
      expect(probe.diagnosis.blockedBy?.id ?? null).toBe(row.blockedBy);
      expect(probe.diagnosis.verdict === "blocked").toBe(browser.blocked);
      if (browser.blocked) expect(probe.diagnosis.blockedBy?.chromeCorsError).toBe(browser.corsError);
      expect(status).toBe(row.status);
    });
  }

  it("does not send the actual request after a failed preflight", async () => {
    const { report } = await probeJson([
      nginx.origin + "/plain/ok",
      "--origin",
      page.origin,
      "--method",
      "PUT",
      "--header",
      "Content-Type: application/json",
      "--credentials",
    ]);
    expect(report.exchanges.map((e: any) => e.role)).toEqual(["preflight"]);
    expect(report.stoppedBecause).toMatch(/preflight failed/);
    expect(report.diagnosis.blockedBy.request).toBe("preflight");
  });

  it("keeps nginx's headers exactly as sent", async () => {
    const { report } = await probeJson([nginx.origin + "/plain/missing", "--origin", page.origin]);
    const res = report.exchanges[0].response;
    expect(res.status).toBe(404);
    expect(res.headers.find((h: any) => h.name === "Server")?.value).toMatch(/^nginx/);
    expect(res.headers.some((h: any) => /^access-control-/i.test(h.name))).toBe(false);
  });
});

const AUDIT_ROWS: Array<{ path: string; findings: string[]; status: number }> = [
  { path: "/reflect", findings: ["acao-reflects-arbitrary-origin:high"], status: 1 },
  // "~^https://app.example.com$": the dots match any character.
  { path: "/map-unescaped", findings: ["acao-unescaped-dot-regex:high"], status: 1 },
  { path: "/map-escaped", findings: [], status: 0 },
];

describe.skipIf(NGINX_MISSING !== null)("--audit on nginx setups", () => {
  for (const row of AUDIT_ROWS) {
    it(`${row.path} → ${row.findings.join(", ") || "nothing trusted"}`, async () => {
      const { status, report } = await probeJson([
        nginx.origin + row.path,
        "--origin",
        "https://app.example.com",
        "--audit",
        "--credentials",
      ]);
      expect(auditFindings(report)).toEqual(row.findings);
      expect(status).toBe(row.status);
    });
  }
});
