// `probe` against Express with the `cors` middleware in the configurations people ship, plus redirects,
// each compared with Chromium from a page on loopback; `--audit` asserts every bypass and no false alarm.
import { createRequire } from "node:module";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, startPageServer, type ChromiumSession } from "../support/chromium-fetch";
import { auditFindings, compareWithChromium, probeJson, type RunningServer } from "./support";

// express and cors ship no types (and @types/* are not installed): the little we use, typed here.
type Handler = (
  req: http.IncomingMessage & { query: Record<string, unknown> },
  res: http.ServerResponse & { json(v: unknown): void; redirect(status: number, url: string): void },
  next?: () => void,
) => void;
interface App {
  (req: http.IncomingMessage, res: http.ServerResponse): void;
  use(h: Handler): void;
  all(path: string, ...h: Handler[]): void;
  options(path: string, h: Handler): void;
}
interface CorsOptions {
  origin?:
    | boolean
    | string
    | RegExp
    | Array<string | RegExp>
    | ((origin: string | undefined, cb: (err: Error | null, allow?: boolean) => void) => void);
  credentials?: boolean;
  allowedHeaders?: string;
}
const require = createRequire(import.meta.url);
const express = require("express") as () => App;
const cors = require("cors") as (options?: CorsOptions) => Handler;

interface Seen {
  method: string;
  url: string;
  rawHeaders: string[];
}

/** Listens on an ephemeral loopback port and logs every request as it came over the wire. */
async function listen(app: App): Promise<RunningServer & { seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, rawHeaders: [...req.rawHeaders] });
    app(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function appWith(options: CorsOptions | undefined): App {
  const app = express();
  app.use(cors(options));
  app.all("/api/data", (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}

let chromium: ChromiumSession;
let page: { origin: string; close(): Promise<void> };
const servers = new Map<string, RunningServer & { seen: Seen[] }>();

beforeAll(async () => {
  page = await startPageServer("localhost");
  const configs: Record<string, CorsOptions | undefined> = {
    "cors()": undefined,
    "origin: true, credentials": { origin: true, credentials: true },
    "exact list, credentials": { origin: [page.origin, "https://app.example.com"], credentials: true },
    "regex /example\\.com$/": { origin: [/example\.com$/, page.origin], credentials: true },
    "regex unescaped dots": { origin: [/^https:\/\/app.example.com$/, page.origin], credentials: true },
    // "any subdomain of localhost", with the dot left out of the pattern: also accepts evillocalhost.
    "regex any localhost subdomain": { origin: /^http:\/\/.*localhost:\d+$/, credentials: true },
    "startsWith callback": {
      origin: (origin, cb) => cb(null, !origin || origin === page.origin || origin.startsWith("https://app.example.com")),
      credentials: true,
    },
  };
  for (const [name, options] of Object.entries(configs)) servers.set(name, await listen(appWith(options)));

  // Redirects: the final hop is another origin (another port) that allows what it is sent.
  const final = express();
  final.use(cors({ origin: true, credentials: true }));
  final.all("/final", (_req, res) => {
    res.json({ final: true });
  });
  const finalServer = await listen(final);
  servers.set("final", finalServer);
  const exactFinal = express();
  exactFinal.use(cors({ origin: page.origin, credentials: true }));
  exactFinal.all("/final", (_req, res) => {
    res.json({ final: true });
  });
  servers.set("exact final", await listen(exactFinal));

  const redirector = express();
  // The gateway answers the redirect with CORS headers (else the browser stops at the 3xx).
  redirector.all("/cors-redirect", cors({ origin: true, credentials: true }), (req, res) => {
    res.redirect(307, `${servers.get(String(req.query.to))!.origin}/final`);
  });
  redirector.all("/bare-redirect", (_req, res) => {
    res.redirect(302, `${finalServer.origin}/final`);
  });
  // A redirect for every request, OPTIONS included: the preflight is redirected.
  redirector.options("/preflight-redirect", (_req, res) => {
    res.redirect(307, `${finalServer.origin}/final`);
  });
  // Redirects to itself forever, each hop with CORS headers: the browser gives up after 20.
  redirector.all("/loop", cors({ origin: true, credentials: true }), (req, res) => {
    res.redirect(302, `/loop?n=${Number(req.query.n ?? 0) + 1}`);
  });
  servers.set("redirector", await listen(redirector));
  // `Access-Control-Allow-Headers: *` with an Authorization request header (Fetch: non-wildcard request-header).
  const starHeaders = express();
  starHeaders.use(cors({ origin: "*", allowedHeaders: "*" }));
  starHeaders.all("/api/data", (_req, res) => {
    res.json({ ok: true });
  });
  servers.set("allowedHeaders *", await listen(starHeaders));

  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
  await Promise.all([...servers.values()].map((s) => s.close()));
  await page?.close();
});

const url = (name: string, path = "/api/data") => servers.get(name)!.origin + path;

const BROWSER_ROWS: Array<{
  name: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
  blockedBy: string | null;
}> = [
  { name: "cors()", blockedBy: null },
  { name: "cors()", method: "PUT", headers: { "Content-Type": "application/json", "X-Request-Id": "1" }, blockedBy: null },
  // The default `*` cannot serve a credentialed request.
  { name: "cors()", credentials: true, blockedBy: "acao-wildcard-with-credentials" },
  {
    name: "origin: true, credentials",
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    credentials: true,
    blockedBy: null,
  },
  { name: "exact list, credentials", method: "DELETE", credentials: true, blockedBy: null },
  // A 307 that itself carries CORS headers, to another origin: Origin becomes "null" and the final server
  // must allow "null" — the reflecting one does.
  { name: "redirector", path: "/cors-redirect?to=final", credentials: true, blockedBy: null },
  // …the exact one does not: it allows the page's origin, the browser now sends null.
  { name: "redirector", path: "/cors-redirect?to=exact%20final", credentials: true, blockedBy: "acao-mismatch-null-expected" },
  // A 302 without CORS headers: the browser does not follow it.
  { name: "redirector", path: "/bare-redirect", blockedBy: "acao-missing" },
  // Not a CORS error: a network error the engine reports as such, as Chromium does (no corsError).
  { name: "redirector", path: "/loop", blockedBy: "not-cors-network-other" },
  // The spec says `*` never covers Authorization; the Chromium here lets it through, and so does the engine.
  { name: "allowedHeaders *", headers: { Authorization: "Bearer t" }, blockedBy: null },
  // A preflight is never followed.
  { name: "redirector", path: "/preflight-redirect", method: "PUT", blockedBy: "preflight-redirect" },
];

describe("probe agrees with Chromium on Express setups", () => {
  for (const row of BROWSER_ROWS) {
    it(`${row.name} ${row.path ?? ""}: ${row.method ?? "GET"} ${JSON.stringify(row.headers ?? {})}${row.credentials ? " with credentials" : ""} → ${row.blockedBy ?? "allowed"}`, async () => {
      const { probe, browser } = await compareWithChromium(chromium, page.origin, url(row.name, row.path), row);
      expect(probe.diagnosis.blockedBy?.id ?? null).toBe(row.blockedBy);
      expect(probe.diagnosis.verdict === "blocked").toBe(browser.blocked);
      if (browser.blocked) expect(probe.diagnosis.blockedBy?.chromeCorsError).toBe(browser.corsError);
    });
  }
});

describe("the probe's requests are the browser's", () => {
  it("sends the preflight header for header as Chromium does", async () => {
    const server = servers.get("cors()")!;
    const headers = { "X-Request-Id": "1", "Content-Type": "application/json", Authorization: "Bearer t" };
    const from = server.seen.length;
    await chromium.fetchFrom(page.origin + "/", { url: url("cors()"), method: "PUT", headers, credentials: "include", body: "{}" });
    const browserPreflight = server.seen.slice(from).find((s) => s.method === "OPTIONS")!;
    const mid = server.seen.length;
    await probeJson([
      url("cors()"),
      "--origin",
      page.origin,
      "--method",
      "PUT",
      ...Object.entries(headers).flatMap(([n, v]) => ["--header", `${n}: ${v}`]),
      "--credentials",
    ]);
    const probePreflight = server.seen.slice(mid).find((s) => s.method === "OPTIONS")!;
    // Host/Connection are the transport's, Pragma/Cache-Control come from the test's disabled cache,
    // and the browser's User-Agent says HeadlessChrome.
    const comparable = (raw: string[]) => pairs(raw).filter(([n]) => !/^(host|connection|pragma|cache-control|user-agent)$/i.test(n));
    expect(comparable(probePreflight.rawHeaders)).toEqual(comparable(browserPreflight.rawHeaders));
    expect(pairs(probePreflight.rawHeaders).find(([n]) => n === "Access-Control-Request-Headers")?.[1]).toBe(
      "authorization,content-type,x-request-id",
    );
  });

  it("after a cross-origin redirect: Origin null, a new preflight, no Authorization", async () => {
    const final = servers.get("final")!;
    const from = final.seen.length;
    const { report } = await probeJson([
      url("redirector", "/cors-redirect?to=final"),
      "--origin",
      page.origin,
      "--method",
      "PUT",
      "--header",
      "Authorization: Bearer secret",
      "--credentials",
    ]);
    expect(report.exchanges.map((e: any) => `${e.role}:${e.leg}:${e.response.status}`)).toEqual([
      "preflight:0:204",
      "actual:0:307",
      "preflight:1:204",
      "actual:1:200",
    ]);
    const atFinal = final.seen.slice(from).map((s) => ({ method: s.method, headers: pairs(s.rawHeaders) }));
    expect(atFinal.map((s) => s.method)).toEqual(["OPTIONS", "PUT"]);
    for (const s of atFinal) {
      expect(s.headers.find(([n]) => n === "Origin")?.[1]).toBe("null");
      expect(s.headers.some(([n]) => /^authorization$/i.test(n))).toBe(false);
    }
    // Without Authorization the redirected PUT still needs a preflight (PUT), now with no request headers.
    expect(atFinal[0]!.headers.some(([n]) => n === "Access-Control-Request-Headers")).toBe(false);
    expect(report.diagnosis.verdict).toBe("allowed");
  });
});

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

const AUDIT_ROWS: Array<{ name: string; credentials?: false; findings: string[]; status: number }> = [
  // `*` is public data, not trust in one origin: nothing to report here (the engine lints `*` itself).
  { name: "cors()", credentials: false, findings: [], status: 0 },
  { name: "origin: true, credentials", findings: ["acao-reflects-arbitrary-origin:high"], status: 1 },
  { name: "exact list, credentials", findings: [], status: 0 },
  {
    name: "regex /example\\.com$/",
    findings: ["acao-any-subdomain-trusted:medium", "acao-http-origin-on-https:high", "acao-suffix-match-bypass:high"],
    status: 1,
  },
  { name: "regex unescaped dots", findings: ["acao-unescaped-dot-regex:high"], status: 1 },
  { name: "startsWith callback", findings: ["acao-prefix-match-bypass:high"], status: 1 },
];

describe("--audit on Express setups", () => {
  for (const row of AUDIT_ROWS) {
    it(`${row.name} → ${row.findings.join(", ") || "nothing trusted"}`, async () => {
      const credentials = row.credentials === false ? [] : ["--credentials"];
      const { status, report } = await probeJson([
        url(row.name),
        "--origin",
        "https://app.example.com",
        "--audit",
        ...credentials,
        "--method",
        "PUT",
      ]);
      expect(auditFindings(report)).toEqual(row.findings);
      expect(status).toBe(row.status);
    });
  }

  it("a subdomain bypass it reports is real: Chromium on a page at http://evil.localhost reads the response", async () => {
    const { report } = await probeJson([url("regex any localhost subdomain"), "--origin", page.origin, "--audit", "--credentials"]);
    expect(auditFindings(report)).toEqual(["acao-any-subdomain-trusted:medium", "acao-suffix-match-bypass:high"]);
    const evil = report.audit.find((a: any) => a.id === "acao-any-subdomain-trusted").origin;
    expect(evil).toBe(page.origin.replace("//localhost", "//evil.localhost"));
    // Chromium resolves *.localhost to loopback, so the attacker's page can be served here.
    const { probe: fromEvil, browser } = await compareWithChromium(chromium, evil, url("regex any localhost subdomain"), {
      credentials: true,
    });
    expect(browser.blocked).toBe(false);
    expect(fromEvil.diagnosis.verdict).toBe("allowed");
  });

  it("stays within --max-requests and says what it skipped", async () => {
    const { report } = await probeJson([
      url("origin: true, credentials"),
      "--origin",
      "https://app.example.com",
      "--audit",
      "--max-requests",
      "6",
    ]);
    expect(report.auditRequests).toBe(6);
    expect(report.audit).toHaveLength(3);
    expect(report.auditSkipped.length).toBeGreaterThan(0);
  });
});
