// The built extension in the Debian Chromium against a loopback server: every request of the scenario is
// captured once, and its verdict is the one Chromium itself gave (CDP Network.loadingFailed.corsErrorStatus).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CDPSession, Page } from "playwright-core";
import type { CapturedExchange } from "../../src/shared/protocol";
import {
  launchChromium,
  openHookPage,
  reportOf,
  snapshotOf,
  stopServiceWorker,
  tabIdOf,
  warmUp,
  type ChromiumRun,
} from "./helpers/chromium";
import { copyExtension, waitFor, type ExtensionCopy } from "./helpers/extension";
import { expectLoginCookieNamed, expectPartitionedCookieNamed, expectStoredCookieNamed } from "./helpers/login-cookie";
import { RUN_IN_PAGE, scenario, startServer, type TestServer } from "./helpers/server";

interface CdpRequest {
  id: string;
  url: string;
  method: string;
  preflight: boolean;
  corsError?: string;
  failedParameter?: string;
  failed?: boolean;
}

let server: TestServer;
let ext: ExtensionCopy;
let run: ChromiumRun;
let page: Page;
let hook: Page;
let tabId: number;
let cdp: CDPSession;
const cdpRequests = new Map<string, CdpRequest>();
let stopAttempts = 0;

beforeAll(async () => {
  server = await startServer();
  // The test build counts the worker's starts in storage.session (src/background/test-hook.ts).
  ext = await copyExtension("chrome", { testHooks: true });
  run = await launchChromium(ext.dir);
  page = await run.ctx.newPage();
  await page.goto(`${server.page}/page.html`);
  hook = await openHookPage(run, ext.dir, -1);
  tabId = await tabIdOf(hook, `${server.page}/*`);
  await hook.goto(hook.url().replace("tabId=-1", `tabId=${tabId}`));
  cdp = await run.ctx.newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.requestWillBeSent", (e) => {
    if (cdpRequests.has(e.requestId)) return; // a redirect hop of the same request
    cdpRequests.set(e.requestId, {
      id: e.requestId,
      url: e.request.url,
      method: e.request.method,
      preflight: e.initiator.type === "preflight",
    });
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = cdpRequests.get(e.requestId);
    if (!r) return;
    r.failed = true;
    if (e.corsErrorStatus) {
      r.corsError = e.corsErrorStatus.corsError;
      r.failedParameter = e.corsErrorStatus.failedParameter;
    }
  });
  await warmUp(page, hook, tabId, server.api);
}, 60_000);

afterAll(async () => {
  await run?.close();
  await server?.close();
  ext?.dispose();
});

/** Runs the scenario with a fresh `run` tag and waits until capture saw every request of it complete. */
async function runScenario(tag: string): Promise<CapturedExchange[]> {
  const steps = scenario(server.api, tag);
  await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(steps)})`);
  return waitFor(`the ${tag} requests in the capture`, async () => {
    const items = (await snapshotOf(hook, tabId)).items.filter((i) => i.exchange.legs[0]!.request.url.includes(`run=${tag}`));
    return items.length >= steps.length && items.every((i) => i.complete) ? items : null;
  });
}

const actualsOf = (tag: string) => [...cdpRequests.values()].filter((r) => !r.preflight && r.url.includes(`run=${tag}`));

describe("live capture in Chromium", () => {
  it("captures the scenario: legs, preflights, outcomes as Chromium reported them", async () => {
    const items = await runScenario("a");
    const steps = scenario(server.api, "a");
    const shape = items.map((i) => ({
      url: i.exchange.legs[0]!.request.url,
      method: i.exchange.legs[0]!.request.method,
      legs: i.exchange.legs.map((l) => l.response?.status ?? null),
      preflight: i.exchange.legs.map((l) => l.preflight?.response?.status ?? null),
      outcome: i.exchange.outcome,
      initiator: i.exchange.initiatorOrigin,
      observedBy: i.exchange.observedBy,
    }));
    const failed = { kind: "failed", error: "net::ERR_FAILED" };
    const expected = [
      { step: 0, legs: [200], preflight: [null], outcome: { kind: "completed" } },
      // Chromium with extraHeaders sees the response of a request it then blocks (browser-recipes §2 b).
      { step: 1, legs: [200], preflight: [null], outcome: failed },
      { step: 2, legs: [200], preflight: [204], outcome: { kind: "completed" } },
      // Access-Control-Max-Age: the second identical PUT goes without a preflight.
      { step: 3, legs: [200], preflight: [null], outcome: { kind: "completed" } },
      // The PUT is never sent: no response, only the preflight's.
      { step: 4, legs: [null], preflight: [204], outcome: failed },
      { step: 5, legs: [200], preflight: [null], outcome: failed },
      { step: 6, legs: [302, 200], preflight: [null, null], outcome: { kind: "completed" } },
      { step: 7, legs: [500], preflight: [null], outcome: failed },
    ].map(({ step, ...rest }) => ({
      url: steps[step]!.url,
      method: steps[step]!.init.method ?? "GET",
      ...rest,
      initiator: server.page,
      observedBy: "chrome",
    }));
    expect(shape).toEqual(expected);
    // The preflights went to the server; the blocked PUT did not (its preflight failed).
    expect(server.hits.filter((h) => h.includes("run=a") && h.startsWith("OPTIONS"))).toHaveLength(2);
    expect(items.find((i) => i.exchange.legs[0]!.preflight)?.diagnosis.pairedWith).toMatch(/^r\d+$/);
  });

  it("gives each request the verdict Chromium gave (blocked ⇔ corsErrorStatus, same CorsError)", async () => {
    const items = await runScenario("b");
    await waitFor(
      "CDP to report every request",
      async () => actualsOf("b").every((r) => r.failed !== undefined || true) && actualsOf("b").length >= 8,
    );
    const browserSaid = actualsOf("b").map((r) => ({
      url: r.url,
      method: r.method,
      blocked: r.corsError !== undefined,
      corsError: r.corsError ?? null,
    }));
    const weSaid = items.map((i) => ({
      url: i.exchange.legs[0]!.request.url,
      method: i.exchange.legs[0]!.request.method,
      blocked: i.diagnosis.verdict === "blocked",
      corsError: i.diagnosis.blockedBy?.chromeCorsError ?? null,
    }));
    expect(browserSaid.filter((r) => r.blocked)).toHaveLength(4);
    expect(weSaid).toEqual(browserSaid);
  });

  it("the automation report holds every request of the tab once, preflights included", async () => {
    const items = await runScenario("c");
    const report = await reportOf(hook, tabId);
    expect(report.log.version).toBe("1.2");
    const entries = report.log.entries.filter((e) => String(e.request?.url).includes("run=c"));
    const preflights = entries.filter((e) => e._resourceType === "preflight");
    // One HAR entry per request the browser made: each redirect leg is an entry, as in Chrome's own HAR.
    const legUrls = items.flatMap((i) => i.exchange.legs.map((l) => `${l.request.method} ${l.request.url}`));
    expect(legUrls).toHaveLength(9);
    expect(entries.filter((e) => e._resourceType !== "preflight").map((e) => `${e.request.method} ${e.request.url}`)).toEqual(legUrls);
    expect(preflights.map((e) => e.request.method)).toEqual(["OPTIONS", "OPTIONS"]);
  });

  it("loses and duplicates nothing when the service worker is stopped mid-scenario", async () => {
    // A tag of this attempt's own: CI retries a failed test once, in the same browser.
    const d = `d${++stopAttempts}`;
    // A request in flight when the worker dies: its last events wake a new worker, which must restore it.
    // And a request whose preflight is in flight: the pairing must survive the restart too.
    await page.evaluate((u) => void fetch(u).catch(() => {}), `${server.api}/slow?slow=${d}`);
    await page.evaluate((u) => void fetch(u, { method: "PUT" }).catch(() => {}), `${server.api}/slow-put?slow=${d}`);
    // Wait until the worker has handled (and so persisted: a snapshot settles storage) the slow GET's request
    // headers and the PUT's preflight. An event still on its way to a worker that is killed is lost with it;
    // what the worker had handled must survive.
    await waitFor("the slow requests to be captured", async () => {
      const items = (await snapshotOf(hook, tabId)).items;
      const get = items.find((i) => i.exchange.legs[0]!.request.url.includes(`slow?slow=${d}`));
      const put = items.find((i) => i.exchange.legs[0]!.request.url.includes(`slow-put?slow=${d}`));
      const hasOrigin = get?.exchange.legs[0]!.request.headers.some((h) => h.name.toLowerCase() === "origin");
      return hasOrigin && put?.exchange.legs[0]!.preflight ? true : null;
    });
    const starts = () => hook.evaluate(async () => Number((await chrome.storage.session.get("test:starts"))["test:starts"]));
    const startsBefore = await starts();
    await stopServiceWorker(run.ctx, page, run.extId);

    const items = await runScenario(d);
    const slow = await waitFor("the slow request to complete", async () => {
      const all = (await snapshotOf(hook, tabId)).items.filter((i) => i.exchange.legs[0]!.request.url.includes(`slow?slow=${d}`));
      return all.length === 1 && all[0]!.complete ? all : null;
    });
    expect(slow[0]!.exchange.outcome).toEqual({ kind: "completed" });
    expect(slow[0]!.exchange.legs[0]!.response?.status).toBe(200);
    // Its request headers were seen only by the stopped worker: they came back from storage.session.
    expect(slow[0]!.exchange.legs[0]!.request.headers.find((h) => h.name.toLowerCase() === "origin")?.value).toBe(server.page);
    const slowPut = await waitFor("the slow PUT to complete", async () => {
      const all = (await snapshotOf(hook, tabId)).items.filter((i) => i.exchange.legs[0]!.request.url.includes(`slow-put?slow=${d}`));
      return all.length === 1 && all[0]!.complete ? all[0] : null;
    });
    expect(
      slowPut.exchange.legs.map((l) => [l.request.method, l.response?.status, l.preflight?.request.method, l.preflight?.response?.status]),
    ).toEqual([["PUT", 200, "OPTIONS", 204]]);
    expect(slowPut.diagnosis.pairedWith).toBe(slowPut.exchange.legs[0]!.preflight!.ref);
    // Every request of every run so far, exactly once: ids and the (URL, order) pairs are unique.
    const snapshot = await snapshotOf(hook, tabId);
    const ids = snapshot.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const tag of ["a", "b", "c", d]) {
      const ofRun = snapshot.items.filter((i) => i.exchange.legs[0]!.request.url.includes(`run=${tag}`));
      const described = ofRun.map(
        (i) =>
          `${i.id}#${i.seq} ${i.exchange.legs.map((l) => `${l.request.method} ${l.request.url} ${l.response?.status} h${l.request.headers.length}${l.preflight ? "+preflight" : ""} ${JSON.stringify(l.timings)}`).join(" → ")}`,
      );
      expect(ofRun.length, `run ${tag}:\n${described.join("\n")}`).toBe(8);
    }
    expect(items).toHaveLength(8);
    // The worker really was stopped and started again.
    expect(await starts()).toBeGreaterThan(startsBefore);
    expect(snapshot.items.map((i) => i.seq)).toEqual([...snapshot.items.map((i) => i.seq)].sort((a, b) => a - b));
  });
});

describe("badge, popup and the panel protocol in Chromium", () => {
  it("the badge counts the tab's blocked requests in red, the tooltip says what they are", async () => {
    const snapshot = await snapshotOf(hook, tabId);
    const blocked = snapshot.items.filter((i) => i.diagnosis.verdict === "blocked").length;
    expect(blocked).toBeGreaterThanOrEqual(4); // 4 blocked requests in each run of the scenario
    const badge = await waitFor("the badge", async () => {
      const b = await hook.evaluate(
        async (id) => ({
          text: await chrome.action.getBadgeText({ tabId: id }),
          color: await chrome.action.getBadgeBackgroundColor({ tabId: id }),
          title: await chrome.action.getTitle({ tabId: id }),
        }),
        tabId,
      );
      return b.text === String(blocked) ? b : null;
    });
    expect(badge.color).toEqual([0xd9, 0x30, 0x25, 255]);
    expect(badge.title).toMatch(new RegExp(`^CORS Doctor: ${blocked} blocked(, \\d+ warnings?)? — open DevTools › CORS$`));
  });

  it("the popup shows the tab's counts", async () => {
    const popup = await run.ctx.newPage();
    try {
      await popup.goto(`chrome-extension://${run.extId}/popup.html?tabId=${tabId}`);
      const text = await waitFor("the popup to render", async () => {
        const t = await popup
          .locator("main")
          .textContent({ timeout: 2000 })
          .catch(() => null);
        return t?.includes("Blocked") ? t : null;
      });
      const blocked = (await snapshotOf(hook, tabId)).items.filter((i) => i.diagnosis.verdict === "blocked").length;
      expect(text).toContain(`Blocked${blocked}`);
      expect(text).toContain("DevTools › CORS");
      expect(text).not.toContain("not granted");
    } finally {
      await popup.close();
    }
  });

  it("a panel port gets a snapshot, then live upserts; Preserve log and Clear behave like DevTools", async () => {
    await hook.evaluate((id) => {
      const g = globalThis as unknown as { __port: chrome.runtime.Port; __msgs: any[] };
      g.__msgs = [];
      g.__port = chrome.runtime.connect({ name: "cors-doctor:panel" });
      g.__port.onMessage.addListener((m) => g.__msgs.push(m));
      g.__port.postMessage({ type: "subscribe", tabId: id });
    }, tabId);
    const messages = () => hook.evaluate(() => (globalThis as unknown as { __msgs: any[] }).__msgs);
    const send = (m: object) =>
      hook.evaluate((msg) => (globalThis as unknown as { __port: chrome.runtime.Port }).__port.postMessage(msg), m);
    const first = await waitFor("the snapshot", async () => (await messages())[0]);
    expect(first.type).toBe("snapshot");
    expect(first.snapshot).toMatchObject({ tabId, preserveLog: false, hostPermission: true, captureErrors: [] });
    expect(first.snapshot.items.length).toBe((await snapshotOf(hook, tabId)).items.length);
    expect(first.snapshot.items.length).toBeGreaterThanOrEqual(9);

    await page.evaluate((u) => fetch(u).catch(() => {}), `${server.api}/ok?live=1`);
    const upsert = await waitFor("a live upsert", async () =>
      (await messages()).find(
        (m) => m.type === "upsert" && m.items.some((i: any) => i.exchange.legs[0].request.url.endsWith("live=1") && i.complete),
      ),
    );
    expect(upsert.tabId).toBe(tabId);

    // Preserve log on: a navigation keeps the log.
    await send({ type: "set-preserve-log", tabId, value: true });
    await page.goto(`${server.page}/page.html?nav=1`);
    await page.evaluate((u) => fetch(u).catch(() => {}), `${server.api}/ok?after-nav=1`);
    const kept = await waitFor("the request after navigation", async () => {
      const s = await snapshotOf(hook, tabId);
      return s.items.some((i) => i.exchange.legs[0]!.request.url.endsWith("after-nav=1")) ? s : null;
    });
    expect(kept.preserveLog).toBe(true);
    expect(kept.items.some((i) => i.exchange.legs[0]!.request.url.endsWith("live=1"))).toBe(true);

    // Preserve log off: the next navigation clears it, and the panel is told.
    await send({ type: "set-preserve-log", tabId, value: false });
    await page.goto(`${server.page}/page.html?nav=2`);
    await waitFor("the cleared message", async () => (await messages()).some((m) => m.type === "cleared" && m.tabId === tabId));
    expect((await snapshotOf(hook, tabId)).items).toEqual([]);

    // Clear from the panel.
    await page.evaluate((u) => fetch(u).catch(() => {}), `${server.api}/no-acao?before-clear=1`);
    await waitFor("a request to clear", async () => (await snapshotOf(hook, tabId)).items.length === 1);
    const clearedBefore = (await messages()).filter((m) => m.type === "cleared").length;
    await send({ type: "clear", tabId });
    await waitFor(
      "the second cleared message",
      async () => (await messages()).filter((m) => m.type === "cleared").length === clearedBefore + 1,
    );
    const after = await snapshotOf(hook, tabId);
    expect(after).toMatchObject({ items: [], evicted: 0 });
    // Nothing blocked any more: the badge only says the tab is armed (issue 16).
    const badge = await waitFor("the badge to clear", async () => {
      const text = await hook.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
      return text === "on" ? "cleared" : null;
    });
    expect(badge).toBe("cleared");
  });

  it("a cookie set by a log-in in another tab, kept home cross-site, is named from the browser's cookie store", async () => {
    const cookie = await expectStoredCookieNamed({
      page,
      server,
      report: () => reportOf(hook, tabId),
      elsewhere: async (url) => {
        const other = await run.ctx.newPage();
        await other.goto(url);
        await other.close();
      },
    });
    // Chromium stores a cookie without SameSite as "unspecified": Lax by default, kept home on a cross-site fetch.
    expect(cookie.id).toBe("cookie-not-sent-samesite");
    expect(cookie.detail).toContain("SameSite unspecified");
  });

  it("a partitioned cookie of another top-level site is read from the store and named with its partition", async () => {
    const finding = await expectPartitionedCookieNamed({
      page,
      server,
      report: () => reportOf(hook, tabId),
      setPartitioned: async () => {
        await hook.evaluate(
          (api) =>
            chrome.cookies.set({
              url: `${api}/`,
              name: "cd_part",
              value: "part-secret",
              secure: true,
              sameSite: "no_restriction",
              partitionKey: { topLevelSite: "http://elsewhere.test" },
            } as chrome.cookies.SetDetails),
          server.api,
        );
      },
    });
    // SameSite=None; Secure, so the partition alone kept it home.
    expect(finding.id).toBe("cookie-partitioned");
  });

  it("a cookie that a log-in navigation set and the browser kept home cross-site is named on the 401 it caused", async () => {
    await expectLoginCookieNamed({
      page,
      server,
      report: () => reportOf(hook, tabId),
      // The worker is stopped after the log-in: what it knew of the cookie comes back from storage (names only).
      afterLogin: async () => {
        const stored = await waitFor("the log-in's cookie stored with the tab", async () => {
          const text = await hook.evaluate(async (k) => JSON.stringify((await chrome.storage.session.get(k))[k] ?? null), `tab:${tabId}`);
          return text.includes("cd_login") ? text : null;
        });
        expect(stored).not.toContain("cd_login=1");
        await stopServiceWorker(run.ctx, page, run.extId);
      },
    });
  });

  it("the extension made no request of its own: the server saw only the page's", async () => {
    const known =
      /^(GET|PUT|OPTIONS) (127\.0\.0\.1|localhost):\d+\/(page\.html|favicon\.ico|ok|no-acao|put-ok|header-not-allowed|wildcard|redirect|error500|slow|slow-put|login\.html|me|login-elsewhere\.html|me-elsewhere)(\?|$)/;
    expect(server.hits.filter((h) => !known.test(h))).toEqual([]);
  });
});
