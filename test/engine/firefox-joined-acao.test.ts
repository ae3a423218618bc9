// Firefox ESR decides: what does Firefox itself report for two Access-Control-Allow-Origin lines, for one
// line "X, X" and for one line "X, Y"? The live extension sees all three as one joined value (webRequest
// joins repeated lines with ", "), so the engine may give Firefox's "Multiple" reason only where Firefox does.
import http from "node:http";
import type { AddressInfo } from "node:net";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseFirefoxCorsLine } from "../matrix/firefox-reasons.mjs";
import { FIREFOX_PATH, FIREFOX_PREFS } from "../matrix/record-firefox.mjs";
import { diagnoseExchange } from "../../src/core/diagnose";
import type { Exchange } from "../../src/core/model";

let browser: Browser;
let page: Page;
let pageServer: http.Server;
let apiServer: http.Server;
let pageOrigin = "";
let apiOrigin = "";
const lines: string[] = [];

function listen(server: http.Server, host: string): Promise<number> {
  return new Promise((r) => server.listen(0, host, () => r((server.address() as AddressInfo).port)));
}

/** Raw response header lines per path: node keeps repeated lines when given an array of [name, value]. */
const CASES: Record<string, (origin: string) => string[][]> = {
  "two-lines": (o) => [
    ["Access-Control-Allow-Origin", o],
    ["Access-Control-Allow-Origin", o],
  ],
  "one-line-same-twice": (o) => [["Access-Control-Allow-Origin", `${o}, ${o}`]],
  "one-line-two-origins": (o) => [["Access-Control-Allow-Origin", `${o}, https://b.example`]],
};

beforeAll(async () => {
  pageServer = http.createServer((_q, s) => {
    s.writeHead(200, { "content-type": "text/html" });
    s.end("<!doctype html><title>p</title>");
  });
  pageOrigin = `http://127.0.0.1:${await listen(pageServer, "127.0.0.1")}`;
  apiServer = http.createServer((q, s) => {
    const name = (q.url ?? "").slice(1).split("?")[0]!;
    const make = CASES[name];
    s.writeHead(200, [["Content-Type", "text/plain"], ...(make ? make(pageOrigin) : [])].flat());
    s.end("ok");
  });
  apiOrigin = `http://localhost:${await listen(apiServer, "127.0.0.1")}`;
  browser = await puppeteer.launch({ browser: "firefox", executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: FIREFOX_PREFS });
  page = await browser.newPage();
  page.on("pageerror", (e: unknown) => lines.push(e instanceof Error ? e.message : String(e)));
  page.on("console", (m) => lines.push(m.text()));
  await page.goto(`${pageOrigin}/`);
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  pageServer?.close();
  apiServer?.close();
});

async function firefoxReason(name: string): Promise<{ blocked: boolean; reason?: string }> {
  const url = `${apiOrigin}/${name}?t=${Date.now()}`;
  const blocked = await page.evaluate(
    async (u) =>
      fetch(u).then(
        () => false,
        () => true,
      ),
    url,
  );
  const deadline = Date.now() + 5000;
  let reason: string | undefined;
  while (Date.now() < deadline && !reason) {
    reason = lines.map((l) => parseFirefoxCorsLine(l)).find((p) => p && p.url === url)?.key;
    if (!reason) await new Promise((r) => setTimeout(r, 50));
  }
  return { blocked, reason };
}

/** The exchange the live Firefox extension builds: webRequest hands over one joined value. */
function joinedExchange(name: string, value: string): Exchange {
  return {
    initiatorOrigin: pageOrigin,
    observedBy: "firefox",
    outcome: { kind: "completed" },
    legs: [
      {
        request: { method: "GET", url: `${apiOrigin}/${name}`, headers: [{ name: "Origin", value: pageOrigin }] },
        response: { status: 200, headers: [{ name: "Access-Control-Allow-Origin", value }] },
      },
    ],
  };
}

// What Firefox said (measured, Firefox ESR 153): two lines → Multiple; one line "X, X" → does not match;
// one line "X, Y" → does not match. The joined value cannot tell the first two apart: the engine reads
// "X, X" as two lines (the common cause: two layers adding the header) and says what it assumed.
const ROWS = [
  {
    name: "two-lines",
    joined: (o: string) => `${o}, ${o}`,
    firefox: "CORSMultipleAllowOriginNotAllowed",
    engine: "CORSMultipleAllowOriginNotAllowed",
  },
  {
    name: "one-line-same-twice",
    joined: (o: string) => `${o}, ${o}`,
    firefox: "CORSAllowOriginNotMatchingOrigin",
    engine: "CORSMultipleAllowOriginNotAllowed",
  },
  {
    name: "one-line-two-origins",
    joined: (o: string) => `${o}, https://b.example`,
    firefox: "CORSAllowOriginNotMatchingOrigin",
    engine: "CORSAllowOriginNotMatchingOrigin",
  },
];

describe("Firefox ESR on repeated or listed Access-Control-Allow-Origin", () => {
  test.each(ROWS)("$name: Firefox says $firefox; from the joined value the engine says $engine", async (row) => {
    const truth = await firefoxReason(row.name);
    expect(truth.blocked).toBe(true);
    expect(truth.reason).toBe(row.firefox);
    const d = diagnoseExchange(joinedExchange(row.name, row.joined(pageOrigin)), { browser: "firefox" });
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.firefoxReason).toBe(row.engine);
    if (row.engine !== row.firefox) {
      // Where the evidence cannot tell, the diagnosis names the other reading and Firefox's reason for it.
      expect((d.assumptions ?? []).join(" ")).toContain(row.firefox);
    }
  });
});
