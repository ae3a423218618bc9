// Chromium's own reason for a failure, as precise mode hears it (CDP corsErrorStatus / blockedReason), joined to what
// capture saw: the report kind only precise mode may send, the CorsError → check the engine names when no response
// was captured, and an armed tab's first failed <img crossorigin> (seen only at its failure) named at once.
import { describe, expect, it } from "vitest";
import { accessFailureFromCorsError } from "../../src/core/checks/cors-check";
import { LiveLog } from "../../src/capture/live-log";
import { parsePageReport, type PageReport } from "../../src/capture/page-reports";
import { API, PAGE, req } from "./events";

const browserReport = {
  kind: "browser",
  url: `${API}/a.png`,
  method: "GET",
  at: 1_000,
  pageUrl: `${PAGE}/`,
  corsError: "MissingAllowOriginHeader",
};

describe("a browser report", () => {
  it("is accepted from precise mode only, never from a page or DevTools", () => {
    expect(parsePageReport(JSON.stringify(browserReport))).toBeNull();
    expect(parsePageReport(JSON.stringify(browserReport), { browser: true })).toMatchObject({
      kind: "browser",
      corsError: "MissingAllowOriginHeader",
    });
  });

  it("keeps only Chromium's enum values, and is nothing without one", () => {
    const parse = (over: object) => parsePageReport(JSON.stringify({ ...browserReport, ...over }), { browser: true });
    expect(parse({ corsError: "<img src=x onerror=alert(1)>" })).toBeNull();
    expect(parse({ corsError: undefined, blockedReason: "mixed-content" })).toMatchObject({ blockedReason: "mixed-content" });
    expect(parse({ corsError: "AllowOriginMismatch", failedParameter: "https://evil.test" })).toMatchObject({
      failedParameter: "https://evil.test",
    });
    expect(parse({ corsError: undefined, failedParameter: "x" })).toBeNull();
  });
});

describe("accessFailureFromCorsError: Chromium's CorsError → the access check that failed", () => {
  const origin = "https://app.test";
  const rows: [string, string | undefined, string | null, string][] = [
    ["MissingAllowOriginHeader", "", "acao-missing", "access-control-allow-origin"],
    ["WildcardOriginNotAllowed", "", "acao-wildcard-with-credentials", "access-control-allow-origin"],
    ["MultipleAllowOriginValues", "https://a.test, https://b.test", "acao-multiple-values", "access-control-allow-origin"],
    ["InvalidAllowOriginValue", "app.test", "acao-invalid-value", "access-control-allow-origin"],
    ["AllowOriginMismatch", "https://app.test:8443", "acao-mismatch-port", "access-control-allow-origin"],
    ["AllowOriginMismatch", undefined, "acao-mismatch", "access-control-allow-origin"],
    ["InvalidAllowCredentials", "", "acac-not-true", "access-control-allow-credentials"],
    ["PreflightInvalidStatus", "", null, ""],
    ["LocalNetworkAccessPermissionDenied", "", null, ""],
  ];
  it.each(rows)("%s (%s) → %s", (corsError, parameter, id, header) => {
    const failure = accessFailureFromCorsError(corsError, parameter, origin);
    if (id === null) return expect(failure).toBeNull();
    expect(failure).toMatchObject({ id, header, chromeCorsError: corsError, failedParameter: parameter ?? "" });
  });
});

describe("an armed Chromium tab's <img crossorigin> seen only at its failure", () => {
  const failedImage = () => {
    const r = req("chrome", "100", "GET", `${API}/a.png`);
    return {
      event: "ErrorOccurred" as const,
      details: { ...r.error("net::ERR_FAILED").details, type: "image", timeStamp: 1_000 },
      errorOnly: true,
    };
  };

  it("is named by Chromium's own CorsError when precise mode heard it, before or after the failure", () => {
    for (const reportFirst of [true, false]) {
      const log = new LiveLog({ browser: "chrome" });
      const report = parsePageReport(JSON.stringify(browserReport), { browser: true }) as PageReport;
      if (reportFirst) log.addPageReports(7, [report]);
      log.handle(failedImage());
      if (!reportFirst) log.addPageReports(7, [report]);
      log.flush();
      const [item] = log.items(7);
      expect(item!.diagnosis.blockedBy).toMatchObject({ id: "acao-missing", chromeCorsError: "MissingAllowOriginHeader" });
      expect(item!.diagnosis.assumptions?.join(" ")).toContain("Chromium itself reported MissingAllowOriginHeader");
      expect(item!.diagnosis.assumptions?.join(" ")).toContain("only the failure of this image was captured");
    }
  });

  it("stays 'most likely CORS, reason unknown' without it", () => {
    const log = new LiveLog({ browser: "chrome" });
    log.handle(failedImage());
    log.flush();
    expect(log.items(7)[0]!.diagnosis.blockedBy!.title).toContain("most likely refused by CORS");
  });
});
