// Redaction by default: a HAR file is a credential (Okta 2023). Canary values placed in every secret
// place must not survive `JSON.stringify(report)`; the CORS evidence (Origin, Access-Control-*, Vary) must.
import { describe, expect, it } from "vitest";
import { buildHarReport } from "../../src/core/har/write";
import type { HarEntry } from "../../src/core/har/types";
import type { CorsDiagnosis, Exchange } from "../../src/core/model";
import { REDACTED, Redaction, isSecretHeader, isSecretQueryParam, redactHarEntry, redactHeaders, redactUrl } from "../../src/core/redact";

describe("isSecretHeader", () => {
  const secret = ["Cookie", "Set-Cookie", "Authorization", "Proxy-Authorization", "X-API-Key", "Api-Key", "X-Auth-Token", "X-Access-Token",
    "X-CSRF-Token", "X-XSRF-Token", "X-Amz-Security-Token", "X-Session-Id", "x_auth_token", "X-Goog-Api-Key", "X-Client-Secret", "X-CSRFToken", "X-Upstream-Password"];
  const kept = ["Origin", "Access-Control-Allow-Credentials", "Access-Control-Request-Headers", "Access-Control-Allow-Headers", "Vary", "Host",
    "Content-Type", "Accept", "User-Agent", "WWW-Authenticate", "Sec-Fetch-Mode", "Referer", "Location", "Content-Length"];
  it.each(secret)("%s is secret", (name) => expect(isSecretHeader(name)).toBe(true));
  it.each(kept)("%s is kept", (name) => expect(isSecretHeader(name)).toBe(false));
});

describe("isSecretQueryParam", () => {
  const secret = ["token", "access_token", "id_token", "refresh_token", "api_key", "apikey", "key", "secret", "client_secret", "password", "passwd",
    "pwd", "sig", "signature", "code", "auth", "session", "sessionid", "jwt", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "authToken", "csrf_token"];
  const kept = ["q", "page", "id", "client_id", "redirect_uri", "lang", "monkey", "keyboard", "X-Amz-Date", "X-Amz-Expires"];
  it.each(secret)("%s is secret", (name) => expect(isSecretQueryParam(name)).toBe(true));
  it.each(kept)("%s is kept", (name) => expect(isSecretQueryParam(name)).toBe(false));
});

describe("redactUrl", () => {
  const rows: Array<[string, string]> = [
    ["http://a.test/p?q=1&token=abc&x=%20y", "http://a.test/p?q=1&token=%5Bredacted%5D&x=%20y"],
    ["https://s3.test/o?X-Amz-Credential=AK%2F1&X-Amz-Date=20260101&X-Amz-Signature=ff00", "https://s3.test/o?X-Amz-Credential=%5Bredacted%5D&X-Amz-Date=20260101&X-Amz-Signature=%5Bredacted%5D"],
    ["https://app.test/cb#access_token=tok123&token_type=bearer", "https://app.test/cb#access_token=%5Bredacted%5D&token_type=bearer"],
    ["https://user:hunter22@db.test/x", "https://user:%5Bredacted%5D@db.test/x"],
    ["http://a.test/?id=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_1", "http://a.test/?id=%5Bredacted%5D"],
    ["http://a.test/plain?a=1&b", "http://a.test/plain?a=1&b"],
    ["not a url ?password=x", "not a url ?password=%5Bredacted%5D"],
  ];
  it.each(rows)("%s", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
  it("keeps URLs parseable and decodes back to [redacted]", () => {
    const url = new URL(redactUrl("http://a.test/p?token=secret-value"));
    expect(url.searchParams.get("token")).toBe(REDACTED);
  });
});

describe("redactHeaders", () => {
  it("keeps names and CORS headers, replaces credentials, keeps cookie names and Set-Cookie attributes", () => {
    const redaction = new Redaction();
    const out = redactHeaders(
      [
        { name: "Origin", value: "http://127.0.0.1:3000" },
        { name: "Authorization", value: "Bearer abc.def" },
        { name: "Cookie", value: "sid=s3cr3t; theme=dark" },
        { name: "Set-Cookie", value: "sid=s3cr3t; Path=/; SameSite=None; Secure" },
        { name: "Access-Control-Allow-Credentials", value: "true" },
        { name: "Location", value: "/next?code=oauthcode" },
      ],
      redaction,
    );
    expect(out).toEqual([
      { name: "Origin", value: "http://127.0.0.1:3000" },
      { name: "Authorization", value: REDACTED },
      { name: "Cookie", value: "sid=[redacted]; theme=[redacted]" },
      { name: "Set-Cookie", value: "sid=[redacted]; Path=/; SameSite=None; Secure" },
      { name: "Access-Control-Allow-Credentials", value: "true" },
      { name: "Location", value: "/next?code=%5Bredacted%5D" },
    ]);
    const summary = redaction.summary(false);
    expect(summary.headers).toEqual([{ name: "authorization", count: 1 }, { name: "cookie", count: 1 }, { name: "set-cookie", count: 1 }]);
    expect(summary.queryParameters).toEqual([{ name: "code", count: 1 }]);
    expect(summary.cookies).toEqual([{ name: "sid", count: 2 }, { name: "theme", count: 1 }]);
  });
});

describe("redactHarEntry", () => {
  it("walks cookies, queryString, postData and the response body", () => {
    const entry: HarEntry = {
      startedDateTime: "2026-01-01T00:00:00.000Z",
      time: 0,
      request: {
        method: "POST", url: "http://a.test/login?next=/", httpVersion: "", headersSize: -1, bodySize: 10,
        headers: [], cookies: [{ name: "sid", value: "CANARY-cookie" }], queryString: [{ name: "api_key", value: "CANARY-qs" }, { name: "next", value: "/" }],
        postData: { mimeType: "application/x-www-form-urlencoded", text: "user=u&password=CANARY-pw", params: [{ name: "user", value: "u" }, { name: "password", value: "CANARY-pw" }] },
      },
      response: { status: 200, statusText: "", httpVersion: "", headers: [], cookies: [{ name: "sid", value: "CANARY-set", httpOnly: true }], content: { size: 20, mimeType: "application/json", text: '{"token":"CANARY-body"}' }, redirectURL: "", headersSize: -1, bodySize: 20 },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    };
    const redaction = new Redaction();
    const out = redactHarEntry(entry, redaction);
    expect(JSON.stringify(out)).not.toContain("CANARY");
    expect(out.request.queryString).toEqual([{ name: "api_key", value: REDACTED }, { name: "next", value: "/" }]);
    expect(out.request.postData).toEqual({ mimeType: "application/x-www-form-urlencoded", params: [{ name: "user", value: REDACTED }, { name: "password", value: REDACTED }] });
    expect(out.response.cookies).toEqual([{ name: "sid", value: REDACTED, httpOnly: true }]);
    expect(out.response.content).toEqual({ size: 20, mimeType: "application/json" });
    expect(redaction.summary(false)).toMatchObject({ requestBodies: 1, responseBodies: 1 });
  });
});

describe("buildHarReport redaction", () => {
  const C = {
    auth: "CANARY1-authorization",
    cookie: "CANARY2-cookie",
    setCookie: "CANARY3-set-cookie",
    apiKey: "CANARY4-api-key",
    queryToken: "CANARY5-query",
    amz: "CANARY6-amz-signature",
    fragment: "CANARY7-fragment",
    userinfo: "CANARY8-userinfo",
    location: "CANARY9-location",
    referer: "CANARY10-referer",
    proxy: "CANARY11-proxy",
    session: "CANARY12-session",
    jwt: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJDQU5BUlkifQ.CANARY13-jwt",
    preflight: "CANARY14-preflight",
  };
  const exchange: Exchange = {
    initiatorOrigin: "http://127.0.0.1:3000",
    legs: [
      {
        request: {
          method: "POST",
          url: `http://u:${C.userinfo}@localhost:4000/api?token=${C.queryToken}&X-Amz-Signature=${C.amz}&page=2#access_token=${C.fragment}`,
          headers: [
            { name: "Origin", value: "http://127.0.0.1:3000" },
            { name: "Authorization", value: `Bearer ${C.auth}` },
            { name: "Cookie", value: `sid=${C.cookie}` },
            { name: "X-API-Key", value: C.apiKey },
            { name: "Proxy-Authorization", value: `Basic ${C.proxy}` },
            { name: "X-Session", value: C.session },
            { name: "X-Debug-Context", value: `ctx ${C.jwt}` },
            { name: "Referer", value: `http://127.0.0.1:3000/page?session=${C.referer}` },
          ],
        },
        preflight: {
          request: { method: "OPTIONS", url: `http://localhost:4000/api?token=${C.preflight}`, headers: [{ name: "Origin", value: "http://127.0.0.1:3000" }, { name: "Access-Control-Request-Method", value: "POST" }] },
          response: { status: 204, headers: [{ name: "Access-Control-Allow-Origin", value: "http://127.0.0.1:3000" }, { name: "Vary", value: "Origin" }] },
        },
        response: {
          status: 302,
          headers: [
            { name: "Set-Cookie", value: `sid=${C.setCookie}; Path=/; SameSite=None; Secure` },
            { name: "Location", value: `http://localhost:4000/next?code=${C.location}` },
            { name: "Access-Control-Allow-Origin", value: "http://127.0.0.1:3000" },
            { name: "Access-Control-Allow-Credentials", value: "true" },
          ],
        },
      },
    ],
    outcome: { kind: "completed" },
    observedBy: "chrome",
    credentials: "include",
    startedAt: 1767225600000,
  };
  // A finding quoting the request URL and a header: derived text must be scrubbed too.
  const diagnosis: CorsDiagnosis = {
    role: "actual", pairedWith: null, verdict: "blocked",
    blockedBy: { id: "x", severity: "error", title: "t", detail: `Request to ${exchange.legs[0]!.request.url} with key ${C.apiKey}`, request: "actual", actual: C.auth },
    findings: [],
  };

  it("keeps no canary by default, and says what it removed", () => {
    const report = buildHarReport([{ exchange, diagnosis }], { version: "0.1.0" });
    const text = JSON.stringify(report);
    for (const [place, canary] of Object.entries(C)) expect(text.includes(canary), place).toBe(false);
    expect(text).not.toContain("CANARY");
    // The CORS evidence is intact.
    for (const kept of ["Access-Control-Allow-Credentials", "http://127.0.0.1:3000", "Vary", "SameSite=None", "page=2"]) expect(text).toContain(kept);
    const redaction = report.log._redaction!;
    expect(redaction.secretsIncluded).toBe(false);
    expect(redaction.headers.map((h) => h.name)).toEqual(expect.arrayContaining(["authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization", "x-session", "x-debug-context"]));
    expect(redaction.queryParameters.map((q) => q.name)).toEqual(expect.arrayContaining(["token", "X-Amz-Signature", "access_token", "code", "session"]));
    expect(redaction.cookies.map((c) => c.name)).toContain("sid");
  });

  it("keeps every value with includeSecrets", () => {
    const report = buildHarReport([{ exchange, diagnosis }], { version: "0.1.0", includeSecrets: true });
    const text = JSON.stringify(report);
    for (const [place, canary] of Object.entries(C)) expect(text.includes(canary), place).toBe(true);
    expect(report.log._redaction).toMatchObject({ secretsIncluded: true, headers: [], queryParameters: [], cookies: [] });
  });
});
