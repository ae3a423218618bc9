// Issue 14: canary secrets in every field of every input, and no default output of any surface contains one.
// Inputs: a HAR with canaries in header names and values (the secret-named headers of the issue, token-shaped
// values under innocent names, a token used as a header name), URLs (query, userinfo, path matrix parameter,
// JWT path segment, SPA fragment, nested redirect URL), bodies, cookies, redirect targets; and probe arguments
// against a real local server that answers with more canaries (Set-Cookie, tokens, a redirect to a URL with
// a token). Surfaces: analyze text and JSON, probe stdout and stderr (text, JSON, --curl, --audit, a network
// failure), the exported HAR (core/har/write, and the panel's Export HAR button), copy-as-curl (core/curl), and
// the panel's copy buttons in Chromium. With --include-secrets / "Include secrets" the canaries are there: the test can fail both ways.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curlForActual, curlForPreflight } from "../../src/core/curl";
import { analyzeHar } from "../../src/core/har/analyze";
import { buildHarReport } from "../../src/core/har/write";
import { looksLikeToken } from "../../src/core/redact";
import { runCli } from "../cli/run-cli";
import { importHar, launchChromium, openPanel } from "../panel/chromium";
import { freePort, probe } from "../probe/support";
import { harEntry } from "../support/har-entry";

// Canaries: distinct, and shaped like real credentials (random base62), so that a canary planted under an
// innocent name is still a secret by its shape. `seen(text)` finds any of them, even half of one.
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const B62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const token = () =>
  "Cn" + Array.from({ length: 22 }, (_, i) => (i % 3 === 1 ? String(Math.floor(rand() * 10)) : B62[Math.floor(rand() * 52)])).join("");
const NAMES = [
  "userinfo",
  "jsession",
  "pathJwtSig",
  "query",
  "apiKeyParam",
  "oauthCode",
  "amz",
  "phpsessid",
  "ticket",
  "otp",
  "spaCode",
  "spaFragmentToken",
  "nested",
  "bareQuery",
  "xAuthorization",
  "xForwardedAuthorization",
  "ocpApim",
  "rapidApi",
  "xAuthToken",
  "xApiToken",
  "xSessionid",
  "authorization",
  "cookie",
  "innocentHeader",
  "headerName",
  "jwtHeader",
  "postText",
  "postParam",
  "setCookie",
  "authenticationInfo",
  "fakeCorsHeader",
  "echoHeader",
  "responseBody",
  "location",
  "locationFragment",
  "redirectUrl",
  "acaoQuery",
  "preflightKey",
  "method",
] as const;
type Name = (typeof NAMES)[number];
const C = Object.fromEntries(NAMES.map((n) => [n, token()])) as Record<Name, string>;
/** The JWT carries a canary as its signature. */
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${C.jwtHeader}`;
const PATH_JWT = `eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyIjoiYSJ9.${C.pathJwtSig}`;
const ALL = Object.values(C);
/** Every canary found in `text` (a 12-character slice of each is enough to count as a leak). */
const seen = (text: string) => ALL.filter((c) => text.includes(c.slice(0, 12)) || text.includes(c.slice(-12)));

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000";
function entry(
  method: string,
  url: string,
  request: Record<string, string>,
  status: number,
  response: Record<string, string>,
  extra: Record<string, unknown> = {},
  responseExtra: Record<string, unknown> = {},
) {
  const e = harEntry(url, method, request, status, response);
  return { ...e, request: { ...e.request, ...extra }, response: { ...e.response, ...responseExtra } };
}

const SECRET_URL =
  `http://u:${C.userinfo}@localhost:4000/app;jsessionid=${C.jsession}/v1/${PATH_JWT}/items` +
  `?access_token=${C.query}&api_key=${C.apiKeyParam}&code=${C.oauthCode}&X-Amz-Signature=${C.amz}&PHPSESSID=${C.phpsessid}` +
  `&ticket=${C.ticket}&otp=${C.otp}&next=${encodeURIComponent(`https://b.test/cb?token=${C.nested}`)}&${C.bareQuery}&page=2` +
  `#/callback?code=${C.spaCode}&state=s1`;

function canaryHar(): string {
  const blocked = entry(
    "POST",
    SECRET_URL,
    {
      Origin: PAGE,
      "X-Authorization": `Bearer ${C.xAuthorization}`,
      "X-Forwarded-Authorization": C.xForwardedAuthorization,
      "Ocp-Apim-Subscription-Key": C.ocpApim,
      "X-RapidAPI-Key": C.rapidApi,
      "X-AuthToken": C.xAuthToken,
      "X-ApiToken": C.xApiToken,
      "X-Sessionid": C.xSessionid,
      Authorization: `Bearer ${C.authorization}`,
      Cookie: `sid=${C.cookie}; theme=dark`,
      "X-Trace": C.innocentHeader,
      [`X-${C.headerName}`]: "1",
      "X-Debug": `ctx ${JWT}`,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    200,
    {
      "Set-Cookie": `sid=${C.setCookie}; Path=/; SameSite=None; Secure`,
      "Authentication-Info": `nextnonce="${C.authenticationInfo}"`,
      "Access-Control-Auth-Token": C.fakeCorsHeader,
      "X-Echo": C.echoHeader,
      "Access-Control-Allow-Origin": `${PAGE}/?session=${C.acaoQuery}`,
    },
    {
      postData: {
        mimeType: "application/x-www-form-urlencoded",
        text: `user=u&password=${C.postText}`,
        params: [{ name: "password", value: C.postParam }],
      },
    },
    { _error: "net::ERR_FAILED", content: { size: 30, mimeType: "application/json", text: `{"token":"${C.responseBody}"}` } },
  );
  const location = `${API}/next?token=${C.location}#access_token=${C.locationFragment}`;
  const redirect = entry(
    "GET",
    `${API}/start`,
    { Origin: PAGE },
    302,
    { Location: location, "Access-Control-Allow-Origin": PAGE },
    {},
    { redirectURL: `${API}/next?token=${C.redirectUrl}` },
  );
  const landed = entry("GET", location.replace(/#.*/, ""), { Origin: PAGE }, 200, {}, {}, { _error: "net::ERR_FAILED" });
  const preflight = entry(
    "OPTIONS",
    `${API}/put`,
    { Origin: PAGE, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-api-key" },
    204,
    { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Methods": "PUT" },
  );
  const put = entry("PUT", `${API}/put`, { Origin: PAGE, "X-Api-Key": C.preflightKey }, 0, {}, {}, { _error: "net::ERR_FAILED" });
  (preflight as Record<string, unknown>)._resourceType = "preflight";
  const oddMethod = entry(
    C.method,
    `${API}/method`,
    { Origin: PAGE },
    200,
    { "Access-Control-Allow-Origin": "*" },
    {},
    { _error: "net::ERR_FAILED" },
  );
  return JSON.stringify({
    log: {
      version: "1.2",
      creator: { name: "WebInspector", version: "537.36" },
      pages: [],
      entries: [blocked, redirect, landed, put, preflight, oddMethod],
    },
  });
}

let dir: string;
let harFile: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-canary-"));
  harFile = path.join(dir, "canary.har");
  fs.writeFileSync(harFile, canaryHar());
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("the canaries are shaped like credentials (the rule must find them under innocent names)", () => {
  for (const c of ALL) expect(looksLikeToken(c), c).toBe(true);
});

describe("cors-doctor analyze", () => {
  it.each([[[]], [["--json"]], [["--json", "--fixes"]], [["--stack", "nginx"]]])(
    "default output %j holds no canary (stdout and stderr)",
    async (flags) => {
      const r = await runCli(["analyze", harFile, ...(flags as string[])]);
      expect(r.code).toBe(1);
      expect(seen(r.stdout + r.stderr)).toEqual([]);
    },
  );
  it.each([[["--json"]], [[]]])(
    "a file of 8 MB or more, read on the worker thread, holds no canary either: %j",
    async (flags) => {
      // The worker sends a JSON row its exchange's secrets instead of the exchange: the edge must still find them.
      const big = JSON.parse(canaryHar());
      big.log.comment = "padding ".repeat(1.1 * 1024 * 1024);
      const bigFile = path.join(dir, "canary-big.har");
      fs.writeFileSync(bigFile, JSON.stringify(big));
      const env = { CORS_DOCTOR_WORKER: "1" };
      const r = await runCli(["analyze", bigFile, ...(flags as string[])], { env });
      expect(r.code).toBe(1);
      expect(seen(r.stdout + r.stderr)).toEqual([]);
      // The same rows as the small file's (the padding is not an entry). The human report's title names the file, and
      // whether a path is redacted depends on its shape: the random temporary directory can make one path look like a
      // token and not the other (a clean-clone CI run met "cors-doctor-canary-k9QzT2/canary" redacted whole), so the
      // titles are left out of the comparison; the canary check above covers them.
      const small = (await runCli(["analyze", harFile, ...(flags as string[])])).stdout;
      const withoutTitle = (out: string) => (flags.length === 0 ? out.slice(out.indexOf("\n") + 1) : out);
      expect(withoutTitle(r.stdout)).toBe(withoutTitle(small));
      const secrets = await runCli(["analyze", bigFile, ...(flags as string[]), "--include-secrets"], { env });
      for (const c of [C.query, C.oauthCode, C.jsession, C.acaoQuery]) expect(secrets.stdout).toContain(c);
    },
    120_000,
  );
  it("an error line quotes the argument without its canaries (the real binary: main's edge)", async () => {
    const missing = path.join(dir, `missing?access_token=${C.query}&${C.bareQuery}`);
    const r = await runCli(["analyze", missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file/);
    expect(seen(r.stdout + r.stderr)).toEqual([]);
    expect((await runCli(["analyze", missing, "--include-secrets"])).stderr).toContain(C.query);
  });
  it("--include-secrets shows them, in JSON and in text", async () => {
    const r = await runCli(["analyze", harFile, "--json", "--include-secrets"]);
    for (const c of [C.query, C.oauthCode, C.spaCode, C.jsession, C.acaoQuery]) expect(r.stdout).toContain(c);
    const text = await runCli(["analyze", harFile, "--include-secrets"]);
    for (const c of [C.query, C.oauthCode, C.jsession, C.acaoQuery]) expect(text.stdout).toContain(c);
  });
});

describe("exported HAR and copy-as-curl", () => {
  const analysis = () => analyzeHar(JSON.parse(canaryHar()));
  it("the exported report holds no canary by default, all of the captured ones with includeSecrets", () => {
    const { exchanges, diagnoses } = analysis();
    const items = exchanges.map((g, i) => ({ exchange: g.exchange, diagnosis: diagnoses[i]! }));
    expect(seen(JSON.stringify(buildHarReport(items, { version: "0.0.0" })))).toEqual([]);
    const full = JSON.stringify(buildHarReport(items, { version: "0.0.0", includeSecrets: true }));
    for (const c of [C.query, C.xAuthorization, C.ocpApim, C.rapidApi, C.cookie, C.setCookie, C.innocentHeader, C.echoHeader, C.location])
      expect(full).toContain(c);
  });
  it("copy-as-curl holds no canary by default", () => {
    const { exchanges } = analysis();
    const curls = exchanges.flatMap((g) => [curlForActual(g.exchange), curlForPreflight(g.exchange)]).join("\n");
    expect(seen(curls)).toEqual([]);
    const full = exchanges
      .flatMap((g) => [curlForActual(g.exchange, { includeSecrets: true }), curlForPreflight(g.exchange, { includeSecrets: true })])
      .join("\n");
    for (const c of [C.query, C.authorization, C.rapidApi, C.innocentHeader, C.preflightKey]) expect(full).toContain(c);
  });
});

describe("cors-doctor probe against a real local server", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
      res.setHeader("Access-Control-Allow-Credentials", "true");
      res.setHeader("Access-Control-Allow-Methods", "PUT");
      const requested = req.headers["access-control-request-headers"];
      if (requested) res.setHeader("Access-Control-Allow-Headers", requested);
      res.setHeader("Set-Cookie", `sid=${C.setCookie}; Path=/; SameSite=None; Secure`);
      res.setHeader("X-AuthToken", C.xAuthToken);
      res.setHeader("X-Echo", C.echoHeader);
      if (req.method !== "OPTIONS" && req.url!.startsWith("/start")) {
        res.statusCode = 302;
        res.setHeader("Location", `/next;jsessionid=${C.jsession}?token=${C.location}`);
      }
      res.end(`{"token":"${C.responseBody}"}`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const args = () => [
    `${base}/start/${PATH_JWT}?access_token=${C.query}&api_key=${C.apiKeyParam}&${C.bareQuery}&page=2`,
    "--origin",
    "https://app.example.com",
    "--method",
    "PUT",
    "--header",
    `X-Api-Key: ${C.preflightKey}`,
    "--header",
    `X-Trace: ${C.innocentHeader}`,
    "--header",
    `Authorization: Bearer ${C.authorization}`,
    "--header",
    `X-RapidAPI-Key: ${C.rapidApi}`,
    "--credentials",
    "--cookie",
    `sid=${C.cookie}`,
  ];
  it.each([
    [[]],
    [["--json"]],
    [["--curl"]],
    [["--curl", "--json"]],
    [["--audit", "--max-requests", "4"]],
    [["--audit", "--max-requests", "4", "--json"]],
  ])("default output %j holds no canary (stdout and stderr)", async (flags) => {
    const r = await probe([...args(), ...(flags as string[])]);
    expect(r.status).not.toBe(2);
    expect(seen(r.stdout + r.stderr)).toEqual([]);
  });
  it("a network failure names the URL without its canaries", async () => {
    const port = await freePort();
    const r = await probe([
      `http://127.0.0.1:${port}/x;jsessionid=${C.jsession}?access_token=${C.query}&${C.bareQuery}`,
      "--origin",
      "https://app.example.com",
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/connection refused/);
    expect(seen(r.stdout + r.stderr)).toEqual([]);
  });
  it("--include-secrets shows them", async () => {
    const r = await probe([...args(), "--include-secrets"]);
    expect(r.stdout).toMatch(/Actual request \(redirect 1\)/);
    for (const c of [C.query, C.preflightKey, C.innocentHeader, C.cookie, C.setCookie, C.xAuthToken, C.echoHeader, C.location, C.jsession])
      expect(r.stdout).toContain(c);
  });
});

describe("the panel's copy buttons (Chromium)", () => {
  let ctx: BrowserContext;
  let dispose: (() => Promise<void>) | undefined;
  let page: Page;
  beforeAll(async () => {
    const launched = await launchChromium();
    ctx = launched.ctx;
    dispose = launched.dispose;
    ({ page } = await openPanel(ctx, launched.id));
    // The real buttons, the real services.copy: only the system clipboard is replaced by a recorder.
    await page.evaluate(() => {
      const copied: string[] = [];
      (window as unknown as { __copied: string[] }).__copied = copied;
      Object.defineProperty(navigator, "clipboard", {
        value: { writeText: async (text: string) => void copied.push(text) },
        configurable: true,
      });
    });
    await importHar(page, canaryHar(), "canary.har");
    await page.waitForSelector(".grid-window .grid-row", { timeout: 15_000 });
  }, 60_000);
  afterAll(async () => {
    await dispose?.();
  });

  async function copyAll(includeSecrets: boolean): Promise<string[]> {
    await page.evaluate(() => ((window as unknown as { __copied: string[] }).__copied.length = 0));
    const rows = await page.locator(".grid-window .grid-row").count();
    for (let i = 0; i < rows; i++) {
      await page.locator(".grid-window .grid-row").nth(i).click();
      for (const tab of ["fix", "curl"]) {
        const tabButton = page.locator(`#tab-${tab}`);
        if ((await tabButton.count()) === 0) continue;
        await tabButton.click();
        if (tab === "curl") {
          const box = page.locator("section.curl input[type=checkbox]");
          if ((await box.count()) > 0 && (await box.isChecked()) !== includeSecrets) await box.click();
        }
        const buttons = page.locator("button.copy");
        const n = await buttons.count();
        for (let b = 0; b < n; b++) await buttons.nth(b).click();
      }
    }
    return page.evaluate(() => (window as unknown as { __copied: string[] }).__copied.slice());
  }

  it("the Export HAR button saves no canary by default, the captured ones with Include secrets", async () => {
    const exported = async () => {
      const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10_000 }), page.click("text=Export HAR")]);
      return { name: download.suggestedFilename(), text: fs.readFileSync((await download.path())!, "utf8") };
    };
    const plain = await exported();
    expect(JSON.parse(plain.text).log.entries.length).toBeGreaterThan(3);
    expect(seen(plain.text)).toEqual([]);
    await page.check(".secrets input");
    const full = await exported();
    await page.uncheck(".secrets input");
    expect(full.name).toContain("WITH-SECRETS");
    for (const c of [C.query, C.xAuthorization, C.cookie, C.setCookie, C.innocentHeader, C.location]) expect(full.text).toContain(c);
  }, 60_000);

  it("copy fix and copy as curl hold no canary by default; the curl copies hold them with Include secrets", async () => {
    const copied = await copyAll(false);
    expect(copied.length).toBeGreaterThan(3);
    expect(copied.some((t) => t.startsWith("curl "))).toBe(true);
    expect(seen(copied.join("\n"))).toEqual([]);
    const full = (await copyAll(true)).join("\n");
    for (const c of [C.query, C.authorization, C.rapidApi, C.innocentHeader]) expect(full).toContain(c);
  }, 120_000);
});
