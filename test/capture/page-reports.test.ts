// The page-side observer's reports are untrusted input from the page's own world: parsed once, bounded, and
// matched to captured requests; failures no request explains become "refused before the network" exchanges.
import { describe, expect, it } from "vitest";
import { PageReports, parsePageReport, refusedBeforeNetwork, withPageEvidence, type PageReport } from "../../src/capture/page-reports";
import { diagnoseExchange } from "../../src/core/diagnose";
import type { Exchange } from "../../src/core/model";

const base = { kind: "fetch", url: "https://api.test/items", pageUrl: "https://app.test/", at: 1_000, method: "GET" };

describe("parsePageReport", () => {
  const rows: { name: string; raw: unknown; expected: Partial<PageReport> | null }[] = [
    {
      name: "a plain fetch report",
      raw: JSON.stringify({ ...base, mode: "cors", credentials: "include", outcome: "network-error", message: "Failed to fetch" }),
      expected: { ...base, kind: "fetch", mode: "cors", credentials: "include", outcome: "network-error", message: "Failed to fetch" },
    },
    { name: "not JSON", raw: "{nope", expected: null },
    { name: "unknown kind", raw: JSON.stringify({ ...base, kind: "eval" }), expected: null },
    { name: "no url", raw: JSON.stringify({ ...base, url: "" }), expected: null },
    { name: "time not a number", raw: JSON.stringify({ ...base, at: "soon" }), expected: null },
    { name: "time out of range", raw: JSON.stringify({ ...base, at: 1e300 }), expected: null },
    {
      name: "bad mode and credentials are dropped",
      raw: JSON.stringify({ ...base, mode: "sneaky", credentials: "always" }),
      expected: { ...base, kind: "fetch" },
    },
    { name: "status out of range is dropped", raw: JSON.stringify({ ...base, status: 4294967294 }), expected: { ...base, kind: "fetch" } },
    {
      name: "a method that is not a token is dropped",
      raw: JSON.stringify({ ...base, method: "GET\r\nX: y" }),
      expected: { kind: "fetch", url: base.url, pageUrl: base.pageUrl, at: base.at },
    },
    {
      name: "header names: tokens only, lower-cased, at most 32",
      raw: JSON.stringify({ ...base, readHeaders: ["X-Total-Count", "bad name", 7, ...Array.from({ length: 40 }, (_, i) => `h${i}`)] }),
      expected: { ...base, kind: "fetch", readHeaders: ["x-total-count", ...Array.from({ length: 29 }, (_, i) => `h${i}`)] },
    },
    { name: "a huge report is refused whole", raw: JSON.stringify({ ...base, message: "x".repeat(70_000) }), expected: null },
    {
      name: "a long message is cut",
      raw: JSON.stringify({ ...base, message: "y".repeat(1000) }),
      expected: { ...base, kind: "fetch", message: "y".repeat(300) },
    },
    { name: "an object, not text", raw: { ...base }, expected: { ...base, kind: "fetch" } },
    { name: "null", raw: null, expected: null },
    {
      name: "a failed <img crossorigin> (element, its tag and mode)",
      raw: JSON.stringify({ ...base, kind: "element", tag: "img", mode: "cors", outcome: "network-error" }),
      expected: { ...base, kind: "element", tag: "img", mode: "cors", outcome: "network-error" },
    },
    {
      name: "an element tag that is not one of the observer's is dropped",
      raw: JSON.stringify({ ...base, kind: "element", tag: "iframe", outcome: "network-error" }),
      expected: { ...base, kind: "element", outcome: "network-error" },
    },
    {
      name: "a fetch's targetAddressSpace; an unknown space is dropped",
      raw: JSON.stringify({ ...base, targetAddressSpace: "local" }),
      expected: { ...base, kind: "fetch", targetAddressSpace: "local" },
    },
    {
      name: "targetAddressSpace not a space",
      raw: JSON.stringify({ ...base, targetAddressSpace: "mars" }),
      expected: { ...base, kind: "fetch" },
    },
    {
      name: "a service worker of the page (its script)",
      raw: JSON.stringify({ kind: "service-worker", url: "https://app.test/sw.js", at: 1_000, pageUrl: "https://app.test/" }),
      expected: { kind: "service-worker", url: "https://app.test/sw.js", at: 1_000, pageUrl: "https://app.test/" },
    },
    {
      name: "a failed <script integrity> (element)",
      raw: JSON.stringify({ ...base, kind: "element", integrity: true, outcome: "network-error" }),
      expected: { ...base, kind: "element", integrity: true, outcome: "network-error" },
    },
    {
      name: "a beacon",
      raw: JSON.stringify({ ...base, kind: "beacon", method: "POST" }),
      expected: { ...base, kind: "beacon", method: "POST" },
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(parsePageReport(row.raw)).toEqual(row.expected);
    });
  }
});

describe("refusedBeforeNetwork", () => {
  const rows: { pageUrl: string; url: string; csp: boolean; expected: string | null }[] = [
    { pageUrl: "https://app.test/", url: "http://api.test/x", csp: false, expected: "mixed-content" },
    { pageUrl: "https://app.test/", url: "http://localhost:8080/x", csp: false, expected: null },
    { pageUrl: "https://app.test/", url: "http://127.0.0.1:8080/x", csp: false, expected: null },
    { pageUrl: "https://app.test/", url: "http://[::1]:8080/x", csp: false, expected: null },
    { pageUrl: "https://app.test/", url: "http://dev.localhost/x", csp: false, expected: null },
    { pageUrl: "http://app.test/", url: "http://api.test/x", csp: false, expected: null },
    { pageUrl: "https://app.test/", url: "https://api.test/x", csp: false, expected: null },
    { pageUrl: "https://app.test/", url: "https://api.test/x", csp: true, expected: "csp" },
    { pageUrl: "not a url", url: "http://api.test/x", csp: false, expected: null },
  ];
  for (const row of rows) {
    it(`${row.pageUrl} → ${row.url}${row.csp ? " (CSP report)" : ""}: ${row.expected}`, () => {
      expect(refusedBeforeNetwork({ kind: "fetch", url: row.url, pageUrl: row.pageUrl, at: 0 }, row.csp)).toBe(row.expected);
    });
  }
});

describe("PageReports", () => {
  const failed = (over: Partial<PageReport>): PageReport =>
    ({ ...base, outcome: "network-error", message: "Failed to fetch", ...over }) as PageReport;

  it("a mixed-content failure with no captured request becomes a refused exchange, once, after the grace period", () => {
    const reports = new PageReports();
    reports.add(7, failed({ url: "http://api.test/items", at: 1_000, endedAt: 1_001 }));
    expect(reports.takeRefused(7, 1_100, () => false)).toEqual([]);
    const refused = reports.takeRefused(7, 2_000, () => false);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      initiatorOrigin: "https://app.test",
      blockedReason: "mixed-content",
      outcome: { kind: "failed", error: "blocked:mixed-content" },
      legs: [{ request: { method: "GET", url: "http://api.test/items", headers: [] } }],
    });
    expect(reports.takeRefused(7, 3_000, () => false)).toEqual([]);
  });

  it("one refused request reported by two sources (DevTools open and precise mode on) is listed once; two requests twice", () => {
    const reports = new PageReports();
    const report = failed({ url: "http://api.test/items", at: 1_000, pageUrl: "https://app.test/worker.js" });
    reports.add(7, report);
    reports.add(7, { ...report });
    reports.add(7, { ...report, at: 1_200 });
    expect(reports.takeRefused(7, 5_000, () => false)).toHaveLength(2);
  });

  it("a failure that capture saw is not invented again", () => {
    const reports = new PageReports();
    reports.add(7, failed({ url: "http://api.test/items" }));
    expect(reports.takeRefused(7, 5_000, () => true)).toEqual([]);
  });

  it("a CSP report (full URL or origin only) marks the failure as blocked by CSP", () => {
    for (const blocked of ["https://api.test/items", "https://api.test"]) {
      const reports = new PageReports();
      reports.add(3, { kind: "csp", url: blocked, directive: "connect-src", pageUrl: base.pageUrl, at: 1_000 });
      reports.add(3, failed({}));
      expect(reports.takeRefused(3, 5_000, () => false)).toMatchObject([{ blockedReason: "csp", outcome: { error: "blocked:csp" } }]);
    }
  });

  it("an https→https failure with no CSP report is not explained (left to webRequest), and an abort never is", () => {
    const reports = new PageReports();
    reports.add(3, failed({}));
    reports.add(3, failed({ url: "http://api.test/aborted", outcome: "aborted" }));
    expect(reports.takeRefused(3, 5_000, () => false)).toEqual([]);
  });

  it("evidence: mode, credentials and header reads of the same request, within the window only", () => {
    const reports = new PageReports();
    reports.add(1, { ...base, kind: "fetch", mode: "no-cors", credentials: "include", outcome: "response", status: 0 } as PageReport);
    reports.add(1, { ...base, kind: "header-read", readHeaders: ["x-total-count"] } as PageReport);
    expect(reports.evidenceFor(1, "get", base.url, 1_200)).toEqual({
      mode: "no-cors",
      credentials: "include",
      readHeaders: ["x-total-count"],
    });
    expect(reports.evidenceFor(1, "GET", base.url, 100_000)).toBeUndefined();
    expect(reports.evidenceFor(1, "POST", base.url, 1_200)).toBeUndefined();
    expect(reports.evidenceFor(2, "GET", base.url, 1_200)).toBeUndefined();
  });

  it("a beacon is refused only with the page's CSP report about it (Chromium's sendBeacon says true even then)", () => {
    const beacon = (over: Partial<PageReport>) =>
      ({ kind: "beacon", url: "https://api.test/log", method: "POST", pageUrl: base.pageUrl, at: 1_000, ...over }) as PageReport;
    const reports = new PageReports();
    reports.add(4, { kind: "csp", url: "https://api.test/log", directive: "connect-src", pageUrl: base.pageUrl, at: 1_001 });
    reports.add(4, beacon({ outcome: "response" }));
    reports.add(4, beacon({ url: "https://api.test/other", outcome: "response" }));
    expect(reports.takeRefused(4, 5_000, () => false)).toMatchObject([
      {
        legs: [{ request: { method: "POST", url: "https://api.test/log" } }],
        resourceType: "ping",
        blockedReason: "csp",
        pageObserved: { kind: "csp", directive: "connect-src" },
      },
    ]);
  });

  it("a failed <script> of plain http on an https page is refused as mixed content; an https <script integrity> capture has no failure for failed its digest", () => {
    const element = (url: string, integrity?: true) =>
      ({
        kind: "element",
        url,
        method: "GET",
        pageUrl: base.pageUrl,
        at: 1_000,
        outcome: "network-error",
        ...(integrity ? { integrity } : {}),
      }) as PageReport;
    const reports = new PageReports();
    reports.add(6, element("http://api.test/m.js"));
    reports.add(6, element("https://api.test/s.js", true));
    reports.add(6, element("https://api.test/plain.js"));
    const refused = reports.takeRefused(6, 5_000, () => false);
    expect(refused).toMatchObject([
      { legs: [{ request: { url: "http://api.test/m.js" } }], resourceType: "script", blockedReason: "mixed-content" },
      {
        legs: [{ request: { url: "https://api.test/s.js", headers: [] } }],
        resourceType: "script",
        blockedReason: "integrity",
        pageObserved: { kind: "integrity" },
      },
    ]);
    expect(diagnoseExchange(refused[1]!)).toMatchObject({ verdict: "blocked", blockedBy: { id: "not-cors-sri" } });
    // Capture has its failure (a CORS or network error, seen by the error listener): that record explains it.
    const captured = new PageReports();
    captured.add(6, element("https://api.test/s.js", true));
    expect(captured.takeRefused(6, 5_000, () => true)).toEqual([]);
  });

  it("a CORS-mode element whose failure capture dropped (no headers: it looked like a plain load) is listed with that failure", () => {
    const element = (url: string, over: Partial<PageReport> = {}) =>
      ({
        kind: "element",
        tag: "img",
        mode: "cors",
        url,
        method: "GET",
        pageUrl: base.pageUrl,
        at: 1_000,
        outcome: "network-error",
        ...over,
      }) as PageReport;
    const reports = new PageReports();
    reports.add(8, element("https://api.test/blocked.png"));
    reports.add(8, element("https://api.test/refused.png"));
    reports.add(8, element("https://api.test/unknown.png"));
    reports.add(8, element("https://api.test/plain.png", { mode: undefined }));
    const dropped: Record<string, string> = {
      "https://api.test/blocked.png": "net::ERR_BLOCKED_BY_CLIENT",
      "https://api.test/refused.png": "net::ERR_CONNECTION_REFUSED",
      "https://api.test/plain.png": "net::ERR_BLOCKED_BY_CLIENT",
    };
    const listed = reports.takeRefused(
      8,
      5_000,
      () => false,
      (url) => dropped[url],
    );
    expect(listed).toMatchObject([
      { legs: [{ request: { url: "https://api.test/blocked.png", headers: [] } }], mode: "cors", resourceType: "image" },
      { legs: [{ request: { url: "https://api.test/refused.png" } }], outcome: { kind: "failed", error: "net::ERR_CONNECTION_REFUSED" } },
    ]);
    expect(listed.map((e) => diagnoseExchange(e))).toMatchObject([
      { verdict: "blocked", blockedBy: { id: "not-cors-blocked-by-client" } },
      { verdict: "blocked", blockedBy: { id: "not-cors-network-refused" } },
    ]);
    // The same failure without the page's word (a plain <img>, or no observer): never listed.
    expect(
      new PageReports().takeRefused(
        8,
        5_000,
        () => false,
        (url) => dropped[url],
      ),
    ).toEqual([]);
  });

  it("evidence: the CSP reports made while a failed request ran, for withPageEvidence to match against its hops", () => {
    const reports = new PageReports();
    reports.add(5, { kind: "csp", url: "https://other.test", directive: "connect-src", pageUrl: base.pageUrl, at: 1_010 });
    reports.add(5, { kind: "csp", url: "https://late.test", pageUrl: base.pageUrl, at: 9_000 });
    reports.add(5, failed({ endedAt: 1_020 }));
    expect(reports.evidenceFor(5, "GET", base.url, 1_000)?.cspReports).toEqual([{ url: "https://other.test", directive: "connect-src" }]);
  });

  it("memory per tab is bounded", () => {
    const reports = new PageReports();
    for (let i = 0; i < 10_000; i++) reports.add(1, failed({ url: `http://api.test/${i}`, at: 1_000 + i }));
    const refused = reports.takeRefused(1, 1e9, () => false);
    expect(refused.length).toBeLessThanOrEqual(500);
    expect(refused.at(-1)?.legs[0]?.request.url).toBe("http://api.test/9999");
  });
});

describe("withPageEvidence", () => {
  const exchange: Exchange = {
    initiatorOrigin: "https://app.test",
    legs: [{ request: { method: "GET", url: base.url, headers: [] } }],
    outcome: { kind: "unknown" },
  };
  const redirected: Exchange = {
    initiatorOrigin: "https://app.test",
    legs: [
      {
        request: { method: "GET", url: base.url, headers: [] },
        response: { status: 302, headers: [{ name: "Location", value: "https://other.test/x" }] },
      },
    ],
    outcome: { kind: "failed", error: "NS_ERROR_UNEXPECTED" },
  };
  const completed: Exchange = { ...exchange, outcome: { kind: "completed" } };
  const rows: { name: string; exchange: Exchange; evidence: Parameters<typeof withPageEvidence>[1]; kind: string }[] = [
    {
      name: "a CSP report naming the Location of the 3xx the request stopped at: the page's CSP refused the hop",
      exchange: redirected,
      evidence: { pageError: "TypeError", cspReports: [{ url: "https://other.test", directive: "connect-src" }] },
      kind: "csp",
    },
    {
      name: "a CSP report about another URL explains nothing",
      exchange: redirected,
      evidence: { pageError: "TypeError", cspReports: [{ url: "https://elsewhere.test" }] },
      kind: "error",
    },
    {
      name: "integrity, and the response arrived: Subresource Integrity",
      exchange: completed,
      evidence: { pageError: "x", integrity: true },
      kind: "integrity",
    },
    {
      name: "integrity, but the request failed on the network: not an SRI failure",
      exchange: { ...exchange, outcome: { kind: "failed", error: "net::ERR_CONNECTION_REFUSED" } },
      evidence: { pageError: "x", integrity: true },
      kind: "error",
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(withPageEvidence(row.exchange, row.evidence).pageObserved?.kind).toBe(row.kind);
    });
  }

  it("adds what the page knew, never overwrites what capture knew", () => {
    expect(withPageEvidence(exchange, { mode: "cors", credentials: "include", readHeaders: ["etag"] })).toMatchObject({
      mode: "cors",
      credentials: "include",
      readHeaders: ["etag"],
    });
    expect(withPageEvidence({ ...exchange, credentials: "omit" }, { credentials: "include" }).credentials).toBe("omit");
    expect(withPageEvidence(exchange, undefined)).toBe(exchange);
  });
});
