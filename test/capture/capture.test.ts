// Capture driven by the event sequences the browsers really produced (browser-recipes.md §2 and §5).
import { describe, expect, it } from "vitest";
import { Capture } from "../../src/capture/capture";
import { LiveLog } from "../../src/capture/live-log";
import { toExchange } from "../../src/capture/record";
import type { WebRequestEvent } from "../../src/capture/events";
import type { Exchange } from "../../src/core/model";
import { API, ORIGIN, PAGE, req } from "./events";

interface ExpectedLeg {
  url: string;
  method: string;
  status?: number;
  preflight?: { status?: number; error?: string; requestHeaders?: string[] };
}
interface Row {
  name: string;
  browser: "chrome" | "firefox";
  events: () => WebRequestEvent[];
  expect: { legs: ExpectedLeg[]; outcome: Exchange["outcome"]; requestHeaders?: string[] }[];
}

const acrm = (m: string, h?: string): [string, string][] => [
  ORIGIN,
  ["Access-Control-Request-Method", m],
  ...(h ? ([["Access-Control-Request-Headers", h]] as [string, string][]) : []),
];

type Req = ReturnType<typeof req>;
type H = [string, string][];
/** A request that goes through: sent with `sent`, answered `status` with `received`, its body read to the end. */
const answered = (r: Req, sent: H, status: number, received: H) => [
  r.beforeSend(sent),
  r.send(sent),
  r.headers(status, received),
  r.started(status),
  r.completed(status),
];
const ACAO_PAGE: H = [["access-control-allow-origin", PAGE]];

const rows: Row[] = [
  {
    name: "chrome a: allowed GET",
    browser: "chrome",
    events: () => {
      const r = req("chrome", "1", "GET", `${API}/a`);
      return [r.before(), ...answered(r, [ORIGIN], 200, ACAO_PAGE)];
    },
    expect: [{ legs: [{ url: `${API}/a`, method: "GET", status: 200 }], outcome: { kind: "completed" }, requestHeaders: ["Origin"] }],
  },
  {
    name: "chrome b: missing ACAO (HeadersReceived then ERR_FAILED)",
    browser: "chrome",
    events: () => {
      const r = req("chrome", "2", "GET", `${API}/b`);
      return [
        r.before(),
        r.beforeSend([ORIGIN]),
        r.send([ORIGIN]),
        r.headers(200, [["content-type", "text/plain"]]),
        r.error("net::ERR_FAILED"),
      ];
    },
    expect: [{ legs: [{ url: `${API}/b`, method: "GET", status: 200 }], outcome: { kind: "failed", error: "net::ERR_FAILED" } }],
  },
  {
    name: "chrome c: header not allowed; the PUT never gets past BeforeRequest, the OPTIONS comes in between",
    browser: "chrome",
    events: () => {
      const put = req("chrome", "7", "PUT", `${API}/c`);
      const opt = req("chrome", "8", "OPTIONS", `${API}/c`);
      return [
        put.before(),
        opt.before(),
        ...answered(opt, acrm("PUT", "content-type,x-foo"), 204, [
          ["access-control-allow-origin", PAGE],
          ["access-control-allow-methods", "PUT"],
          ["access-control-allow-headers", "Content-Type"],
        ]),
        put.error("net::ERR_FAILED"),
      ];
    },
    expect: [
      {
        legs: [
          {
            url: `${API}/c`,
            method: "PUT",
            preflight: { status: 204, requestHeaders: ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"] },
          },
        ],
        outcome: { kind: "failed", error: "net::ERR_FAILED" },
        requestHeaders: [],
      },
    ],
  },
  {
    name: "chrome e: passing preflight, then the PUT's own lifecycle",
    browser: "chrome",
    events: () => {
      const put = req("chrome", "10", "PUT", `${API}/e`);
      const opt = req("chrome", "11", "OPTIONS", `${API}/e`);
      const h: [string, string][] = [ORIGIN, ["Content-Type", "application/json"], ["X-Foo", "1"]];
      return [
        put.before(),
        opt.before(),
        ...answered(opt, acrm("PUT", "content-type,x-foo"), 204, [
          ["access-control-allow-origin", PAGE],
          ["access-control-allow-headers", "Content-Type, X-Foo"],
        ]),
        ...answered(put, h, 200, ACAO_PAGE),
      ];
    },
    expect: [
      {
        legs: [{ url: `${API}/e`, method: "PUT", status: 200, preflight: { status: 204 } }],
        outcome: { kind: "completed" },
        requestHeaders: ["Origin", "Content-Type", "X-Foo"],
      },
    ],
  },
  {
    name: "chrome f: 302 redirect keeps the requestId; each URL is a leg",
    browser: "chrome",
    events: () => {
      const r = req("chrome", "12", "GET", `${API}/f`);
      const r2 = r.at(`${API}/a`);
      return [
        r.before(),
        r.beforeSend([ORIGIN]),
        r.send([ORIGIN]),
        r.headers(302, [
          ["location", "/a"],
          ["access-control-allow-origin", PAGE],
        ]),
        r.redirect(302, `${API}/a`, [
          ["location", "/a"],
          ["access-control-allow-origin", PAGE],
        ]),
        r2.before(),
        ...answered(r2, [ORIGIN], 200, ACAO_PAGE),
      ];
    },
    expect: [
      {
        legs: [
          { url: `${API}/f`, method: "GET", status: 302 },
          { url: `${API}/a`, method: "GET", status: 200 },
        ],
        outcome: { kind: "completed" },
      },
    ],
  },
  {
    name: "chrome: a redirect to another origin gets a new preflight for that leg",
    browser: "chrome",
    events: () => {
      const put = req("chrome", "20", "PUT", `${API}/r`);
      const put2 = put.at("http://127.0.0.2:9001/r");
      const o1 = req("chrome", "21", "OPTIONS", `${API}/r`);
      const o2 = req("chrome", "23", "OPTIONS", "http://127.0.0.2:9001/r");
      const ok: [string, string][] = [
        ["access-control-allow-origin", PAGE],
        ["access-control-allow-methods", "PUT"],
      ];
      return [
        put.before(),
        o1.before(),
        o1.beforeSend(acrm("PUT")),
        o1.headers(204, ok),
        o1.completed(204),
        put.beforeSend([ORIGIN]),
        put.headers(307, [["location", "http://127.0.0.2:9001/r"], ...ok]),
        put.redirect(307, "http://127.0.0.2:9001/r", ok),
        put2.before(),
        o2.before(),
        o2.beforeSend([
          ["Origin", "null"],
          ["Access-Control-Request-Method", "PUT"],
        ]),
        o2.headers(204, [["access-control-allow-origin", "*"]]),
        o2.completed(204),
        put2.error("net::ERR_FAILED"),
      ];
    },
    expect: [
      {
        legs: [
          { url: `${API}/r`, method: "PUT", status: 307, preflight: { status: 204 } },
          { url: "http://127.0.0.2:9001/r", method: "PUT", preflight: { status: 204 } },
        ],
        outcome: { kind: "failed", error: "net::ERR_FAILED" },
      },
    ],
  },
  {
    name: "chrome: cached preflight, the second identical PUT has none",
    browser: "chrome",
    events: () => {
      const p1 = req("chrome", "30", "PUT", `${API}/e`);
      const o1 = req("chrome", "31", "OPTIONS", `${API}/e`);
      const p2 = req("chrome", "32", "PUT", `${API}/e`);
      const ok: [string, string][] = [["access-control-allow-origin", PAGE]];
      return [
        p1.before(),
        o1.before(),
        o1.beforeSend(acrm("PUT")),
        o1.headers(204, ok),
        o1.completed(204),
        p1.beforeSend([ORIGIN]),
        p1.headers(200, ok),
        p1.completed(200),
        p2.before(),
        p2.beforeSend([ORIGIN]),
        p2.headers(200, ok),
        p2.completed(200),
      ];
    },
    expect: [
      { legs: [{ url: `${API}/e`, method: "PUT", status: 200, preflight: { status: 204 } }], outcome: { kind: "completed" } },
      { legs: [{ url: `${API}/e`, method: "PUT", status: 200 }], outcome: { kind: "completed" } },
    ],
  },
  {
    name: "chrome: two identical PUTs in flight each get their own preflight, by order",
    browser: "chrome",
    events: () => {
      const p1 = req("chrome", "40", "PUT", `${API}/x`);
      const o1 = req("chrome", "41", "OPTIONS", `${API}/x`);
      const p2 = req("chrome", "42", "PUT", `${API}/x`);
      const o2 = req("chrome", "43", "OPTIONS", `${API}/x`);
      return [
        p1.before(),
        o1.before(),
        p2.before(),
        o2.before(),
        o2.beforeSend(acrm("PUT")),
        o1.beforeSend(acrm("PUT")),
        o1.headers(500, []),
        o1.completed(500),
        o2.headers(204, [["access-control-allow-origin", PAGE]]),
        o2.completed(204),
        p1.error("net::ERR_FAILED"),
        p2.error("net::ERR_FAILED"),
      ];
    },
    expect: [
      { legs: [{ url: `${API}/x`, method: "PUT", preflight: { status: 500 } }], outcome: { kind: "failed", error: "net::ERR_FAILED" } },
      { legs: [{ url: `${API}/x`, method: "PUT", preflight: { status: 204 } }], outcome: { kind: "failed", error: "net::ERR_FAILED" } },
    ],
  },
  {
    name: "firefox b: blocked simple request looks completed",
    browser: "firefox",
    events: () => {
      const r = req("firefox", "43", "GET", `${API}/b`);
      return [r.before(), ...answered(r, [ORIGIN], 200, [])];
    },
    expect: [{ legs: [{ url: `${API}/b`, method: "GET", status: 200 }], outcome: { kind: "completed" } }],
  },
  {
    name: "firefox c: OPTIONS after the PUT's SendHeaders; both fail with NS_ERROR_DOM_BAD_URI",
    browser: "firefox",
    events: () => {
      const put = req("firefox", "50", "PUT", `${API}/c`);
      const opt = req("firefox", "51", "OPTIONS", `${API}/c`);
      const h: [string, string][] = [ORIGIN, ["Content-Type", "application/json"], ["X-Foo", "1"]];
      return [
        put.before(),
        put.beforeSend(h),
        put.send(h),
        opt.before(),
        opt.beforeSend(acrm("PUT", "content-type,x-foo")),
        opt.send(acrm("PUT", "content-type,x-foo")),
        opt.headers(204, [
          ["access-control-allow-origin", PAGE],
          ["access-control-allow-headers", "Content-Type"],
        ]),
        opt.started(204),
        opt.error("NS_ERROR_DOM_BAD_URI"),
        put.error("NS_ERROR_DOM_BAD_URI"),
      ];
    },
    expect: [
      {
        legs: [{ url: `${API}/c`, method: "PUT", preflight: { status: 204, error: "NS_ERROR_DOM_BAD_URI" } }],
        outcome: { kind: "failed", error: "NS_ERROR_DOM_BAD_URI" },
        requestHeaders: ["Origin", "Content-Type", "X-Foo"],
      },
    ],
  },
  {
    name: "firefox e: passing preflight between the PUT's SendHeaders and its HeadersReceived",
    browser: "firefox",
    events: () => {
      const put = req("firefox", "60", "PUT", `${API}/e`);
      const opt = req("firefox", "61", "OPTIONS", `${API}/e`);
      return [
        put.before(),
        put.beforeSend([ORIGIN]),
        put.send([ORIGIN]),
        opt.before(),
        ...answered(opt, acrm("PUT"), 204, ACAO_PAGE),
        put.headers(200, ACAO_PAGE),
        put.started(200),
        put.completed(200),
      ];
    },
    expect: [{ legs: [{ url: `${API}/e`, method: "PUT", status: 200, preflight: { status: 204 } }], outcome: { kind: "completed" } }],
  },
];

describe("capture of recorded browser event sequences", () => {
  it.each(rows)("$name", (row) => {
    const capture = new Capture();
    for (const e of row.events()) capture.handle(e);
    const records = capture.exchangesOf(7);
    const exchanges = records.map((r) => toExchange(r, (id) => capture.record(id), row.browser));
    expect(exchanges).toHaveLength(row.expect.length);
    row.expect.forEach((want, i) => {
      const got = exchanges[i]!;
      expect(got.initiatorOrigin).toBe(PAGE);
      expect(got.observedBy).toBe(row.browser);
      expect(got.outcome).toEqual(want.outcome);
      expect(
        got.legs.map((l) => ({
          url: l.request.url,
          method: l.request.method,
          status: l.response?.status,
          preflight: l.preflight ? { status: l.preflight.response?.status, error: l.preflight.error } : undefined,
        })),
      ).toEqual(
        want.legs.map((l) => ({
          url: l.url,
          method: l.method,
          status: l.status,
          preflight: l.preflight ? { status: l.preflight.status, error: l.preflight.error } : undefined,
        })),
      );
      want.legs.forEach((l, j) => {
        if (l.preflight?.requestHeaders)
          expect(got.legs[j]!.preflight!.request.headers.map((h) => h.name)).toEqual(l.preflight.requestHeaders);
        if (l.preflight) expect(got.legs[j]!.preflight!.request.method).toBe("OPTIONS");
      });
      if (want.requestHeaders) expect(got.legs[0]!.request.headers.map((h) => h.name)).toEqual(want.requestHeaders);
    });
  });
});

describe("what capture ignores", () => {
  const cases: { name: string; event: WebRequestEvent }[] = [
    {
      name: "same-origin fetch",
      event: { event: "BeforeRequest", details: { ...req("chrome", "1", "GET", `${PAGE}/x`).before().details } },
    },
    {
      name: "navigation",
      event: { event: "BeforeRequest", details: { ...req("chrome", "1", "GET", `${API}/`).before().details, type: "main_frame" } },
    },
    {
      name: "non-HTTP",
      event: { event: "BeforeRequest", details: { ...req("chrome", "1", "GET", "data:text/plain,x").before().details } },
    },
    {
      name: "no tab (tabId -1)",
      event: { event: "BeforeRequest", details: { ...req("chrome", "1", "GET", `${API}/x`, -1).before().details } },
    },
    {
      name: "the extension's own page (Chromium)",
      event: {
        event: "BeforeRequest",
        details: { ...req("chrome", "1", "GET", `${API}/x`).before().details, initiator: "chrome-extension://abcdef" },
      },
    },
    {
      name: "the extension's own page (Firefox)",
      event: {
        event: "BeforeRequest",
        details: {
          ...req("firefox", "1", "GET", `${API}/x`).before().details,
          originUrl: "moz-extension://0b7d/panel.html",
          documentUrl: "moz-extension://0b7d/panel.html",
        },
      },
    },
  ];
  it.each(cases)("$name", ({ event }) => {
    const capture = new Capture();
    capture.handle(event);
    capture.handle({ event: "Completed", details: { ...event.details, statusCode: 200 } });
    expect(capture.exchangesOf(event.details.tabId)).toHaveLength(0);
    expect(capture.record("1")).toBeUndefined();
  });

  it("keeps a font only when it carries Origin (a CORS-mode request), drops a no-cors image", () => {
    const capture = new Capture();
    const font = req("chrome", "70", "GET", `${API}/f.woff2`);
    const img = req("chrome", "71", "GET", `${API}/i.png`);
    for (const e of [font.before(), font.beforeSend([ORIGIN]), font.completed(200)])
      capture.handle({ ...e, details: { ...e.details, type: "font" } });
    for (const e of [img.before(), img.beforeSend([]), img.completed(200)])
      capture.handle({ ...e, details: { ...e.details, type: "image" } });
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["70"]);
    expect(capture.record("71")).toBeUndefined();
  });

  it("keeps a no-cors image stopped by CORP, ORB or Local Network Access (a policy of every mode), drops one refused or blocked by an extension", () => {
    const capture = new Capture();
    const errors = [
      ["72", "net::ERR_BLOCKED_BY_RESPONSE"],
      ["73", "net::ERR_BLOCKED_BY_ORB"],
      ["74", "NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED"],
      ["75", "net::ERR_CONNECTION_REFUSED"],
      ["76", "net::ERR_BLOCKED_BY_CLIENT"],
    ];
    for (const [id, error] of errors) {
      const img = req("chrome", id!, "GET", `${API}/i${id}.png`);
      for (const e of [img.before(), img.beforeSend([]), img.error(error!)])
        capture.handle({ ...e, details: { ...e.details, type: "image" } });
    }
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["72", "73", "74"]);
  });

  it("picks up a same-origin fetch at its redirect to another origin", () => {
    const capture = new Capture();
    const r = req("chrome", "80", "GET", `${PAGE}/go`);
    const r2 = r.at(`${API}/a`);
    for (const e of [
      r.before(),
      r.beforeSend([]),
      r.headers(302, [["location", `${API}/a`]]),
      r.redirect(302, `${API}/a`, [["location", `${API}/a`]]),
      r2.before(),
      r2.beforeSend([["Origin", "null"]]),
      r2.headers(200, [["access-control-allow-origin", "*"]]),
      r2.completed(200),
    ])
      capture.handle(e);
    const [record] = capture.exchangesOf(7);
    expect(record!.hops.map((h) => [h.url, h.statusCode])).toEqual([
      [`${PAGE}/go`, 302],
      [`${API}/a`, 200],
    ]);
  });
});

describe("the per-tab log", () => {
  const fire = (capture: Capture, n: number, from = 0, tabId = 7) => {
    for (let i = from; i < from + n; i++) {
      const r = req("chrome", String(i), "GET", `${API}/n${i}`, tabId);
      capture.handle(r.before());
      capture.handle(r.completed(200));
    }
  };

  it("stays within the bound, evicts the oldest and counts exactly", () => {
    const capture = new Capture({ maxExchangesPerTab: 100 });
    fire(capture, 350);
    const ids = capture.exchangesOf(7).map((r) => r.requestId);
    expect(ids).toHaveLength(100);
    expect(ids[0]).toBe("250");
    expect(capture.tabState(7).evicted).toBe(250);
    const { tabs } = capture.drain();
    expect(tabs.get(7)!.removed).toHaveLength(250);
    expect(tabs.get(7)!.upserted.size).toBe(100);
  });

  it("navigation clears the log unless Preserve log is on; late events of cleared requests are ignored", () => {
    const capture = new Capture();
    const inflight = req("chrome", "900", "GET", `${API}/slow`);
    fire(capture, 3);
    capture.handle(inflight.before());
    const nav = {
      event: "ResponseStarted" as const,
      details: { ...req("chrome", "901", "GET", `${API}/`).started(200).details, type: "main_frame" },
    };
    capture.handle(nav);
    expect(capture.exchangesOf(7)).toHaveLength(0);
    capture.handle(inflight.completed(200));
    expect(capture.exchangesOf(7)).toHaveLength(0);
    capture.setPreserveLog(7, true);
    fire(capture, 2, 10);
    capture.handle(nav);
    expect(capture.exchangesOf(7)).toHaveLength(2);
  });

  it("a navigation handed over after the new page's first requests clears only what started before it", () => {
    // Measured in Chromium under load: a worker woken by a reload got the new page's subresource events first and
    // the reload's main-frame events 10 ms later (test/capture/chromium-arming.test.ts, the restart case).
    const capture = new Capture();
    const old = req("chrome", "899", "GET", `${API}/old`);
    capture.handle(old.before());
    const nav = {
      event: "ResponseStarted" as const,
      details: { ...req("chrome", "901", "GET", `${API}/`).started(200).details, type: "main_frame" },
    };
    const next = req("chrome", "902", "GET", `${API}/next`);
    const nextEvents = [
      next.before(),
      next.send([ORIGIN]),
      next.headers(200, [["content-type", "text/plain"]]),
      next.error("net::ERR_FAILED"),
    ];
    const nextFirst = req("chrome", "903", "GET", `${API}/first-event-late`);
    const [firstBefore, ...firstRest] = [nextFirst.before(), nextFirst.error("net::ERR_FAILED")];
    for (const e of [...nextEvents, ...firstRest]) capture.handle(e);
    capture.drain();
    capture.handle(nav);
    capture.handle(firstBefore!);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["902", "903"]);
    const { tabs } = capture.drain();
    expect(tabs.get(7)!.cleared).toBe(true);
    expect([...tabs.get(7)!.upserted].sort()).toEqual(["902", "903"]);
    // The old page's request is gone, and its late events do not bring it back.
    capture.handle(old.completed(200));
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["902", "903"]);
  });

  describe("a request whose end arrives before its start (a woken worker's order, measured in Chromium)", () => {
    const script = (e: WebRequestEvent): WebRequestEvent => ({ ...e, details: { ...e.details, type: "script" } });
    const endFirst = (id: string, sent: [string, string][]) => {
      const r = req("chrome", id, "GET", `${API}/module-${id}.js`);
      return {
        end: [r.headers(200, [["content-type", "text/javascript"]]), r.error("net::ERR_FAILED")].map(script),
        start: [r.before(), r.send(sent)].map(script),
      };
    };

    it("a module script (Origin sent) is listed, failed, with its headers and response", () => {
      const capture = new Capture();
      const { end, start } = endFirst("501", [ORIGIN]);
      for (const e of [...end, ...start]) capture.handle(e);
      const [record, ...rest] = capture.exchangesOf(7);
      expect(rest).toEqual([]);
      expect(record).toMatchObject({ requestId: "501", role: "actual", state: "failed", error: "net::ERR_FAILED" });
      expect(record!.hops[0]).toMatchObject({ statusCode: 200, requestHeaders: [{ name: "Origin", value: expect.any(String) }] });
    });

    it("a plain script (no Origin) is not listed", () => {
      const capture = new Capture();
      const { end, start } = endFirst("502", []);
      for (const e of [...end, ...start]) capture.handle(e);
      expect(capture.exchangesOf(7)).toEqual([]);
    });

    it("the start of a request the page's navigation cleared is ignored", () => {
      const capture = new Capture();
      const { end, start } = endFirst("503", [ORIGIN]);
      for (const e of end) capture.handle(e);
      capture.handle({
        event: "ResponseStarted",
        details: { ...req("chrome", "504", "GET", `${API}/`).started(200).details, type: "main_frame" },
      });
      for (const e of start) capture.handle(e);
      expect(capture.exchangesOf(7)).toEqual([]);
    });
  });

  it("keeps storage.session within its budget by no longer persisting the oldest exchanges", () => {
    const storage: Record<string, unknown> = {};
    const capture = new Capture({ storageBudget: 20_000 });
    for (let round = 0; round < 10; round++) {
      fire(capture, 20, round * 20);
      const { store } = capture.drain();
      Object.assign(storage, store.set);
      for (const k of store.remove) delete storage[k];
    }
    const stored = Object.entries(storage).filter(([k]) => k.startsWith("rec:"));
    const chars = stored.reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    expect(chars).toBeLessThanOrEqual(20_000);
    expect(stored.length).toBeGreaterThan(20);
    expect(capture.exchangesOf(7)).toHaveLength(200); // memory keeps them all
    const restored = new Capture();
    restored.restore(storage);
    const ids = restored.exchangesOf(7).map((r) => Number(r.requestId));
    expect(ids.at(-1)).toBe(199); // the newest survive a restart, the oldest are the ones not persisted
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => 200 - ids.length + i));
  });

  // The background tells the views every 50 ms and storage.session at most every 250 ms: a drain without `persist`
  // gives the views their changes and keeps the storage side for the next drain that persists, which writes each
  // record once, in its latest state, and what was removed meanwhile as removed.
  it("a drain that does not persist keeps storage's changes for the next one", () => {
    const capture = new Capture({ maxExchangesPerTab: 3 });
    const r = req("chrome", "1", "GET", `${API}/a`);
    capture.handle(r.before());
    const views = capture.drain(false);
    expect([...views.tabs.get(7)!.upserted]).toEqual(["1"]);
    expect(views.store).toEqual({ set: {}, remove: [] });
    expect(capture.hasUnpersisted()).toBe(true);
    capture.handle(r.completed(200));
    fire(capture, 3, 10); // evicts "1" (the bound is 3)
    expect(capture.drain(false).store).toEqual({ set: {}, remove: [] });
    const { store } = capture.drain();
    expect(capture.hasUnpersisted()).toBe(false);
    expect(store.remove).toContain("rec:1");
    expect(
      Object.keys(store.set)
        .filter((k) => k.startsWith("rec:"))
        .sort(),
    ).toEqual(["rec:10", "rec:11", "rec:12"]);
    expect(JSON.parse(store.set["rec:12"] as string).requestId).toBe("12");
    const restored = new Capture();
    restored.restore({ ...store.set });
    expect(restored.exchangesOf(7).map((x) => x.requestId)).toEqual(["10", "11", "12"]);
    expect(capture.drain().store.set).toEqual({});
  });

  it("a preflight delivered before its request's BeforeRequest (worker restarting) is folded back in", () => {
    const capture = new Capture();
    const put = req("chrome", "54", "PUT", `${API}/e`);
    const opt = req("chrome", "55", "OPTIONS", `${API}/e`);
    const putBefore = put.before();
    for (const e of [opt.before(), opt.send(acrm("PUT")), opt.headers(204, [["access-control-allow-origin", PAGE]]), opt.completed(204)])
      capture.handle(e);
    capture.handle({ ...putBefore, details: { ...putBefore.details, timeStamp: putBefore.details.timeStamp } });
    for (const e of [put.send([ORIGIN]), put.headers(200, [["access-control-allow-origin", PAGE]]), put.completed(200)]) capture.handle(e);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["54"]);
    expect(capture.record("54")!.preflights).toEqual({ 0: "55" });
  });

  it("within one millisecond, the requestId order pairs each preflight with its own request", () => {
    const capture = new Capture();
    const at = (e: WebRequestEvent): WebRequestEvent => ({ ...e, details: { ...e.details, timeStamp: 1_000 } });
    const p1 = req("chrome", "40", "PUT", `${API}/x`);
    const o1 = req("chrome", "41", "OPTIONS", `${API}/x`);
    const p2 = req("chrome", "42", "PUT", `${API}/x`);
    const o2 = req("chrome", "43", "OPTIONS", `${API}/x`);
    for (const e of [p1.before(), o1.before(), p2.before(), o2.before(), o2.beforeSend(acrm("PUT")), o1.beforeSend(acrm("PUT"))])
      capture.handle(at(e));
    expect(capture.record("40")!.preflights).toEqual({ 0: "41" });
    expect(capture.record("42")!.preflights).toEqual({ 0: "43" });
  });

  it("a request whose BeforeRequest was lost still gets its preflight (shown alone until then), listed once", () => {
    const capture = new Capture();
    const put = req("chrome", "60", "PUT", `${API}/e`);
    const opt = req("chrome", "61", "OPTIONS", `${API}/e`);
    for (const e of [
      opt.before(),
      opt.beforeSend(acrm("PUT")),
      opt.headers(204, [["access-control-allow-origin", PAGE]]),
      opt.completed(204),
    ])
      capture.handle(e);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["61"]);
    for (const e of [put.beforeSend([ORIGIN]), put.headers(200, [["access-control-allow-origin", PAGE]]), put.completed(200)])
      capture.handle(e);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["60"]);
    expect(capture.record("60")!.preflights).toEqual({ 0: "61" });
    const { tabs } = capture.drain();
    expect(tabs.get(7)!.removed).toEqual(["r61"]);
    expect([...tabs.get(7)!.upserted]).toEqual(["60"]);
  });

  it("a request whose BeforeRequest was lost and whose later events overtook its preflight's still gets it", () => {
    // Seen in Chromium under load, right after the worker restarted: the PUT's BeforeRequest never arrived, and
    // its SendHeaders and response were handled before the preflight's request headers. Its record starts after
    // the preflight on the clock; the requestId order and the time of its response still pair them.
    const capture = new Capture();
    const put = req("chrome", "54", "PUT", `${API}/e`);
    const opt = req("chrome", "55", "OPTIONS", `${API}/e`);
    const optEvents = [opt.before(), opt.send(acrm("PUT")), opt.headers(204, [["access-control-allow-origin", PAGE]]), opt.completed(204)];
    const putEvents = [put.send([ORIGIN]), put.headers(200, [["access-control-allow-origin", PAGE]]), put.completed(200)];
    for (const e of [optEvents[0]!, ...putEvents, ...optEvents.slice(1)]) capture.handle(e);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["54"]);
    expect(capture.record("54")!.preflights).toEqual({ 0: "55" });
  });

  it.each([
    ["before the request's first event", (opt: WebRequestEvent[], put: WebRequestEvent[]) => [...opt.slice(1, 3), opt[0]!, ...put]],
    ["after the request ended", (opt: WebRequestEvent[], put: WebRequestEvent[]) => [...opt.slice(1, 3), ...put, opt[0]!]],
  ])("a preflight whose request headers came after its end (worker restarting), %s, still folds into its request", (_, order) => {
    // Seen in Chromium under load, right after the worker restarted (chromium-capture.test.ts, "stopped
    // mid-scenario"): neither BeforeRequest arrived, and the preflight's SendHeaders was handled after its
    // response and end. Ended without headers, the OPTIONS was listed on its own; its late headers say what it was.
    const capture = new Capture();
    const put = req("chrome", "54", "PUT", `${API}/e`);
    const opt = req("chrome", "55", "OPTIONS", `${API}/e`);
    const optEvents = [opt.send(acrm("PUT")), opt.headers(204, [["access-control-allow-origin", PAGE]]), opt.completed(204)];
    const putEvents = [put.send([ORIGIN]), put.headers(200, [["access-control-allow-origin", PAGE]]), put.completed(200)];
    for (const e of order(optEvents, putEvents)) capture.handle(e);
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["54"]);
    expect(capture.record("54")!.preflights).toEqual({ 0: "55" });
    const { tabs } = capture.drain();
    expect(tabs.get(7)!.removed).toContain("r55");
  });

  it("a preflight never pairs with an earlier request to the same URL that was answered before it started", () => {
    const capture = new Capture();
    const first = req("chrome", "70", "PUT", `${API}/e`);
    for (const e of [first.before(), first.send([ORIGIN]), first.headers(200, [["access-control-allow-origin", PAGE]])]) capture.handle(e);
    const opt = req("chrome", "72", "OPTIONS", `${API}/e`);
    for (const e of [opt.before(), opt.send(acrm("PUT"))]) capture.handle(e);
    // The first PUT is still in flight (its body is streaming), but it had its answer before this preflight.
    expect(capture.record("70")!.preflights).toBeUndefined();
    expect(capture.exchangesOf(7).map((r) => r.requestId)).toEqual(["70", "72"]);
  });

  it("restores from what it wrote to storage, idempotently, and finishes in-flight requests", () => {
    const { storage, persist } = storageOfWorker();
    const before = new Capture({ maxExchangesPerTab: 5 });
    fire(before, 7);
    const put = req("chrome", "50", "PUT", `${API}/e`);
    const opt = req("chrome", "51", "OPTIONS", `${API}/e`);
    before.handle(put.before());
    before.handle(opt.before());
    before.handle(opt.beforeSend(acrm("PUT")));
    persist(before);
    // The worker is stopped here; a new one restores, then receives the rest (and one event twice).
    const after = new Capture({ maxExchangesPerTab: 5 });
    after.restore(structuredClone(storage));
    after.restore(structuredClone(storage));
    after.handle(opt.beforeSend(acrm("PUT")));
    after.handle(put.before());
    after.handle(opt.headers(204, [["access-control-allow-origin", PAGE]]));
    after.handle(opt.completed(204));
    after.handle(put.beforeSend([ORIGIN]));
    after.handle(put.completed(200));
    const ids = after.exchangesOf(7).map((r) => r.requestId);
    expect(ids).toEqual(["3", "4", "5", "6", "50"]);
    expect(after.tabState(7).evicted).toBe(3);
    const ex = toExchange(after.record("50")!, (id) => after.record(id), "chrome");
    expect(ex.legs).toHaveLength(1);
    expect(ex.legs[0]!.preflight?.response?.status).toBe(204);
    expect(ex.outcome).toEqual({ kind: "completed" });
  });

  it("keeps the cookies a navigation set, and what a navigation cleared, across navigations and a restart, without values", () => {
    const { storage, persist } = storageOfWorker();
    const before = new Capture();
    // A credentialed call of the first page sets a cookie; then a log-in page (a navigation) sets another.
    const call = req("chrome", "60", "GET", `${API}/set`);
    before.handle(call.before());
    before.handle(call.send([ORIGIN]));
    before.handle(call.headers(200, [["Set-Cookie", "pref=secret-value-1; SameSite=None; Secure; Partitioned"]]));
    before.handle(call.completed(200));
    const login = req("chrome", "61", "GET", `${API}/login?next=/app`);
    for (const e of [login.before(), login.headers(200, [["Set-Cookie", "sid=secret-value-2; Path=/"]]), login.started(200)]) {
      e.details.type = "main_frame";
      before.handle(e);
    }
    expect(before.exchangesOf(7)).toEqual([]);
    persist(before);
    expect(JSON.stringify(storage)).not.toContain("secret-value");
    const after = new Capture();
    after.restore(structuredClone(storage));
    // The log-in's headers arrive before its first byte clears the log (which keeps the call's cookie).
    expect(after.cookieSightings.placedIn(7, [])).toEqual([
      { before: 0, url: `${API}/login`, setCookie: ["sid=[redacted]; Path=/"] },
      { before: 0, url: `${API}/set`, pageOrigin: PAGE, setCookie: ["pref=[redacted]; SameSite=None; Secure; Partitioned"] },
    ]);
    // Placed between a request that came before them and one that came after; closing the tab forgets them.
    expect(after.cookieSightings.placedIn(7, [50, 62]).map((s) => s.before)).toEqual([1, 1]);
    after.removeTab(7);
    expect(after.cookieSightings.placedIn(7, [])).toEqual([]);
  });
});

describe("a page request its service worker answered (Firefox): one row, the worker's", () => {
  // Firefox reports the page's intercepted request in the tab with no headers, no response and no end, and the
  // worker's own request apart (listed in the tab as sw<id>:<tab>); measured with a passthrough worker. Chromium
  // reports only the worker's.
  const workerRequest = (id: string, url = `${API}/x`) => {
    const w = req("firefox", `sw${id}:7`, "GET", url);
    return [w.before(), w.send([ORIGIN]), w.headers(200, []), w.error("NS_ERROR_DOM_BAD_URI")];
  };
  const ids = (c: Capture) => c.exchangesOf(7).map((r) => r.requestId);

  it("the page's headerless, unanswered request leaves the log once the worker's request for the same URL ended", () => {
    const c = new Capture();
    c.handle(req("firefox", "100", "GET", `${API}/x`).before());
    const worker = workerRequest("101");
    for (const e of worker.slice(0, 3)) c.handle(e);
    expect(ids(c)).toEqual(["100", "sw101:7"]);
    c.handle(worker[3]!);
    expect(ids(c)).toEqual(["sw101:7"]);
    expect(c.drain().tabs.get(7)?.removed).toEqual(["r100"]);
    // Its late events do not bring it back.
    c.handle(req("firefox", "100", "GET", `${API}/x`).completed(200));
    expect(ids(c)).toEqual(["sw101:7"]);
  });

  it.each([
    ["the page's request sent its headers (it went to the network itself)", [req("firefox", "100", "GET", `${API}/x`).send([ORIGIN])]],
    ["the page's request had an answer", [req("firefox", "100", "GET", `${API}/x`).headers(200, [])]],
  ])("kept: %s", (_name, extra) => {
    const c = new Capture();
    c.handle(req("firefox", "100", "GET", `${API}/x`).before());
    for (const e of extra) c.handle(e);
    for (const e of workerRequest("101")) c.handle(e);
    expect(ids(c)).toEqual(["100", "sw101:7"]);
  });

  it("kept: another URL, another method, or a page request that started after the worker's", () => {
    const c = new Capture();
    c.handle(req("firefox", "100", "GET", `${API}/other`).before());
    c.handle(req("firefox", "102", "PUT", `${API}/x`).before());
    for (const e of workerRequest("101")) c.handle(e);
    c.handle(req("firefox", "103", "GET", `${API}/x`).before());
    expect(ids(c).sort()).toEqual(["100", "102", "103", "sw101:7"]);
  });
});

describe("failures capture drops (a cross-origin load that failed before its headers: its mode is unknown)", () => {
  it("are remembered for the page's word, and never listed on their own", () => {
    const capture = new Capture();
    // Chromium, armed tab: an image seen only at its failure, blocked by another extension.
    const img = req("chrome", "80", "GET", `${API}/a.png`);
    capture.handle({
      event: "ErrorOccurred",
      details: { ...img.error("net::ERR_BLOCKED_BY_CLIENT").details, type: "image" },
      errorOnly: true,
    });
    // Firefox: every event is followed; blocked before its request headers.
    const fx = req("firefox", "81", "GET", `${API}/b.png`);
    for (const e of [fx.before(), fx.error("NS_ERROR_ABORT")]) capture.handle({ ...e, details: { ...e.details, type: "image" } });
    // A plain image whose headers said no-cors: not remembered (nothing could make it a CORS-mode load).
    const plain = req("firefox", "82", "GET", `${API}/c.png`);
    for (const e of [plain.before(), plain.send([["Accept", "image/*"]]), plain.error("NS_ERROR_ABORT")])
      capture.handle({ ...e, details: { ...e.details, type: "image" } });
    expect(capture.exchangesOf(7)).toEqual([]);
    const at = img.error("x").details.timeStamp;
    expect(capture.droppedFailures.errorOf(7, `${API}/a.png`, at)).toBe("net::ERR_BLOCKED_BY_CLIENT");
    expect(capture.droppedFailures.errorOf(7, `${API}/b.png`, at)).toBe("NS_ERROR_ABORT");
    expect(capture.droppedFailures.errorOf(7, `${API}/c.png`, at)).toBeUndefined();
    expect(capture.droppedFailures.errorOf(7, `${API}/a.png`, at + 60_000)).toBeUndefined();
    capture.removeTab(7);
    expect(capture.droppedFailures.errorOf(7, `${API}/a.png`, at)).toBeUndefined();
  });
});

/** storage.session as a worker leaves it: what each drain wrote and removed. */
function storageOfWorker() {
  const storage: Record<string, unknown> = {};
  const persist = (c: Capture) => {
    const { store } = c.drain();
    Object.assign(storage, structuredClone(store.set));
    for (const k of store.remove) delete storage[k];
  };
  return { storage, persist };
}

describe("live log", () => {
  it("diagnoses changed exchanges, pairs record ids, and emits upsert/remove/cleared", () => {
    const log = new LiveLog({ browser: "chrome", maxExchangesPerTab: 2 });
    const put = req("chrome", "10", "PUT", `${API}/e`);
    const opt = req("chrome", "11", "OPTIONS", `${API}/e`);
    for (const e of [put.before(), opt.before(), opt.beforeSend(acrm("PUT")), opt.completed(204), put.completed(200)]) log.handle(e);
    const first = log.flush();
    const [upsert] = first.messages.get(7)!;
    expect(upsert).toMatchObject({ type: "upsert", tabId: 7, evicted: 0 });
    if (upsert!.type !== "upsert") throw new Error("unreachable");
    expect(upsert.items.map((i) => [i.id, i.diagnosis.pairedWith, i.complete])).toEqual([["r10", "r11", true]]);
    for (let i = 0; i < 2; i++) {
      const r = req("chrome", String(100 + i), "GET", `${API}/g${i}`);
      log.handle(r.before());
    }
    const second = log.flush().messages.get(7)!;
    expect(second.map((m) => m.type)).toEqual(["remove", "upsert"]);
    expect(second[0]).toMatchObject({ ids: ["r10"], evicted: 1 });
    log.capture.clear(7);
    expect(
      log
        .flush()
        .messages.get(7)!
        .map((m) => m.type),
    ).toEqual(["cleared"]);
    expect(log.snapshot(7, { hostPermission: true, captureErrors: [] })).toMatchObject({ items: [], evicted: 0 });
  });
});
