// The built extension (test build: the background opens an extension page on install, browser-recipes §5) in
// Firefox ESR over WebDriver BiDi: the scenario is captured, every request once, each with its verdict
// agreeing with what the page's fetch saw (Firefox rejects the fetch ⇔ it blocked the request).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "puppeteer-core";
import type { CapturedExchange } from "../../src/shared/protocol";
import { waitFor } from "./helpers/extension";
import { type FirefoxRun, launchFirefox } from "./helpers/firefox";
import { expectLoginCookieNamed, expectPartitionedCookieNamed, expectStoredCookieNamed } from "./helpers/login-cookie";
import { RUN_IN_PAGE, scenario, startServer, type TestServer } from "./helpers/server";
import { parseFirefoxCorsLine } from "../matrix/firefox-reasons.mjs";

let server: TestServer;
let run: FirefoxRun;
let page: Page;
let hook: Page;
let tabId: number;

const snapshotOf = (id: number) => run.snapshotOf(id);

beforeAll(async () => {
  server = await startServer();
  // Suspend the idle event page after 1.5 s instead of 30 s, to test that suspension loses nothing.
  run = await launchFirefox({ "extensions.background.idle.timeout": 1500 });
  hook = run.hook;
  ({ page, tabId } = await run.openTab(`${server.page}/page.html`));
  // Listeners go live a few hundred ms after install: warm up until a request shows.
  let i = 0;
  await waitFor(
    "the listeners to go live",
    async () => {
      await page.evaluate(
        (u) =>
          fetch(u).then(
            () => {},
            () => {},
          ),
        `${server.api}/ok?warm=${i++}`,
      );
      return (await snapshotOf(tabId)).items.some((x) => x.complete);
    },
    15_000,
    200,
  );
}, 90_000);

afterAll(async () => {
  await run?.close();
  await server?.close();
});

it("captures every request of the scenario once, preflights paired, Firefox's outcomes kept", async () => {
  const steps = scenario(server.api, "fx");
  // webRequest does not say a request was credentialed; in Firefox, where the blocked request still "completes",
  // only a Cookie header shows it. Give the API a cookie first (sent only by credentialed requests).
  await page.evaluate((u) => fetch(u, { credentials: "include" }).then((r) => r.text()), `${server.api}/set-cookie`);
  // Firefox's own reason for each block: its console line, delivered over BiDi as a page error or console
  // message (the truth-matrix recorder reads it the same way), keyed by the blocked URL.
  const consoleReasons = new Map<string, string>();
  const onLine = (text: string) => {
    const r = parseFirefoxCorsLine(text);
    if (r && !r.warning && !consoleReasons.has(r.url)) consoleReasons.set(r.url, r.key);
  };
  page.on("console", (m) => onLine(m.text()));
  page.on("pageerror", (e) => onLine(e instanceof Error ? e.message : String(e)));
  const pageSaw = (await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(steps)})`)) as string[];
  const items = await waitFor("the scenario in the capture", async () => {
    const s = await snapshotOf(tabId);
    const ofRun = s.items.filter((x) => x.exchange.legs[0]!.request.url.includes("run=fx"));
    return ofRun.length >= steps.length && ofRun.every((x) => x.complete) ? ofRun : null;
  });
  const shape = (x: CapturedExchange) => ({
    url: x.exchange.legs[0]!.request.url,
    method: x.exchange.legs[0]!.request.method,
    legs: x.exchange.legs.map((l) => l.response?.status ?? null),
    preflight: x.exchange.legs.map((l) => l.preflight?.response?.status ?? null),
    outcome: x.exchange.outcome.kind,
    observedBy: x.exchange.observedBy,
    initiator: x.exchange.initiatorOrigin,
  });
  const badUri = "failed";
  const expected = [
    { step: 0, legs: [200], preflight: [null], outcome: "completed" },
    // Firefox reports a blocked simple request as completed (browser-recipes §5 b).
    { step: 1, legs: [200], preflight: [null], outcome: "completed" },
    { step: 2, legs: [200], preflight: [204], outcome: "completed" },
    { step: 3, legs: [200], preflight: [null], outcome: "completed" },
    // The preflight fails (NS_ERROR_DOM_BAD_URI) and so does the PUT, never sent.
    { step: 4, legs: [null], preflight: [204], outcome: badUri },
    { step: 5, legs: [200], preflight: [null], outcome: "completed" },
    { step: 6, legs: [302, 200], preflight: [null, null], outcome: "completed" },
    { step: 7, legs: [500], preflight: [null], outcome: "completed" },
  ].map(({ step, ...rest }) => ({
    url: steps[step]!.url,
    method: steps[step]!.init.method ?? "GET",
    ...rest,
    observedBy: "firefox",
    initiator: server.page,
  }));
  expect(items.map(shape)).toEqual(expected);
  // Verdicts: what the page's fetch saw is Firefox's own verdict (a TypeError ⇔ blocked).
  const rejected = pageSaw.map((line) => line.includes("TypeError"));
  expect(rejected.filter(Boolean)).toHaveLength(4);
  expect(items.map((x) => `${x.exchange.legs[0]!.request.url} ${x.diagnosis.verdict}`)).toEqual(
    steps.map((s, i) => `${s.url} ${rejected[i] ? "blocked" : "allowed"}`),
  );
  // Reasons: the captured diagnosis names the reason Firefox printed for each blocked request.
  await waitFor("Firefox's console lines", async () => (consoleReasons.size >= 4 ? true : null), 5_000, 100);
  const reasonOf = (x: CapturedExchange) =>
    consoleReasons.get(x.exchange.legs[x.exchange.legs.length - 1]!.request.url) ?? consoleReasons.get(x.exchange.legs[0]!.request.url);
  const blocked = items.filter((x) => x.diagnosis.verdict === "blocked");
  expect(blocked.map((x) => [x.exchange.legs[0]!.request.url, x.diagnosis.blockedBy?.firefoxReason])).toEqual(
    blocked.map((x) => [x.exchange.legs[0]!.request.url, reasonOf(x)]),
  );
});

it("the automation report redacts the cookie the credentialed request carried, unless asked not to", async () => {
  const report = (includeSecrets: boolean) =>
    hook.evaluate(
      (t, inc) => (globalThis as any).browser.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: inc }),
      tabId,
      includeSecrets,
    ) as Promise<{ log: { entries: any[] } }>;
  const redacted = await report(false);
  const wildcard = redacted.log.entries.find((e) => String(e.request.url).includes("/wildcard?run=fx"));
  const cookie = wildcard.request.headers.find((h: { name: string }) => h.name.toLowerCase() === "cookie")?.value as string;
  expect(cookie).toContain("[redacted]");
  expect(cookie).not.toContain("cd_session=1");
  expect(JSON.stringify(redacted)).not.toContain("cd_session=1");
  expect(JSON.stringify(await report(true))).toContain("cd_session=1");
});

it("the event page started again between two runs: both runs are captured, each request once", async () => {
  const starts = () =>
    hook.evaluate(async () => Number((await (globalThis as any).browser.storage.session.get("test:starts"))["test:starts"]));
  const before = await starts();
  const first = scenario(server.api, "s1");
  await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(first)})`);
  await waitFor(
    "run s1 captured",
    async () =>
      (await snapshotOf(tabId)).items.filter((x) => x.exchange.legs[0]!.request.url.includes("run=s1") && x.complete).length === 8,
  );
  // The tab is armed (127.0.0.1 is on the default site list), which keeps the event page from being suspended
  // when idle (issue 16): start it again by reloading it, as a browser that stops it anyway would.
  await hook.evaluate(async () => ((await (globalThis as any).browser.runtime.getBackgroundPage()) as Window).location.reload());
  await waitFor("the event page to start again", async () => ((await starts()) > before ? true : null), 15_000, 200);
  const second = scenario(server.api, "s2");
  await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(second)})`);
  const s = await waitFor("run s2 captured", async () => {
    const snap = await snapshotOf(tabId);
    return snap.items.filter((x) => x.exchange.legs[0]!.request.url.includes("run=s2") && x.complete).length >= 8 ? snap : null;
  });
  expect(await starts()).toBeGreaterThan(before);
  for (const tag of ["fx", "s1", "s2"])
    expect(s.items.filter((x) => x.exchange.legs[0]!.request.url.includes(`run=${tag}`)).length, tag).toBe(8);
  expect(new Set(s.items.map((x) => x.id)).size).toBe(s.items.length);
  expect(
    s.items
      .filter((x) => x.exchange.legs[0]!.request.url.includes("run=s2"))
      .map((x) => x.exchange.legs.map((l) => l.preflight?.response?.status ?? null)),
  ).toEqual([[null], [null], [204], [null], [204], [null], [null, null], [null]]);
});

it("a cookie set by a log-in in another tab, kept home cross-site, is named from the browser's cookie store", async () => {
  const cookie = await expectStoredCookieNamed({
    page,
    server,
    report: () => hook.evaluate((t) => (globalThis as any).browser.runtime.sendMessage({ type: "cors-doctor:report", tabId: t }), tabId),
    elsewhere: async (url) => {
      const other = await run.openTab(url);
      await other.page.close();
    },
  });
  // Firefox stores a cookie without SameSite as "unspecified" too: the same finding as from the Set-Cookie line.
  expect(cookie.id).toBe("cookie-not-sent-samesite");
  expect(cookie.detail).toContain("SameSite unspecified");
});

it("a partitioned cookie of another top-level site is read from the store and named with its partition", async () => {
  await expectPartitionedCookieNamed({
    page,
    server,
    report: () => hook.evaluate((t) => (globalThis as any).browser.runtime.sendMessage({ type: "cors-doctor:report", tabId: t }), tabId),
    setPartitioned: async () => {
      await hook.evaluate(
        (api) =>
          (globalThis as any).browser.cookies.set({
            url: `${api}/`,
            name: "cd_part",
            value: "part-secret",
            // Firefox refuses SameSite=None without Secure, and reads no Secure cookie for an http URL: Lax here.
            sameSite: "lax",
            partitionKey: { topLevelSite: "http://elsewhere.test" },
          }),
        server.api,
      );
    },
  });
});

it("a cookie that a log-in navigation set and the browser kept home cross-site is named on the 401 it caused", async () => {
  await expectLoginCookieNamed({
    page,
    server,
    report: () => hook.evaluate((t) => (globalThis as any).browser.runtime.sendMessage({ type: "cors-doctor:report", tabId: t }), tabId),
  });
});

it("host permission revoked: the snapshot says so and the popup shows how to grant it", async () => {
  await hook.evaluate(() => (globalThis as any).browser.permissions.remove({ origins: ["http://*/*", "https://*/*"] }));
  await waitFor("hostPermission to turn false", async () => (await snapshotOf(tabId)).hostPermission === false);
  // The hook page is the popup: show it for the scenario tab.
  await hook.evaluate((id) => {
    location.search = `?tabId=${id}`;
  }, tabId);
  const text = await waitFor("the popup's permission help", async () => {
    const t = await hook.evaluate(() => document.querySelector("main")?.textContent ?? "").catch(() => "");
    return t.includes("not granted") ? t : null;
  });
  expect(text).toContain("Grant access to all sites");
  expect(await hook.evaluate(() => document.querySelector("button")?.textContent)).toBe("Grant access to all sites");
});
