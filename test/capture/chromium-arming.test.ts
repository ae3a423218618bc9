// Arming in the Debian Chromium (issue 16): a tab the user is not debugging is not captured (its requests never
// reach the background: no capture listener matches them), and a tab is armed by the DevTools panel opened on
// it, by one click on the toolbar button (the popup), and by the site list; the armed set survives the service
// worker being stopped. Pages of http://127.0.0.2 are not on the default site list; http://127.0.0.1 is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { ArmingStatus } from "../../src/shared/protocol";
import { launchChromium, snapshotOf, stopServiceWorker, type ChromiumRun } from "./helpers/chromium";
import { copyExtension, waitFor, type ExtensionCopy } from "./helpers/extension";
import {
  RUN_IN_PAGE,
  scenario,
  startServer,
  type TestServer,
  viaServiceWorker,
  type WorkerRequest,
  workerRequests,
} from "./helpers/server";
import { LOAD_SUBRESOURCES, subresources } from "./helpers/subresources";

let server: TestServer;
let ext: ExtensionCopy;
let run: ChromiumRun;
/** popup.html?automation=1: looks without arming (contracts §6). */
let hook: Page;
let unlisted: string;

const statusOf = (tabId: number) =>
  hook.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:arming", tabId: id }), tabId) as Promise<ArmingStatus>;
const listenerSets = () =>
  hook.evaluate(() => chrome.runtime.sendMessage({ type: "test:listener-sets" })) as Promise<(number | "all" | "workers")[]>;
const badgeOf = (tabId: number) =>
  hook.evaluate(
    async (id) => ({ text: await chrome.action.getBadgeText({ tabId: id }), title: await chrome.action.getTitle({ tabId: id }) }),
    tabId,
  );
const capturedOf = async (tabId: number, tag: string) =>
  (await snapshotOf(hook, tabId)).items.filter((i) => i.exchange.legs[0]!.request.url.includes(`run=${tag}`));

async function openTab(url: string): Promise<{ page: Page; tabId: number }> {
  const page = await run.ctx.newPage();
  await page.goto(url);
  const tabId = await waitFor(`the tab of ${url}`, () =>
    hook.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url()),
  );
  return { page, tabId };
}

let restartAttempts = 0;

/** Runs the scenario and waits until all of it is captured (armed tabs). */
async function runCaptured(page: Page, tabId: number, tag: string) {
  await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(scenario(server.api, tag))})`);
  return waitFor(
    `run ${tag} captured`,
    async () => {
      const items = await capturedOf(tabId, tag);
      return items.length === 8 && items.every((i) => i.complete) ? items : null;
    },
    20_000,
  );
}

/** Runs the scenario in a tab that is not armed: its requests ran (the page saw them), nothing is captured. */
async function runUncaptured(page: Page, tabId: number, tag: string) {
  const saw = (await page.evaluate(`(${RUN_IN_PAGE})(${JSON.stringify(scenario(server.api, tag))})`)) as string[];
  expect(saw).toHaveLength(8);
  // A capture would have shown within the flush delay (50 ms) and the settle of the snapshot: give it ample time.
  await new Promise((r) => setTimeout(r, 1000));
  expect(await capturedOf(tabId, tag)).toEqual([]);
}

beforeAll(async () => {
  server = await startServer();
  unlisted = server.page.replace("127.0.0.1", "127.0.0.2");
  ext = await copyExtension("chrome", { testHooks: true });
  run = await launchChromium(ext.dir);
  hook = await run.ctx.newPage();
  await hook.goto(`chrome-extension://${run.extId}/popup.html?automation=1`);
  await waitFor("the background to answer", () => statusOf(-1).then((s) => s && Array.isArray(s.sites)), 15_000);
}, 60_000);

afterAll(async () => {
  await run?.close();
  await server?.close();
  ext?.dispose();
});

describe("arming in Chromium", () => {
  it("a tab of a site not on the list is not armed and not captured; its failures show in grey on the badge", async () => {
    const { page, tabId } = await openTab(`${unlisted}/page.html`);
    expect(await statusOf(tabId)).toMatchObject({ armed: false, reason: null });
    // No capture listener covers the tab: its requests are not even sent to the background (test builds only).
    expect(await listenerSets()).toEqual([]);
    await runUncaptured(page, tabId, "u1");
    // The light mode counted the cross-origin failures (4 of the scenario's requests fail in Chromium).
    const badge = await waitFor("the grey failure count", async () => {
      const b = await badgeOf(tabId);
      return Number(b.text) >= 3 ? b : null;
    });
    expect(badge.title).toContain("not recording this tab");
    await page.close();
  });

  it("a request to arm no tab (tabId −1) arms nothing: no listener set for tab −1, which Chromium reads as every tab", async () => {
    const answer = await hook.evaluate(() => chrome.runtime.sendMessage({ type: "cors-doctor:arm", tabId: -1, armed: true }));
    expect(answer).toMatchObject({ tabId: -1, armed: false });
    expect(await listenerSets()).not.toContain(-1);
  });

  it("the default site list arms a page of 127.0.0.1 before its first request", async () => {
    const { page, tabId } = await openTab(`${server.page}/page.html`);
    expect(await statusOf(tabId)).toMatchObject({ armed: true, reason: "site" });
    expect(await listenerSets()).toEqual([tabId]);
    const items = await runCaptured(page, tabId, "s1");
    expect(items.filter((i) => i.diagnosis.verdict === "blocked")).toHaveLength(4);
    const badge = await waitFor("the red count", async () => ((await badgeOf(tabId)).text === "4" ? true : null));
    expect(badge).toBe(true);
    await page.close();
  });

  it("one click on the toolbar button (the popup) arms the tab; its switch disarms it", async () => {
    const { page, tabId } = await openTab(`${unlisted}/page.html`);
    expect((await statusOf(tabId)).armed).toBe(false);
    // The popup as the toolbar opens it, about this tab (popup.html?tabId=N: no automation flag).
    const popup = await run.ctx.newPage();
    await popup.goto(`chrome-extension://${run.extId}/popup.html?tabId=${tabId}`);
    await waitFor("the popup's switch on", () =>
      popup.evaluate(() => (document.getElementById("arm") as HTMLInputElement | null)?.checked === true),
    );
    expect(await popup.textContent("#reload-hint")).toContain("reload the page");
    // Precise mode is offered, off, its permission not asked for until the user turns it on.
    await waitFor("the precise mode switch", () => popup.evaluate(() => document.getElementById("precise") !== null));
    expect(await popup.evaluate(() => (document.getElementById("precise") as HTMLInputElement).checked)).toBe(false);
    expect(await popup.evaluate(() => chrome.permissions.contains({ permissions: ["debugger"] }))).toBe(false);
    expect(await statusOf(tabId)).toMatchObject({ armed: true, reason: "user" });
    expect((await badgeOf(tabId)).text).toBe("on");
    await runCaptured(page, tabId, "p1");
    // Kept across a reload, until the user turns it off.
    await page.reload();
    expect((await statusOf(tabId)).armed).toBe(true);
    await popup.click("#arm");
    await waitFor("the tab disarmed", async () => ((await statusOf(tabId)).armed ? null : true));
    expect(await popup.textContent("#arming-reason")).toContain("Not recording");
    await runUncaptured(page, tabId, "p2");
    await popup.close();
    await page.close();
  });

  it("the panel opened on a tab arms it, across navigations, until turned off", async () => {
    const { page, tabId } = await openTab(`${unlisted}/page.html`);
    expect((await statusOf(tabId)).armed).toBe(false);
    const panel = await run.ctx.newPage();
    await panel.goto(`chrome-extension://${run.extId}/panel.html?tabId=${tabId}`);
    await waitFor("the panel to arm its tab", async () => ((await statusOf(tabId)).armed ? true : null));
    expect((await statusOf(tabId)).reason).toBe("user");
    await panel.close();
    // Closing the panel does not disarm; navigating to another page of another site does not either.
    await page.goto(`${unlisted}/page.html?again`);
    expect((await statusOf(tabId)).armed).toBe(true);
    await runCaptured(page, tabId, "d1");
    await page.close();
  });

  it("adding a site to the list arms its open tabs; removing it disarms them", async () => {
    const { page, tabId } = await openTab(`${unlisted}/page.html?sites`);
    const defaults = (await statusOf(tabId)).sites;
    const setSites = (sites: string[]) =>
      hook.evaluate((s) => chrome.runtime.sendMessage({ type: "cors-doctor:arming-settings", sites: s, allTabs: false }), sites);
    try {
      expect(await setSites([...defaults, "127.0.0.2"])).toMatchObject({ invalid: [] });
      expect(await statusOf(tabId)).toMatchObject({ armed: true, reason: "site" });
      await runCaptured(page, tabId, "l1");
    } finally {
      await setSites(defaults);
    }
    expect((await statusOf(tabId)).armed).toBe(false);
    await runUncaptured(page, tabId, "l2");
    await page.close();
  });

  it("an armed tab follows images and scripts only when they fail: a CORS failure is listed without headers, no-cors loads are not, a reload shows the headers", async () => {
    const { page, tabId } = await openTab(`${server.page}/page.html?subresources`);
    expect(await statusOf(tabId)).toMatchObject({ armed: true, reason: "site" });
    const loadAll = (tag: string) => page.evaluate(`(${LOAD_SUBRESOURCES})(${JSON.stringify(subresources(server.api, tag))})`);
    const listed = async (tag: string, count: number) =>
      waitFor(`${count} subresources of ${tag} listed`, async () => {
        const items = await capturedOf(tabId, tag);
        return items.length >= count && items.every((i) => i.complete) ? items : null;
      });
    const settled = (await loadAll("e1")) as Record<string, string>;
    // The two CORS-mode loads fail in the page; what the no-cors ones do does not matter to CORS.
    expect(settled).toMatchObject({ "crossorigin image": "error", "module script": "error" });
    await listed("e1", 2);
    // Ample time for anything else to show: the no-cors loads of the same URLs must not.
    await new Promise((r) => setTimeout(r, 1000));
    const items = await capturedOf(tabId, "e1");
    expect(items.map((i) => [i.exchange.resourceType, i.exchange.legs[0]!.request.url.split("?")[1]]).sort()).toEqual([
      ["image", "run=e1&kind=crossorigin-image"],
      ["script", "run=e1&kind=module-script"],
    ]);
    // The first failure widens the tab at once, so a load Chromium started after it (its scheduler holds images
    // back behind scripts under load) is followed in full: at least the first is seen by its failure alone.
    const headerless = items.filter((i) => i.exchange.legs[0]!.request.headers.length === 0);
    expect(headerless.length).toBeGreaterThanOrEqual(1);
    for (const item of items) {
      expect(item.diagnosis.verdict).toBe("blocked");
      if (headerless.includes(item)) {
        expect(item.diagnosis.blockedBy?.title).toContain("headers were not captured");
        expect((item.diagnosis.assumptions ?? []).join(" ")).toContain("reason is unknown");
      } else {
        expect(item.exchange.legs[0]!.request.headers.some((h) => h.name.toLowerCase() === "origin")).toBe(true);
        expect(item.diagnosis.blockedBy?.id).not.toBe("blocked-reason-unknown");
      }
    }
    // The tab now follows every type: after a reload, the same loads come with their headers and the exact reason.
    await page.reload();
    await loadAll("e2");
    await listed("e2", 2);
    await new Promise((r) => setTimeout(r, 1000));
    const withHeaders = await capturedOf(tabId, "e2");
    expect(withHeaders).toHaveLength(2);
    for (const item of withHeaders) {
      expect(item.exchange.legs[0]!.request.headers.some((h) => h.name.toLowerCase() === "origin")).toBe(true);
      expect(item.diagnosis.verdict).toBe("blocked");
      expect(item.diagnosis.blockedBy?.id).not.toBe("blocked-reason-unknown");
    }
    await page.close();
  });

  it("a tab widened by a failed image stays widened after the service worker is stopped (the idle stop comes after 30 s)", async () => {
    const tag = `-${++restartAttempts}`;
    const { page, tabId } = await openTab(`${server.page}/page.html?subresources-widen${tag}`);
    const loadAll = (run: string) => page.evaluate(`(${LOAD_SUBRESOURCES})(${JSON.stringify(subresources(server.api, run))})`);
    const listed = (run: string) =>
      waitFor(`the CORS-mode loads of ${run} listed`, async () => {
        const items = await capturedOf(tabId, run);
        return items.length >= 2 && items.every((i) => i.complete) ? items : null;
      });
    await loadAll(`v1${tag}`);
    await listed(`v1${tag}`);
    await stopServiceWorker(run.ctx, page, run.extId);
    // The reload wakes a new worker: its first turn follows every type until it has read the widened tabs back. Under
    // load it is handed the new page's loads before the reload's own events (capture.ts keeps them: \`navigated\`).
    await page.reload();
    await loadAll(`v2${tag}`);
    await new Promise((r) => setTimeout(r, 1000));
    // On a failure, which load lost its headers and what it was diagnosed as.
    const withoutHeaders = (items: Awaited<ReturnType<typeof listed>>) =>
      items
        .filter(
          (i) =>
            !i.exchange.legs[0]!.request.headers.some((h) => h.name.toLowerCase() === "origin") ||
            i.diagnosis.blockedBy?.id === "blocked-reason-unknown",
        )
        .map((i) => ({
          url: i.exchange.legs[0]!.request.url,
          type: i.exchange.resourceType,
          blockedBy: i.diagnosis.blockedBy?.id,
          headers: i.exchange.legs[0]!.request.headers.length,
          outcome: i.exchange.outcome,
        }));
    const lost = withoutHeaders(await listed(`v2${tag}`));
    // Printed as well: a retry that passes would otherwise leave no trace of what the first attempt saw.
    if (lost.length) console.log(`attempt ${tag}: loads without headers after the restart: ${JSON.stringify(lost)}`);
    expect(lost).toEqual([]);
    // And a load started well after the restart (the first turn's every-tab set is gone by then) still has its headers.
    await loadAll(`v3${tag}`);
    await new Promise((r) => setTimeout(r, 1000));
    expect(withoutHeaders(await listed(`v3${tag}`))).toEqual([]);
    await page.close();
  });

  it("the armed set survives the service worker being stopped", async () => {
    // Tags of this attempt's own: CI retries a failed test once, in the same browser.
    const tag = `-${++restartAttempts}`;
    const armed = await openTab(`${unlisted}/page.html?restart${tag}`);
    const unarmed = await openTab(`${unlisted}/page.html?restart-unarmed${tag}`);
    await hook.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:arm", tabId: id, armed: true }), armed.tabId);
    await runCaptured(armed.page, armed.tabId, `w1${tag}`);
    const starts = () => hook.evaluate(async () => Number((await chrome.storage.session.get("test:starts"))["test:starts"]));
    const before = await starts();
    await stopServiceWorker(run.ctx, armed.page, run.extId);
    // The armed tab's next requests wake a new worker, which restores the armed set and captures the whole run.
    const items = await runCaptured(armed.page, armed.tabId, `w2${tag}`);
    expect(items.map((i) => i.exchange.legs[0]!.request.url)).toEqual(scenario(server.api, `w2${tag}`).map((s) => s.url));
    expect(await starts()).toBeGreaterThan(before);
    expect(await statusOf(armed.tabId)).toMatchObject({ armed: true, reason: "user" });
    expect((await statusOf(unarmed.tabId)).armed).toBe(false);
    await runUncaptured(unarmed.page, unarmed.tabId, `w3${tag}`);
  });
  it("a page's service worker: its requests are followed in full in an armed tab, and only while one is armed", async () => {
    const tag = `-${++restartAttempts}`;
    const viaWorker = (page: Page, requests: WorkerRequest[], register = true) =>
      page.evaluate(viaServiceWorker, [requests, register] as [WorkerRequest[], boolean]);
    const requests = (run: string) => workerRequests(server.api, run);

    // Origins of this attempt's own, armed by hand: a worker claims every open page of its origin, so a tab another
    // test (or a failed attempt) left open and armed at that origin would rightly keep the worker listeners on.
    const attempt = restartAttempts;
    const unarmed = await openTab(`${server.page.replace("127.0.0.1", `127.0.0.${40 + attempt}`)}/page.html?sw-unarmed${tag}`);
    const armed = await openTab(`${server.page.replace("127.0.0.1", `127.0.0.${20 + attempt}`)}/page.html?sw-armed${tag}`);
    const arm = (tabId: number, on: boolean) =>
      hook.evaluate(([id, armed]) => chrome.runtime.sendMessage({ type: "cors-doctor:arm", tabId: id, armed }), [tabId, on] as const);
    try {
      // Not armed: the worker's failures are nobody's, and no listener follows workers.
      expect(await viaWorker(unarmed.page, requests(`sw0${tag}`))).toEqual(["TypeError: Failed to fetch", "TypeError: Failed to fetch"]);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await listenerSets()).not.toContain("workers");
      expect(await capturedOf(unarmed.tabId, `sw0${tag}`)).toEqual([]);

      // Armed: the page says it registers a worker, the worker listeners go on, and its requests are listed in the
      // tab with their headers, preflight included, and the reason Chromium gives.
      await arm(armed.tabId, true);
      await waitFor("the page-side observer in the armed tab", () =>
        armed.page.evaluate(() => (window as { __corsDoctorObserver?: true }).__corsDoctorObserver === true),
      );
      expect(await viaWorker(armed.page, requests(`sw1${tag}`))).toEqual(["TypeError: Failed to fetch", "TypeError: Failed to fetch"]);
      expect(await listenerSets()).toContain("workers");
      const items = await waitFor(`the worker's requests of sw1${tag} listed`, async () => {
        const listed = await capturedOf(armed.tabId, `sw1${tag}`);
        return listed.length === 2 && listed.every((i) => i.complete) ? listed : null;
      });
      const byMethod = Object.fromEntries(items.map((i) => [i.exchange.legs[0]!.request.method, i]));
      expect(byMethod.GET!.diagnosis.blockedBy?.chromeCorsError).toBe("MissingAllowOriginHeader");
      expect(byMethod.GET!.exchange.legs[0]!.request.headers.some((h) => h.name.toLowerCase() === "origin")).toBe(true);
      expect(byMethod.PUT!.exchange.legs[0]!.preflight?.request.method).toBe("OPTIONS");
      expect(byMethod.PUT!.diagnosis.blockedBy?.chromeCorsError).toBe("HeaderDisallowedByPreflightResponse");

      // A background stopped and started again keeps following the worker: the page will not say it again until
      // reloaded (no register() this time).
      await stopServiceWorker(run.ctx, armed.page, run.extId);
      await waitFor("the worker listeners back after the restart", async () => (await listenerSets()).includes("workers"));
      expect(await viaWorker(armed.page, requests(`sw2${tag}`).slice(0, 1), false)).toEqual(["TypeError: Failed to fetch"]);
      const again = await waitFor(`the worker's request of sw2${tag} listed`, async () => {
        const listed = await capturedOf(armed.tabId, `sw2${tag}`);
        return listed.length === 1 && listed[0]!.complete ? listed : null;
      });
      expect(again[0]!.diagnosis.blockedBy?.chromeCorsError).toBe("MissingAllowOriginHeader");

      // Disarmed: the worker listeners go with it.
      await arm(armed.tabId, false);
      await waitFor("the worker listeners to go", async () => !(await listenerSets()).includes("workers"));
    } finally {
      // A failed attempt must not leave an armed page of a worker behind for the retry.
      await arm(armed.tabId, false).catch(() => {});
      await unarmed.page.close();
      await armed.page.close();
    }
  });
});
