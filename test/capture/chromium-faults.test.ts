// Faults while capturing in Chromium (issue: hardening): a request that never completes, and the tab
// navigating while a request is in flight. No captured exchange may be lost or duplicated.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openCaptureSession, reportOf, snapshotOf, type CaptureSession } from "./helpers/chromium";
import { waitFor } from "./helpers/extension";

let session: CaptureSession;
let server: CaptureSession["server"];
let page: Page;
let hook: Page;
let tabId: number;

beforeAll(async () => {
  session = await openCaptureSession();
  ({ server, page, hook, tabId } = session);
}, 60_000);

afterAll(async () => {
  await session?.close();
});

const itemsWith = async (marker: string) =>
  (await snapshotOf(hook, tabId)).items.filter((i) => i.exchange.legs[0]!.request.url.includes(marker));

function setPreserveLog(value: boolean): Promise<void> {
  return hook.evaluate(
    ({ id, value }) =>
      new Promise<void>((resolve) => {
        const port = chrome.runtime.connect({ name: "cors-doctor:panel" });
        port.postMessage({ type: "set-preserve-log", tabId: id, value });
        setTimeout(() => {
          port.disconnect();
          resolve();
        }, 200);
      }),
    { id: tabId, value },
  );
}

it("a request that never completes stays listed once, in flight, and does not hold up the others", async () => {
  await page.evaluate((api) => {
    void fetch(`${api}/hang?fault=hang`).catch(() => {});
  }, server.api);
  await page.evaluate(async (api) => {
    for (const path of ["ok", "no-acao", "ok"]) await fetch(`${api}/${path}?fault=after-hang&p=${path}${Math.random()}`).catch(() => {});
  }, server.api);
  const after = await waitFor("the requests after the hanging one", async () => {
    const items = await itemsWith("fault=after-hang");
    return items.length === 3 && items.every((i) => i.complete) ? items : null;
  });
  expect(after.map((i) => i.diagnosis.verdict).sort()).toEqual(["allowed", "allowed", "blocked"]);
  const hanging = await itemsWith("fault=hang");
  expect(hanging).toHaveLength(1);
  expect(hanging[0]!.complete).toBe(false);
  const report = await reportOf(hook, tabId);
  expect(report.log.entries.filter((e) => String(e.request.url).includes("fault=hang"))).toHaveLength(1);
});

it("navigating while a request is in flight: with Preserve log the request is kept once, cancelled", async () => {
  await setPreserveLog(true);
  await page.evaluate((api) => {
    void fetch(`${api}/slow?fault=nav-kept`).catch(() => {});
  }, server.api);
  await waitFor("the slow request to start", async () => ((await itemsWith("fault=nav-kept")).length === 1 ? true : null));
  await page.goto(`${server.page}/page.html?nav=1`);
  const kept = await waitFor("the cancelled request to settle", async () => {
    const items = await itemsWith("fault=nav-kept");
    return items.length === 1 && items[0]!.complete ? items : null;
  });
  expect(kept).toHaveLength(1);
  expect(kept[0]!.exchange.outcome).toEqual({ kind: "failed", error: "net::ERR_ABORTED" });
  // Cancelled is not a CORS verdict: nothing to blame the server for.
  expect(kept[0]!.diagnosis.verdict).not.toBe("blocked");
  await new Promise((r) => setTimeout(r, 1700)); // the server's late answer must not add a second copy
  expect(await itemsWith("fault=nav-kept")).toHaveLength(1);
});

it("navigating while a request is in flight: without Preserve log the log is cleared and stays clean", async () => {
  await setPreserveLog(false);
  await page.evaluate((api) => {
    void fetch(`${api}/slow?fault=nav-cleared`).catch(() => {});
  }, server.api);
  await waitFor("the slow request to start", async () => ((await itemsWith("fault=nav-cleared")).length === 1 ? true : null));
  await page.goto(`${server.page}/page.html?nav=2`);
  await waitFor("the log to be cleared", async () => ((await snapshotOf(hook, tabId)).items.length === 0 ? true : null));
  await page.evaluate((api) => fetch(`${api}/ok?fault=after-nav`).catch(() => {}), server.api);
  await waitFor("the request after the navigation", async () =>
    (await itemsWith("fault=after-nav")).some((i) => i.complete) ? true : null,
  );
  await new Promise((r) => setTimeout(r, 1700));
  expect(await itemsWith("fault=nav-cleared")).toHaveLength(0);
  expect(await itemsWith("fault=after-nav")).toHaveLength(1);
});
