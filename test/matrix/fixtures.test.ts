// The committed truth matrix is complete and self-consistent (no browser needed): every scenario has a
// verdict and HAR entries in both browsers, and the Firefox console parser maps the real recorded lines.
import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { loadChromiumMatrix, loadFirefoxMatrix, entriesOf, scenarioIdOfUrl, MATRIX_DIR } from "./fixtures.js";
import { parseFirefoxCorsLine } from "./firefox-reasons.mjs";

const chromium = loadChromiumMatrix();
const firefox = loadFirefoxMatrix();

describe("matrix fixtures", () => {
  it("has at least 250 unique kebab-case scenarios, each recorded in both browsers", () => {
    expect(chromium.scenarios.length).toBeGreaterThanOrEqual(250);
    for (const s of chromium.scenarios) {
      expect(chromium.verdicts.scenarios[s.id], s.id).toBeDefined();
      expect(firefox.verdicts.scenarios[s.id], s.id).toBeDefined();
    }
  });

  it("every Chromium HAR entry belongs to a scenario and every scenario has an entry", () => {
    expect(chromium.har.log.creator.name).toBe("WebInspector");
    for (const e of chromium.har.log.entries) expect(scenarioIdOfUrl(e.request.url), e.request.url).not.toBeNull();
    for (const s of chromium.scenarios) expect(entriesOf(chromium.har, s.id).length, s.id).toBeGreaterThan(0);
  });

  it("Chromium: a blocked fetch has a CORS error or a net error; preflights are marked as DevTools does", () => {
    for (const [id, v] of Object.entries(chromium.verdicts.scenarios)) {
      if (v.blocked) expect(v.corsError ?? v.errorText, id).toBeTruthy();
      else expect(v.corsError, id).toBeUndefined();
    }
    const preflights = chromium.har.log.entries.filter((e) => e.request.method === "OPTIONS");
    expect(preflights.length).toBeGreaterThan(100);
    for (const e of preflights) {
      expect(e._resourceType).toBe("preflight");
      expect(e._initiator.type).toBe("preflight");
    }
  });

  it("Firefox: every blocked fetch has a console reason; the HAR has no Chromium-only fields", () => {
    expect(firefox.har.log.creator.name).toBe("Firefox");
    for (const [id, v] of Object.entries(firefox.verdicts.scenarios)) {
      if (v.blocked) expect(v.reason, id).toMatch(/^CORS[A-Za-z0-9]+$/);
      else expect(v.reason, id).toBeUndefined();
    }
    for (const e of firefox.har.log.entries) {
      expect(e._resourceType).toBeUndefined();
      expect(e.response._error).toBeUndefined();
    }
  });

  it("the two browsers agree on blocked/allowed except where FINDINGS.md says they differ", () => {
    const differ = chromium.scenarios
      .filter((s) => chromium.verdicts.scenarios[s.id].blocked !== firefox.verdicts.scenarios[s.id].blocked)
      .map((s) => s.id);
    expect(differ).toEqual(["redirect-307-put-cross-origin-null"]);
    const findings = fs.readFileSync(path.join(MATRIX_DIR, "../../matrix/FINDINGS.md"), "utf8");
    for (const id of differ) expect(findings).toContain(id);
  });
});

describe("parseFirefoxCorsLine", () => {
  it.each([
    [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/m/a?r=1. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 200.",
      "CORSMissingAllowOrigin2",
      "200",
    ],
    [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/m/a?r=1. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘null’).",
      "CORSAllowOriginNotMatchingOrigin",
      undefined,
    ],
    [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/m/a?r=1. (Reason: header ‘x-foo’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).",
      "CORSMissingAllowHeaderFromPreflight2",
      undefined,
    ],
    [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/m/a?r=1. (Reason: CORS request did not succeed). Status code: (null).",
      "CORSDidNotSucceed2",
      "(null)",
    ],
    [
      "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:1/m/a?r=1. (Reason: CORS preflight response did not succeed). Status code: 404.",
      "CORSPreflightDidNotSucceed3",
      "404",
    ],
  ])("%s", (line, key, status) => {
    const r = parseFirefoxCorsLine(line);
    expect(r?.key).toBe(key);
    expect(r?.status).toBe(status);
    expect(r?.url).toBe("http://localhost:1/m/a?r=1");
  });

  it("every console line recorded in the matrix parses to a known key", () => {
    for (const [id, v] of Object.entries(firefox.verdicts.scenarios)) {
      if (v.console) expect(parseFirefoxCorsLine(v.console)?.key, id).not.toBe("unknown");
    }
  });
});

describe("DevTools HAR fixtures", () => {
  const dir = path.join(MATRIX_DIR, "../devtools");
  it.each([
    ["chrome-devtools.har", "WebInspector"],
    ["firefox-devtools.har", "Firefox"],
  ])("%s is a real export of the 6-request scenario", (file, creator) => {
    const har = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    expect(har.log.creator.name).toBe(creator);
    const ids = new Set(har.log.entries.map((e: any) => scenarioIdOfUrl(e.request.url)).filter(Boolean));
    expect([...ids].sort()).toEqual([
      "acah-missing",
      "cred-acao-wildcard",
      "get-acao-exact-origin",
      "get-acao-missing",
      "preflight-ok-actual-ok",
      "redirect-same-origin-302",
    ]);
    expect(har.log.entries.filter((e: any) => e.request.method === "OPTIONS").length).toBe(2);
  });
});
