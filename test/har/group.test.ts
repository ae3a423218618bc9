// Pairing preflights with actual requests and rebuilding redirect chains, per exporter style.
import { describe, expect, it } from "vitest";
import { NO_RESPONSE_UNRECORDED } from "../../src/core/checks/not-cors";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";
import type { HarExchangeGroup } from "../../src/core/har/types";
import { entry, har, preflight } from "./helpers";

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000/api";

function groups(doc: unknown): HarExchangeGroup[] {
  const parsed = parseHar(doc);
  return harEntriesToExchanges(parsed.entries, { creator: parsed.creator, pages: parsed.pages });
}

function shape(gs: HarExchangeGroup[]) {
  return gs.map((g) => ({ entries: g.entryIndices, preflights: g.preflightIndices }));
}

interface Row {
  name: string;
  doc: unknown;
  expected: Array<{ entries: number[]; preflights: number[] }>;
}

const pairing: Row[] = [
  {
    name: "Chrome: preflight written just before its actual",
    doc: har([preflight(API, "PUT", PAGE), entry("PUT", API, { type: "fetch", req: { Origin: PAGE }, at: 6 })]),
    expected: [{ entries: [1], preflights: [0] }],
  },
  {
    name: "Chrome: preflight written just after its actual",
    doc: har([entry("PUT", API, { type: "fetch", req: { Origin: PAGE }, time: 20 }), preflight(API, "PUT", PAGE, { at: 1 })]),
    expected: [{ entries: [0], preflights: [1] }],
  },
  {
    name: "Firefox: OPTIONS with Access-Control-Request-Method, no _resourceType",
    doc: har(
      [
        entry("PUT", API, { req: { Origin: PAGE, "X-Foo": "1" }, time: 20 }),
        entry("OPTIONS", API, {
          req: { Origin: PAGE, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "x-foo" },
          status: 204,
          at: 1,
        }),
      ],
      "Firefox",
    ),
    expected: [{ entries: [0], preflights: [1] }],
  },
  {
    name: "Chrome: blocked actual (status 0, _error) after its failed preflight",
    doc: har([
      preflight(API, "PUT", PAGE),
      entry("PUT", API, { type: "fetch", req: { Origin: PAGE }, status: 0, error: "net::ERR_FAILED", at: 6, time: 0 }),
    ]),
    expected: [{ entries: [1], preflights: [0] }],
  },
  {
    name: "preflight whose actual was never exported becomes its own exchange",
    doc: har([preflight(API, "DELETE", PAGE)]),
    expected: [{ entries: [], preflights: [0] }],
  },
  {
    name: "cached preflight: a second PUT soon after has no preflight of its own",
    doc: har([
      preflight(API, "PUT", PAGE),
      entry("PUT", API, { req: { Origin: PAGE }, at: 6 }),
      entry("PUT", API, { req: { Origin: PAGE }, at: 100 }),
    ]),
    expected: [
      { entries: [1], preflights: [0] },
      { entries: [2], preflights: [] },
    ],
  },
  {
    name: "a finished earlier actual does not steal the preflight of the next one",
    doc: har([
      entry("PUT", API, { req: { Origin: PAGE }, at: 0, time: 10 }),
      preflight(API, "PUT", PAGE, { at: 1000 }),
      entry("PUT", API, { req: { Origin: PAGE }, at: 1000, time: 20 }),
    ]),
    expected: [
      { entries: [0], preflights: [] },
      { entries: [2], preflights: [1] },
    ],
  },
  {
    name: "method must match Access-Control-Request-Method",
    doc: har([preflight(API, "DELETE", PAGE), entry("PUT", API, { req: { Origin: PAGE }, at: 6 })]),
    expected: [
      { entries: [], preflights: [0] },
      { entries: [1], preflights: [] },
    ],
  },
  {
    name: "interleaved requests to two URLs pair by URL",
    doc: har([
      entry("PUT", API + "/x", { req: { Origin: PAGE }, time: 50 }),
      entry("PATCH", API + "/y", { req: { Origin: PAGE }, time: 50 }),
      preflight(API + "/y", "PATCH", PAGE, { at: 2 }),
      preflight(API + "/x", "PUT", PAGE, { at: 3 }),
    ]),
    expected: [
      { entries: [0], preflights: [3] },
      { entries: [1], preflights: [2] },
    ],
  },
  {
    name: "same-origin, data: and navigation entries each get a group",
    doc: har([
      entry("GET", PAGE + "/", { type: "document" }),
      entry("GET", "data:image/png;base64,AAAA", { type: "image" }),
      entry("GET", PAGE + "/same", { type: "fetch" }),
    ]),
    expected: [
      { entries: [0], preflights: [] },
      { entries: [1], preflights: [] },
      { entries: [2], preflights: [] },
    ],
  },
  {
    name: "redirect chain: 302 with redirectURL then the target",
    doc: har([
      entry("GET", API + "/old", { req: { Origin: PAGE }, status: 302, res: { Location: "/api/new" }, redirectURL: API + "/new" }),
      entry("GET", API + "/new", { req: { Origin: PAGE }, at: 6 }),
    ]),
    expected: [{ entries: [0, 1], preflights: [] }],
  },
  {
    name: "redirect chain: relative Location only, 303 turns POST into GET",
    doc: har([
      entry("POST", API + "/form", { req: { Origin: PAGE }, status: 303, res: { Location: "done?x=1" } }),
      entry("GET", API + "/done?x=1", { req: { Origin: PAGE }, at: 6 }),
    ]),
    expected: [{ entries: [0, 1], preflights: [] }],
  },
  {
    name: "cross-origin 307 hop gets its own preflight (Chrome sends Origin: null there)",
    doc: har([
      preflight(API, "PUT", PAGE),
      entry("PUT", API, { req: { Origin: PAGE }, status: 307, res: { Location: "http://127.0.0.2:5000/v2" }, at: 6 }),
      preflight("http://127.0.0.2:5000/v2", "PUT", "null", { at: 12 }),
      entry("PUT", "http://127.0.0.2:5000/v2", { req: { Origin: "null" }, at: 18 }),
    ]),
    expected: [{ entries: [1, 3], preflights: [0, 2] }],
  },
  {
    name: "Firefox: the hop's preflight failed and the blocked hop itself was never exported",
    doc: har(
      [
        entry("PUT", API, {
          req: { Origin: PAGE },
          status: 307,
          res: { Location: "http://127.0.0.1:4000/hop" },
          redirectURL: "http://127.0.0.1:4000/hop",
        }),
        entry("OPTIONS", API, { req: { Origin: PAGE, "Access-Control-Request-Method": "PUT" }, status: 204 }),
        entry("OPTIONS", "http://127.0.0.1:4000/hop", {
          req: { Origin: PAGE, "Access-Control-Request-Method": "PUT" },
          status: 404,
          at: 6,
        }),
      ],
      "Firefox",
    ),
    expected: [{ entries: [0], preflights: [1, 2] }],
  },
];

describe("harEntriesToExchanges pairing", () => {
  it.each(pairing)("$name", ({ doc, expected }) => {
    const gs = groups(doc);
    expect(shape(gs)).toEqual(expected);
    // Every entry lands in exactly one group.
    const all = gs.flatMap((g) => [...g.entryIndices, ...g.preflightIndices]).sort((a, b) => a - b);
    const count = (doc as { log: { entries: unknown[] } }).log.entries.length;
    expect(all).toEqual([...Array(count).keys()]);
  });

  it("attaches each hop's preflight to that leg", () => {
    const [g] = groups(pairing.find((r) => r.name.startsWith("cross-origin 307"))!.doc);
    expect(g!.exchange.legs.map((l) => [l.request.url, l.preflight?.ref, l.ref])).toEqual([
      [API, 0, 1],
      ["http://127.0.0.2:5000/v2", 2, 3],
    ]);
    expect(g!.exchange.initiatorOrigin).toBe(PAGE);
  });

  it("a hop known only by its preflight becomes a leg without a response", () => {
    const [g] = groups(pairing.find((r) => r.name.startsWith("Firefox: the hop's preflight"))!.doc);
    expect(g!.exchange.legs.map((l) => [l.request.method, l.request.url, l.response?.status, l.preflight?.response?.status])).toEqual([
      ["PUT", API, 307, 204],
      ["PUT", "http://127.0.0.1:4000/hop", undefined, 404],
    ]);
  });

  it("a lone preflight stands for an actual request that has no response", () => {
    const [g] = groups(har([preflight(API, "DELETE", PAGE)]));
    const leg = g!.exchange.legs[0]!;
    expect(leg.request).toEqual({ method: "DELETE", url: API, headers: [{ name: "Origin", value: PAGE }] });
    expect(leg.response).toBeUndefined();
    expect(leg.preflight?.response?.status).toBe(204);
    expect(g!.exchange.outcome).toEqual({ kind: "unknown" });
  });

  it("a blocked actual with status 0 has no response and the browser's error", () => {
    const [g] = groups(pairing.find((r) => r.name.startsWith("Chrome: blocked actual"))!.doc);
    expect(g!.exchange.legs[0]!.response).toBeUndefined();
    expect(g!.exchange.outcome).toEqual({ kind: "failed", error: "net::ERR_FAILED" });
    expect(g!.exchange.observedBy).toBe("chrome");
  });

  it("document entries are navigations", () => {
    const [doc] = groups(har([entry("GET", PAGE + "/", { type: "document" })]));
    expect(doc!.exchange.mode).toBe("navigate");
    expect(doc!.exchange.resourceType).toBe("document");
  });
});

describe("initiatorOrigin", () => {
  const rows: Array<{ name: string; doc: unknown; expected: string | null }> = [
    { name: "Origin header", doc: har([entry("GET", API, { req: { Origin: PAGE, Referer: "http://other.test/x" } })]), expected: PAGE },
    {
      name: "Origin null → Referer's origin",
      doc: har([entry("GET", API, { req: { Origin: "null", Referer: "http://a.test:8080/p?q" } })]),
      expected: "http://a.test:8080",
    },
    {
      name: "Chrome _initiator.url",
      doc: har([entry("GET", API, { initiator: { type: "script", url: "https://app.test/main.js" } })]),
      expected: "https://app.test",
    },
    {
      name: "Chrome _initiator stack",
      doc: har([entry("GET", API, { initiator: { type: "script", stack: { callFrames: [{ url: "https://stack.test/a.js" }] } } })]),
      expected: "https://stack.test",
    },
    {
      name: "page of pageref",
      doc: har([entry("GET", API, { pageref: "page_1" })], "Firefox", [
        { id: "page_1", title: "https://page.test/index.html", startedDateTime: "2026-01-01T00:00:00Z" },
      ]),
      expected: "https://page.test",
    },
    { name: "nothing known", doc: har([entry("GET", API)]), expected: null },
  ];
  it.each(rows)("$name", ({ doc, expected }) => {
    expect(groups(doc)[0]!.exchange.initiatorOrigin).toBe(expected);
  });
});

describe("outcome and observedBy", () => {
  const rows = [
    { name: "Chrome, response, no _error", creator: "WebInspector", spec: {}, outcome: { kind: "completed" }, by: "chrome" },
    {
      name: "Chrome, status 200 with _error (no ACAO)",
      creator: "WebInspector",
      spec: { error: "net::ERR_FAILED" },
      outcome: { kind: "failed", error: "net::ERR_FAILED" },
      by: "chrome",
    },
    {
      name: "Firefox shows blocked simple requests as completed",
      creator: "Firefox",
      spec: {},
      outcome: { kind: "completed" },
      by: "firefox",
    },
    {
      // Firefox's HAR has no error field: it does not say why (measured: test/fixtures/devtools/firefox-failures.har).
      name: "status 0 without _error",
      creator: "Firefox",
      spec: { status: 0 },
      outcome: { kind: "failed", error: NO_RESPONSE_UNRECORDED },
      by: "firefox",
    },
    { name: "a proxy only saw the server", creator: "Charles Proxy", spec: {}, outcome: { kind: "unknown" }, by: "unknown" },
  ];
  it.each(rows)("$name", ({ creator, spec, outcome, by }) => {
    const [g] = groups(har([entry("GET", API, { req: { Origin: PAGE }, ...spec })], creator));
    expect(g!.exchange.outcome).toEqual(outcome);
    expect(g!.exchange.observedBy).toBe(by);
  });
});

describe("bounded window", () => {
  it("gives the same groups whatever the window once partners are adjacent", () => {
    const entries = [];
    for (let i = 0; i < 300; i++) {
      entries.push(preflight(`${API}/${i}`, "PUT", PAGE, { at: i * 10 }));
      entries.push(entry("PUT", `${API}/${i}`, { req: { Origin: PAGE }, at: i * 10 + 1 }));
    }
    const parsed = parseHar(har(entries));
    const small = harEntriesToExchanges(parsed.entries, { creator: "WebInspector", window: 4 });
    const large = harEntriesToExchanges(parsed.entries, { creator: "WebInspector", window: 10_000 });
    expect(small.length).toBe(300);
    expect(shape(small)).toEqual(shape(large));
    expect(small.map((g) => g.entryIndices[0])).toEqual([...Array(300).keys()].map((i) => i * 2 + 1));
  });
});
