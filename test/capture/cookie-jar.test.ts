// The browser's cookie store as evidence of a cookie a 401/403 went without (src/capture/cookie-jar.ts): when it
// is read, what is kept of its answer (names and attributes, never values), where it is placed in the tab's log,
// and what the cookie rules then say (src/core/lints/cookies.ts). The real stores are read in
// test/capture/chromium-capture.test.ts and firefox-capture.test.ts.
import { describe, expect, it } from "vitest";
import { Capture } from "../../src/capture/capture";
import { jarGroups, wantsCookieJar } from "../../src/capture/cookie-jar";
import { LiveLog } from "../../src/capture/live-log";
import { diagnoseLog } from "../../src/core/diagnose";
import type { CookieSighting } from "../../src/core/lints/cookies";
import { API, ORIGIN, PAGE, req } from "./events";

const stored = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  value: "secret-value",
  domain: "localhost",
  hostOnly: true,
  secure: false,
  sameSite: "unspecified",
  ...extra,
});

describe("wantsCookieJar: only an armed tab's cross-origin fetch/XHR answered 401 or 403", () => {
  const r = req("chrome", "1", "GET", `${API}/me`);
  it.each([
    ["401 to a fetch", r.headers(401, []), true],
    ["403 to a fetch", r.headers(403, []), true],
    ["200", r.headers(200, []), false],
    ["404", r.headers(404, []), false],
    ["the request headers, not the response", r.send([ORIGIN]), false],
    ["a preflight's 401", req("chrome", "2", "OPTIONS", `${API}/me`).headers(401, []), false],
    ["same-origin", req("chrome", "3", "GET", `${PAGE}/me`).headers(401, []), false],
    ["an image", { ...r.headers(401, []), details: { ...r.headers(401, []).details, type: "image" } }, false],
    ["no tab (a service worker)", req("chrome", "4", "GET", `${API}/me`, -1).headers(401, []), false],
  ])("%s → %s", (_name, event, expected) => {
    expect(wantsCookieJar(event)).toBe(expected);
  });
});

describe("jarGroups: the store's answer as Set-Cookie-like lines, values never read", () => {
  it.each([
    ["unspecified SameSite (Chrome's and Firefox's default): no attribute", [stored("sid")], [{ setCookie: ["sid="] }]],
    [
      "no_restriction → None",
      [stored("sid", { sameSite: "no_restriction", secure: true })],
      [{ setCookie: ["sid=; SameSite=None; Secure"] }],
    ],
    [
      "lax and strict",
      [stored("a", { sameSite: "lax" }), stored("b", { sameSite: "strict" })],
      [{ setCookie: ["a=; SameSite=Lax", "b=; SameSite=Strict"] }],
    ],
    [
      "a domain cookie keeps its Domain, without the leading dot",
      [stored("sid", { hostOnly: false, domain: ".Example.com" })],
      [{ setCookie: ["sid=; Domain=example.com"] }],
    ],
    [
      "partitioned cookies: one group per top-level site, marked Partitioned",
      [
        stored("p", { partitionKey: { topLevelSite: "https://app.test" }, sameSite: "no_restriction", secure: true }),
        stored("sid"),
        stored("q", { partitionKey: { topLevelSite: "https://other.test" } }),
      ],
      [
        { pageOrigin: "https://app.test", setCookie: ["p=; SameSite=None; Secure; Partitioned"] },
        { setCookie: ["sid="] },
        { pageOrigin: "https://other.test", setCookie: ["q=; Partitioned"] },
      ],
    ],
    ["the same cookie twice (asked with and without a partition key): once", [stored("sid"), stored("sid")], [{ setCookie: ["sid="] }]],
    [
      "malformed or hostile items are skipped",
      [
        null,
        3,
        { name: 5 },
        stored(""),
        stored("a;b"),
        stored("x\u0007"),
        stored("n=v"),
        stored("ok", { domain: undefined }),
        stored("fine"),
      ],
      [{ setCookie: ["fine="] }],
    ],
    ["not a list", { cookies: [] }, []],
  ])("%s", (_name, answer, expected) => {
    const groups = jarGroups(answer);
    expect(groups).toEqual(expected);
    expect(JSON.stringify(groups)).not.toContain("secret-value");
  });

  it("leaves out the cookies the exchange's own response set", () => {
    expect(jarGroups([stored("sid"), stored("csrf")], new Set(["csrf"]))).toEqual([{ setCookie: ["sid="] }]);
  });

  it("is bounded: a site with thousands of cookies gives at most 100", () => {
    const many = Array.from({ length: 5000 }, (_, i) => stored(`c${i}`));
    expect(jarGroups(many)[0]!.setCookie).toHaveLength(100);
  });
});

/** A credentialed call of tab 7 answered 401 without CORS headers; its own response sets `own` when given. */
function callOf(capture: Capture | LiveLog, id: string, own?: string) {
  const call = req("chrome", id, "GET", `${API}/me?x=${id}`);
  capture.handle(call.before());
  capture.handle(call.send([ORIGIN]));
  capture.handle(call.headers(401, own ? [["Set-Cookie", own]] : []));
  capture.handle(call.error("net::ERR_FAILED"));
}

describe("Capture.noteCookieJar: kept with the tab's cookie sightings, just before the exchange", () => {
  it("is placed before the 401 it was read for, across a restart, and a read that says the same adds nothing", () => {
    const capture = new Capture();
    callOf(capture, "10");
    callOf(capture, "11");
    expect(capture.noteCookieJar("11", [stored("sid"), stored("csrf")])).toBe(7);
    const seqs = capture.exchangesOf(7).map((r) => r.seq);
    expect(capture.cookieSightings.placedIn(7, seqs)).toEqual([
      { before: 1, url: `${API}/me`, setCookie: ["sid=", "csrf="], source: "jar" },
    ]);
    expect(capture.noteCookieJar("11", [stored("sid"), stored("csrf")])).toBeNull();
    // A restarted worker keeps it, marked as read from the store.
    const { store } = capture.drain();
    const after = new Capture();
    after.restore(structuredClone(store.set));
    expect(after.cookieSightings.placedIn(7, seqs)[0]).toMatchObject({ before: 1, source: "jar" });
    expect(JSON.stringify(store.set)).not.toContain("secret-value");
  });

  it("leaves out what the exchange's own response set, and ignores a record that is gone", () => {
    const capture = new Capture();
    callOf(capture, "20", "csrf=abc; Path=/");
    expect(capture.noteCookieJar("20", [stored("sid"), stored("csrf")])).toBe(7);
    expect(capture.cookieSightings.placedIn(7, [capture.record("20")!.seq])[0]!.setCookie).toEqual(["sid="]);
    expect(capture.noteCookieJar("no-such-request", [stored("sid")])).toBeNull();
  });

  it("a request that carried a token (Authorization) is not missing a cookie: the store is not read into it", () => {
    const capture = new Capture();
    const call = req("chrome", "25", "GET", `${API}/me`);
    capture.handle(call.before());
    capture.handle(call.send([ORIGIN, ["Authorization", "Bearer abc"]]));
    capture.handle(call.headers(401, []));
    expect(capture.noteCookieJar("25", [stored("sid")])).toBeNull();
    expect(capture.cookieSightings.placedIn(7, [])).toEqual([]);
  });

  it("the live log lints the tab again, and the 401 then names the stored cookie", () => {
    const log = new LiveLog({ browser: "chrome" });
    callOf(log, "30");
    log.flush();
    expect(log.tabsToLint()).toEqual([7]);
    log.lint(7);
    expect(log.tabsToLint()).toEqual([]);
    expect(log.noteCookieJar("30", [stored("sid")])).toBe(true);
    expect(log.tabsToLint()).toEqual([7]);
    const message = log.lint(7);
    const finding = message?.type === "upsert" ? message.items[0]!.diagnosis.findings.find((f) => f.id.startsWith("cookie-")) : undefined;
    expect(finding).toMatchObject({ id: "cookie-not-sent-samesite", expected: "sid" });
    expect(finding!.detail).toContain("cookie store");
    // An open panel hears of the sighting (for its export) with the tab's next upsert, and finds it in a snapshot.
    const upsert = log
      .flush()
      .messages.get(7)
      ?.find((m) => m.type === "upsert");
    expect(upsert?.type === "upsert" && upsert.cookieSightings).toEqual([
      { afterSeq: expect.any(Number), url: `${API}/me`, setCookie: ["sid="], source: "jar" },
    ]);
    expect(log.flush().messages.get(7)).toBeUndefined();
    expect(log.snapshot(7, { hostPermission: true, captureErrors: [] }).cookieSightings).toHaveLength(1);
    // And the automation report places it before the 401 it was read for.
    expect(log.report(7).cookieSightings).toEqual([{ before: 0, url: `${API}/me`, setCookie: ["sid="], source: "jar" }]);
  });
});

describe("the cookie rules read a store's sighting as such", () => {
  const call = () => ({
    version: 1 as const,
    initiatorOrigin: "https://app.example.com",
    credentials: "include" as const,
    legs: [
      {
        request: { method: "GET", url: "https://api.other.net/me", headers: [{ name: "Origin", value: "https://app.example.com" }] },
        response: { status: 401, headers: [] },
      },
    ],
    outcome: { kind: "failed" as const, error: "net::ERR_FAILED" },
  });
  const jar = (setCookie: string[], extra: Record<string, unknown> = {}) => ({
    before: 0,
    url: "https://api.other.net/me",
    setCookie,
    source: "jar" as const,
    ...extra,
  });
  const cookieFindings = (sightings: CookieSighting[]) =>
    diagnoseLog([call()], { cookiesOutsideLog: sightings })[0]!.findings.filter((f) => f.id.startsWith("cookie-"));

  it.each([
    ["unspecified SameSite: Lax by default", [jar(["sid="])], "cookie-not-sent-samesite", "SameSite unspecified"],
    // Held by the store, so it was not rejected (both browsers here refuse it; another may keep it): not 'rejected'.
    [
      "stored SameSite=None without Secure: kept out as a third-party cookie, not 'rejected'",
      [jar(["sid=; SameSite=None"])],
      "cookie-third-party-blocked",
      "SameSite=None",
    ],
    ["SameSite=None; Secure: third-party cookie", [jar(["sid=; SameSite=None; Secure"])], "cookie-third-party-blocked", "Secure"],
    [
      "partitioned under another top-level site",
      [jar(["sid=; SameSite=None; Secure; Partitioned"], { pageOrigin: "https://shop.example.org" })],
      "cookie-partitioned",
      "top-level site example.org",
    ],
  ])("%s", (_name, sightings, id, words) => {
    const found = cookieFindings(sightings);
    expect(found.map((f) => f.id)).toEqual([id]);
    expect(found[0]!.detail).toContain("cookie store");
    expect(found[0]!.detail).toContain(words);
  });

  it("a request the page made without credentials: a cookie only the store holds is not evidence", () => {
    for (const credentials of ["omit", "same-origin"] as const) {
      const found = diagnoseLog([{ ...call(), credentials }], { cookiesOutsideLog: [jar(["sid="])] })[0]!.findings;
      expect(found.filter((f) => f.id.startsWith("cookie-"))).toEqual([]);
    }
  });

  it("a partitioned cookie of the page's own site was sent: nothing", () => {
    expect(cookieFindings([jar(["sid=; SameSite=None; Secure; Partitioned"], { pageOrigin: "https://app.example.com" })])).toEqual([]);
  });

  it("the Set-Cookie the log saw is the evidence; the store read of the same cookie does not replace it", () => {
    const seen = { before: 0, url: "https://api.other.net/login", setCookie: ["sid=[redacted]; Path=/"] };
    const found = cookieFindings([seen, jar(["sid="]), jar(["other="])]);
    expect(found).toHaveLength(1);
    expect(found[0]!.detail).toContain("Seen earlier on https://api.other.net/login");
    expect(found[0]!.detail).toContain("other (held by the browser's cookie store)");
  });
});
