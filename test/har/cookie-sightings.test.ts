// Cookies set outside the log travel in CORS Doctor's own export (`log._corsDoctor`), so that `analyze` of the file
// names the cookie the panel named (contracts §4). Both readers (whole file, streaming) place each sighting before the
// exchange it preceded; a file another tool wrote, or hostile values, give nothing. The live round trip (capture →
// automation report → analyze) is in test/capture/helpers/login-cookie.ts.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeHarSource } from "../../src/cli/analyze-pipeline";
import { analyzeHar } from "../../src/core/har/analyze";
import { parseHarCookieSightings } from "../../src/core/har/cookie-sightings";
import { buildHarReport } from "../../src/core/har/write";
import { diagnoseLog } from "../../src/core/diagnose";
import type { CookieSighting } from "../../src/core/lints/cookies";
import type { Exchange } from "../../src/core/model";
import { exchange, response } from "../unit/build-exchange";

const APP = "https://app.example.com";
const API = "https://api.other.net";

/** The page's credentialed call that came back 401 without CORS headers, and an unrelated allowed call before it. */
function log(): Exchange[] {
  const other = exchange({ page: APP, url: `${API}/health`, response: response(200, { "Access-Control-Allow-Origin": APP }) });
  other.startedAt = 1000;
  const call: Exchange = {
    ...exchange({ page: APP, url: `${API}/me`, response: response(401, { "Content-Type": "text/plain" }), outcome: "failed" }),
    credentials: "include",
    startedAt: 2000,
  };
  return [other, call];
}

/** A log-in navigation's Set-Cookie (value already gone), placed before the call (item 1). */
const LOGIN: CookieSighting = { before: 1, url: `${API}/login`, setCookie: ["sid=[redacted]; Path=/"] };
const STORE: CookieSighting = { before: 1, url: `${API}/me`, setCookie: ["pref="], source: "jar" };

function report(sightings: CookieSighting[], order: "start" | "reversed" = "start") {
  const exchanges = log();
  const diagnoses = diagnoseLog(exchanges, { cookiesOutsideLog: sightings });
  const items = exchanges.map((e, i) => ({ exchange: e, diagnosis: diagnoses[i]! }));
  // Items given out of start order: the writer sorts them, and a sighting still lands before its item's entry.
  const given = order === "start" ? items : [...items].reverse();
  const placed = order === "start" ? sightings : sightings.map((s) => ({ ...s, before: 0 }));
  return buildHarReport(given, { version: "test", cookieSightings: placed });
}

const dir = mkdtempSync(join(tmpdir(), "cookie-sightings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

async function streamed(doc: unknown) {
  const path = join(dir, `r${files++}.har`);
  writeFileSync(path, JSON.stringify(doc));
  const rows = [];
  const run = analyzeHarSource(path, { worker: false });
  for await (const batch of run.batches) rows.push(...batch);
  return rows;
}

const cookieFindings = (rows: { url: string; diagnosis: { findings: { id: string; detail: string }[] } }[]) =>
  rows.filter((r) => r.url.endsWith("/me")).flatMap((r) => r.diagnosis.findings.filter((f) => f.id.startsWith("cookie-")));

describe("the export carries the cookies set outside the log", () => {
  it.each(["start", "reversed"] as const)("written before the entries, placed before the call's entry (items in %s order)", (order) => {
    const doc = report([LOGIN, STORE], order);
    expect(Object.keys(doc.log).indexOf("_corsDoctor")).toBeLessThan(Object.keys(doc.log).indexOf("entries"));
    const sightings = (doc.log._corsDoctor as { cookieSightings: { beforeEntry: number }[] }).cookieSightings;
    const callEntry = doc.log.entries.findIndex((e) => e.request.url.endsWith("/me"));
    expect(sightings.map((s) => s.beforeEntry)).toEqual([callEntry, callEntry]);
  });

  it("analyze of the file names the cookie, in both readers, as the panel did", async () => {
    const doc = report([LOGIN, STORE]);
    // What the export's own `_cors` says (the panel's diagnosis, through the export's redaction edge)…
    const named = (findings: { id: string; expected?: string }[]) => findings.map((f) => `${f.id} ${f.expected}`);
    const panel = cookieFindings([{ url: `${API}/me`, diagnosis: doc.log.entries.find((e) => e.request.url.endsWith("/me"))!._cors! }]);
    expect(named(panel)).toEqual(["cookie-not-sent-samesite sid"]);
    // …is what analyze of the file finds again, whole or streamed.
    const whole = cookieFindings(analyzeHar(doc).entries);
    expect(named(whole)).toEqual(named(panel));
    expect(named(cookieFindings(await streamed(doc)))).toEqual(named(whole));
    expect(whole[0]!.detail).toContain(`${API}/login`);
    expect(whole[0]!.detail).toContain("pref (held by the browser's cookie store)");
  });

  it("without sightings the file has no _corsDoctor, and analyze names no cookie", async () => {
    const doc = report([]);
    expect(doc.log._corsDoctor).toBeUndefined();
    expect(cookieFindings(analyzeHar(doc).entries)).toEqual([]);
    expect(cookieFindings(await streamed(doc))).toEqual([]);
  });

  it("a sighting after the call is not evidence for it", () => {
    expect(cookieFindings(analyzeHar(report([{ ...LOGIN, before: 2 }])).entries)).toEqual([]);
  });

  it("a file another tool wrote: its _corsDoctor is not read", async () => {
    const doc = report([LOGIN]);
    const foreign = { log: { ...doc.log, creator: { name: "WebInspector", version: "1" } } };
    expect(cookieFindings(analyzeHar(foreign).entries)).toEqual([]);
    expect(cookieFindings(await streamed(foreign))).toEqual([]);
  });
});

describe("parseHarCookieSightings: untrusted input, bounded", () => {
  const ok = { beforeEntry: 1, url: `${API}/login`, setCookie: ["sid=[redacted]"] };
  it.each([
    ["well-formed", { cookieSightings: [ok] }, [ok]],
    [
      "a store sighting keeps its source and partition",
      { cookieSightings: [{ ...ok, source: "jar", pageOrigin: APP }] },
      [{ ...ok, source: "jar", pageOrigin: APP }],
    ],
    ["an unknown source is dropped, the sighting kept", { cookieSightings: [{ ...ok, source: "elsewhere" }] }, [ok]],
    ["not an object", "x", []],
    ["no list", {}, []],
    [
      "malformed items are dropped",
      {
        cookieSightings: [
          null,
          { ...ok, beforeEntry: -1 },
          { ...ok, beforeEntry: 1.5 },
          { ...ok, url: 3 },
          { ...ok, setCookie: "sid=1" },
          { ...ok, setCookie: [5] },
          { ...ok, url: "x".repeat(5000) },
        ],
      },
      [],
    ],
    ["sorted by place", { cookieSightings: [{ ...ok, beforeEntry: 5 }, ok] }, [ok, { ...ok, beforeEntry: 5 }]],
  ])("%s", (_name, value, expected) => {
    expect(parseHarCookieSightings(value)).toEqual(expected);
  });

  it("at most 1,000 sightings and 50 lines each", () => {
    const many = parseHarCookieSightings({
      cookieSightings: Array.from({ length: 5000 }, () => ({ ...ok, setCookie: Array.from({ length: 200 }, (_, i) => `c${i}=`) })),
    });
    expect(many).toHaveLength(1000);
    expect(many[0]!.setCookie).toHaveLength(50);
  });
});
