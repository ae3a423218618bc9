// Root causes that live outside the CORS headers (taxonomy A.5): the cookie that did not travel, the header
// the page could not read, and lints that read every response, failed preflights included.
import { describe, expect, test } from "vitest";
import { diagnoseExchange, diagnoseLog } from "../../src/core/diagnose";
import { CookieSummary, parseSetCookie, siteOfHost } from "../../src/core/lints/cookies";
import { redactSetCookie } from "../../src/core/redact";
import type { Exchange } from "../../src/core/model";
import { exchange, response } from "./build-exchange";

const APP = "https://app.example.com";
const API = "https://api.other.net/me";

/** The user logged in on the API's site (a navigation there), which set the cookie. */
function login(setCookie: string, page: string | null = null): Exchange {
  const ex = exchange({
    page,
    origin: null,
    url: "https://api.other.net/login",
    method: "POST",
    response: response(302, { "Set-Cookie": setCookie, Location: "/" }),
  });
  ex.resourceType = "document";
  ex.mode = "navigate";
  return ex;
}

/** The page's credentialed call that came back 401 without CORS headers. */
const call = (extra: Partial<Exchange> = {}) => ({
  ...exchange({ page: APP, url: API, response: response(401, { "Content-Type": "application/json" }), outcome: "failed" }),
  ...extra,
});

describe("parseSetCookie", () => {
  test.each([
    ["sid=abc; Path=/; HttpOnly", { name: "sid", sameSite: null, secure: false, partitioned: false, domain: null }],
    [
      "sid=abc; SameSite=none; Secure; Partitioned; Domain=.Other.net",
      { name: "sid", sameSite: "None", secure: true, partitioned: true, domain: "other.net" },
    ],
    ["sid=; Max-Age=0", null],
    ["[redacted]", null],
  ])("%s", (line, want) => {
    expect(parseSetCookie(line)).toEqual(want);
  });
  test("sites", () => {
    expect(siteOfHost("api.other.net")).toBe("other.net");
    expect(siteOfHost("a.b.example.co.uk")).toBe("example.co.uk");
    expect(siteOfHost("127.0.0.1")).toBe("127.0.0.1");
  });
});

describe("cookie-* findings: the blocking finding stays what the browser reports", () => {
  test.each([
    ["no SameSite: Lax by default", "sid=1; Path=/; Secure; HttpOnly", "cookie-not-sent-samesite", /SameSite=Lax by default/],
    ["SameSite=Strict", "sid=1; Secure; SameSite=Strict", "cookie-not-sent-samesite", /SameSite=Strict/],
    ["SameSite=None without Secure", "sid=1; SameSite=None", "cookie-not-sent-insecure", /without Secure/],
    ["SameSite=None; Secure: a third-party cookie", "sid=1; SameSite=None; Secure", "cookie-third-party-blocked", /third-party/],
    [
      "Partitioned, set under the API's own site",
      "sid=1; SameSite=None; Secure; Partitioned",
      "cookie-partitioned",
      /partitioned under another top-level site/,
    ],
  ])("%s", (_name, setCookie, id, title) => {
    const ds = diagnoseLog([login(setCookie), call({ credentials: "include" })]);
    const d = ds[1]!;
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe("acao-missing");
    const f = d.findings.find((x) => x.id === id);
    expect(f, JSON.stringify(d.findings.map((x) => x.id))).toBeDefined();
    expect(f!.severity).toBe("error");
    expect(f!.title).toMatch(title);
    // The evidence: the Set-Cookie seen (name and attributes, never the value) and the request without it.
    expect(f!.detail).toMatch(/Seen earlier on entry 0 \(https:\/\/api\.other\.net\/login\): Set-Cookie: sid=…/);
    expect(f!.detail).toMatch(/went without sid and got HTTP 401 without CORS headers/);
    expect(f!.detail).not.toContain("sid=1");
    const fix = f!.fixes?.map((x) => x.code).join("\n") ?? "";
    expect(fix).toMatch(/SameSite=None; Partitioned|SameSite=None; Secure|Partitioned|Bearer/);
  });

  test("several cookies missing for different reasons: each reason is named once (which one the server wanted is not in the log)", () => {
    const visit = login("lax=1; Secure");
    const again = [login("none=1; SameSite=None"), login("strict=1; Secure; SameSite=Strict")];
    const ds = diagnoseLog([visit, ...again, call({ credentials: "include" })]);
    const cookieFindings = ds[3]!.findings.filter((f) => f.id.startsWith("cookie-"));
    expect(cookieFindings.map((f) => f.id).sort()).toEqual(["cookie-not-sent-insecure", "cookie-not-sent-samesite"]);
    const samesite = cookieFindings.find((f) => f.id === "cookie-not-sent-samesite")!;
    expect(samesite.expected).toBe("lax");
    expect(samesite.detail).toMatch(/The same holds for strict\./);
  });

  test("a partitioned cookie set from the page's own site travels: no finding", () => {
    const ds = diagnoseLog([login("sid=1; SameSite=None; Secure; Partitioned", APP), call({ credentials: "include" })]);
    expect(ds[1]!.findings.some((f) => f.id.startsWith("cookie-"))).toBe(false);
  });

  test("same-site: nothing in the attributes stops it, so the page did not ask for credentials", () => {
    const ds = diagnoseLog([login("sid=1; Secure"), call({ initiatorOrigin: "https://app.other.net" })]);
    expect(ds[1]!.findings.find((f) => f.id === "cookie-not-sent-credentials-mode")?.fixes?.[0]?.code).toMatch(/credentials: "include"/);
  });

  test("the cookie was sent: no finding", () => {
    const sent = exchange({ page: APP, url: API, headers: { Cookie: "sid=1" }, response: response(401), outcome: "failed" });
    const ds = diagnoseLog([login("sid=1; Secure"), sent]);
    expect(ds[1]!.findings.some((f) => f.id.startsWith("cookie-"))).toBe(false);
  });

  test("no Set-Cookie seen (Chrome's sanitized export): nothing claimed", () => {
    const ds = diagnoseLog([call({ credentials: "include" })]);
    expect(ds[0]!.findings.some((f) => f.id.startsWith("cookie-"))).toBe(false);
  });

  test("streams: one exchange at a time", () => {
    const summary = new CookieSummary();
    const first = login("sid=1");
    summary.add(first, diagnoseExchange(first), 7);
    const later = call({ credentials: "include" });
    const d = diagnoseExchange(later);
    summary.add(later, d, 8);
    expect(d.findings.find((f) => f.id === "cookie-not-sent-samesite")?.detail).toMatch(/entry 7/);
  });
});

// Live capture keeps navigations out of the log (one clears it): their Set-Cookie lines come beside it, each placed
// before the exchange that followed it (src/capture/cookie-sightings.ts).
describe("cookies set outside the log", () => {
  const ids = (d: { findings: { id: string }[] }) => d.findings.filter((f) => f.id.startsWith("cookie-")).map((f) => f.id);
  test.each([
    [
      "a log-in navigation before the call",
      [{ before: 0, url: "https://api.other.net/login", setCookie: ["sid=[redacted]; Secure"] }],
      ["cookie-not-sent-samesite"],
    ],
    [
      "a navigation after the call: not evidence",
      [{ before: 1, url: "https://api.other.net/login", setCookie: ["sid=[redacted]; Secure"] }],
      [],
    ],
    [
      "set by an earlier page's request, partitioned under that page's site",
      [{ before: 0, url: API, pageOrigin: "https://shop.example.org", setCookie: ["sid=[redacted]; SameSite=None; Secure; Partitioned"] }],
      ["cookie-partitioned"],
    ],
    [
      "a navigation's partitioned cookie is under the API's own site",
      [{ before: 0, url: API, setCookie: ["sid=[redacted]; SameSite=None; Secure; Partitioned"] }],
      ["cookie-partitioned"],
    ],
    ["another host's cookie: nothing", [{ before: 0, url: "https://elsewhere.net/login", setCookie: ["sid=1"] }], []],
    ["no sighting: nothing", [], []],
  ])("%s", (_name, cookiesOutsideLog, expected) => {
    const [d] = diagnoseLog([call({ credentials: "include" })], { cookiesOutsideLog });
    expect(ids(d!)).toEqual(expected);
    if (expected.length) expect(d!.findings.find((f) => f.id === expected[0])!.detail).toContain(cookiesOutsideLog[0]!.url);
  });

  // What capture keeps of a Set-Cookie line (the exported report's rule, redact.ts): the rules read the same name.
  test.each([
    ["sid=abc; Path=/; SameSite=None", "sid=[redacted]; Path=/; SameSite=None"],
    ["sid=abc", "sid=[redacted]"],
    // A line without "=" is a nameless cookie whose value is the whole pair: nothing of it is kept.
    ["novalue", "[redacted]"],
    ["a=b=c; Secure", "a=[redacted]; Secure"],
  ])("redactSetCookie(%s)", (line, expected) => {
    expect(redactSetCookie(line)).toBe(expected);
    expect(parseSetCookie(redactSetCookie(line))?.name ?? null).toBe(parseSetCookie(line)?.name ?? null);
  });
});

describe("response-header-not-exposed: the page tried to read it", () => {
  const PAGE = "http://127.0.0.1:3000";
  test.each([
    ["not listed", { "X-Total-Count": "3" }, ["X-Total-Count"], true],
    ["listed", { "X-Total-Count": "3", "Access-Control-Expose-Headers": "x-total-count" }, ["X-Total-Count"], false],
    ["* without credentials", { "X-Total-Count": "3", "Access-Control-Expose-Headers": "*" }, ["X-Total-Count"], false],
    ["safelisted", {}, ["Content-Type"], false],
    ["Set-Cookie, never", { "Access-Control-Expose-Headers": "*" }, ["Set-Cookie"], true],
  ])("%s", (_name, headers, read, flagged) => {
    const ex = {
      ...exchange({ response: response(200, { "Access-Control-Allow-Origin": PAGE, ...headers }), outcome: "completed" }),
      readHeaders: read,
    };
    const d = diagnoseExchange(ex);
    expect(d.verdict).toBe("allowed");
    const f = d.findings.find((x) => x.id === "response-header-not-exposed");
    expect(!!f).toBe(flagged);
    if (f && read[0] !== "Set-Cookie") expect(f.fixes?.[0]?.code).toBe(`Access-Control-Expose-Headers: ${read[0]}`);
  });
  test("with credentials, * is a literal name", () => {
    const ex = {
      ...exchange({
        headers: { Cookie: "a=1" },
        response: response(200, {
          "Access-Control-Allow-Origin": PAGE,
          "Access-Control-Allow-Credentials": "true",
          "Access-Control-Expose-Headers": "*",
          "X-Total-Count": "3",
        }),
        outcome: "completed",
      }),
      readHeaders: ["x-total-count"],
    };
    expect(diagnoseExchange(ex).findings.find((f) => f.id === "response-header-not-exposed")?.detail).toMatch(/literal name/);
  });
});

describe("lints read every response, failed preflights included", () => {
  test("a failed preflight with Access-Control-Max-Age: 21600 still gets its Max-Age finding", () => {
    const d = diagnoseExchange(
      exchange({
        method: "PUT",
        preflight: response(204, {
          "Access-Control-Allow-Origin": "http://127.0.0.1:3000",
          "Access-Control-Allow-Methods": "GET",
          "Access-Control-Max-Age": "21600",
        }),
        outcome: "failed",
      }),
    );
    expect(d.blockedBy?.id).toBe("preflight-method-not-allowed");
    const f = d.findings.find((x) => x.id === "max-age-exceeds-cap");
    expect(f?.detail).toMatch(/later fix .* seem to do nothing/);
  });
  test("a failed preflight (404) with a long Max-Age", () => {
    const d = diagnoseExchange(
      exchange({ method: "PUT", preflight: response(404, { "Access-Control-Max-Age": "86400" }), outcome: "failed" }),
    );
    expect(d.findings.map((f) => f.id)).toContain("max-age-exceeds-cap");
    expect(d.findings.map((f) => f.id)).not.toContain("max-age-missing");
  });
});
