// Private windows in Firefox ESR (spanning: one background sees both kinds of window). A private window's page
// makes a blocked request carrying a canary token. An extension page in that private window sees it (private
// capture works); an extension page in a normal window asking for the private tab by id gets nothing (by message
// or by the panel's port, even when it claims to be private: the browser's word on its tab wins); the capture is
// never written to storage.session, never appears in a normal tab's report, and is gone once the private window
// closes. Chrome runs private windows in a separate "split" instance (private-windows-chromium.test.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TabSnapshot } from "../../src/shared/protocol";
import { waitFor } from "../capture/helpers/extension";
import { extensionReady, findPage, type FirefoxRun, launchFirefox, UUID } from "../capture/helpers/firefox";
import { serveLoginRoutes } from "./helpers/login-page";

const CANARY = "PRIVATE-WINDOW-CANARY";

let server: Server;
let pageOrigin: string;
let api: string;
let run: FirefoxRun;

type Api = {
  runtime: {
    sendMessage(m: object): Promise<any>;
    connect(o: object): {
      postMessage(m: object): void;
      onMessage: { addListener(f: (m: any) => void): void };
      disconnect(): void;
    };
    getURL(path: string): string;
  };
  tabs: {
    query(q: object): Promise<{ id: number; url?: string; incognito: boolean; windowId: number }[]>;
    create(o: object): Promise<{ id: number }>;
  };
  windows: { create(o: object): Promise<{ id: number }>; remove(id: number): Promise<void> };
  cookies: { set(o: object): Promise<unknown>; remove(o: object): Promise<unknown> };
  storage: { session: { get(k: null): Promise<Record<string, unknown>> } };
  extension: { isAllowedIncognitoAccess(): Promise<boolean>; inIncognitoContext: boolean };
};
/** Runs `fn` with the extension API in an extension page: the automation hook, or one in the private window. */
const inPage = <T, A>(page: Page, fn: (api: Api, arg: A) => Promise<T>, arg: A): Promise<T> =>
  page.evaluate(`(${fn.toString()})(globalThis.browser, ${JSON.stringify(arg)})`) as Promise<T>;
const report = (page: Page, tabId: number, extra: object = {}) =>
  inPage(page, (b, a) => b.runtime.sendMessage({ type: "cors-doctor:report", includeSecrets: true, ...a }), { tabId, ...extra });
const snapshot = (page: Page, tabId: number, extra: object = {}): Promise<TabSnapshot> =>
  inPage(page, (b, a) => b.runtime.sendMessage({ type: "cors-doctor:snapshot", ...a }), { tabId, ...extra });
/** What the panel's port answers to a subscription: the first snapshot. */
const portSnapshot = (page: Page, tabId: number, extra: object = {}): Promise<TabSnapshot> =>
  inPage(
    page,
    (b, a) =>
      new Promise((resolve, reject) => {
        const port = b.runtime.connect({ name: "cors-doctor:panel" });
        const timer = setTimeout(() => reject(new Error("no snapshot on the panel port in 10 s")), 10_000);
        port.onMessage.addListener((m) => {
          if (m.type !== "snapshot") return;
          clearTimeout(timer);
          port.disconnect();
          resolve(m.snapshot);
        });
        port.postMessage({ type: "subscribe", ...a });
      }),
    { tabId, ...extra },
  );
/** Opens an extension page (the automation hook) in window `windowId`, and finds it. */
async function extensionPageIn(windowId: number, tag: string): Promise<Page> {
  await inPage(run.hook, (b, a) => b.tabs.create({ windowId: a.windowId, url: b.runtime.getURL(a.path) }), {
    windowId,
    path: `popup.html?automation=1&${tag}`,
  });
  return extensionReady(await findPage(run.browser, `moz-extension://${UUID}/popup.html?automation=1&${tag}`, `the extension page ${tag}`));
}
const privateTabOf = (windowId: number) =>
  waitFor("the private tab", () =>
    inPage(run.hook, async (b, w) => (await b.tabs.query({})).find((t) => t.windowId === w && t.incognito)?.id, windowId),
  );

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (serveLoginRoutes(url.pathname, res, api)) return;
    if (url.pathname === "/page" || url.pathname === "/private-page") {
      // The private page keeps asking (listeners may still be warming up); the normal page asks once, without the canary.
      const target = url.pathname === "/private-page" ? `${api}/api/no-acao?access_token=${CANARY}` : `${api}/api/no-acao?normal=1`;
      res.writeHead(200, { "Content-Type": "text/html" });
      res.end(
        `<!doctype html><title>p</title><script>let n=0;const go=()=>fetch(${JSON.stringify(target)}+"&n="+(n++)).catch(()=>{});go();${url.pathname === "/private-page" ? "setInterval(go,300);" : ""}</script>`,
      );
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain" });
    res.end("no acao");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  pageOrigin = `http://127.0.0.1:${port}`;
  api = `http://localhost:${port}`;
  run = await launchFirefox({}, { allowPrivate: true });
}, 120_000);

afterAll(async () => {
  await run?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

it("a private window's capture is for private-window pages only, stays in memory, and goes with the window", {
  timeout: 180_000,
}, async () => {
  // The profile allows the add-on in private windows: the premise of this test.
  expect(await inPage(run.hook, (b) => b.extension.isAllowedIncognitoAccess(), null)).toBe(true);
  const { page: normal, tabId: normalTab } = await run.openTab(`${pageOrigin}/page`);
  const privateWindow = await inPage(run.hook, (b, u) => b.windows.create({ incognito: true, url: u }), `${pageOrigin}/private-page`);
  const privateTab = await privateTabOf(privateWindow.id);
  const privateHook = await extensionPageIn(privateWindow.id, "in-private-window");
  expect(await inPage(privateHook, async (b) => b.extension.inIncognitoContext, null)).toBe(true);
  expect(await inPage(run.hook, async (b) => b.extension.inIncognitoContext, null)).toBe(false);

  // Private capture works, for a page in the private window: the report (with secrets) has the token.
  const shown = await waitFor(
    "the private request in its tab's report",
    async () => {
      const r = await report(privateHook, privateTab);
      return JSON.stringify(r).includes(CANARY) ? r : null;
    },
    30_000,
    300,
  );
  expect(shown.log.entries.length).toBeGreaterThan(0);
  const privateSnapshot = await snapshot(privateHook, privateTab);
  expect(privateSnapshot.items.length).toBeGreaterThan(0);
  expect(privateSnapshot.items.every((i) => i.diagnosis.verdict === "blocked")).toBe(true);
  expect((await portSnapshot(privateHook, privateTab)).items.length).toBeGreaterThan(0);

  // An extension page in a normal window gets nothing of the private tab, by message or port, even claiming
  // to be private (its tab says otherwise).
  for (const claim of [{}, { incognito: true }]) {
    expect(JSON.stringify(await report(run.hook, privateTab, claim))).not.toContain(CANARY);
    expect((await snapshot(run.hook, privateTab, claim)).items).toEqual([]);
    expect((await portSnapshot(run.hook, privateTab, claim)).items).toEqual([]);
  }

  // Never in storage that outlives the window, never in a normal tab's report.
  const stored = JSON.stringify(await inPage(run.hook, (b) => b.storage.session.get(null), null));
  expect(stored).not.toContain(CANARY);
  expect(stored).not.toContain(`tab:${privateTab}"`);
  await waitFor("the normal tab's request", async () => (await snapshot(run.hook, normalTab)).items.length > 0, 30_000, 300).catch(
    async () => normal.reload(),
  );
  expect(JSON.stringify(await report(run.hook, normalTab))).not.toContain(CANARY);
  expect(JSON.stringify(await report(privateHook, normalTab))).not.toContain(CANARY);

  // Gone when the private window closes: a page in a new private window finds nothing of the old tab.
  await inPage(run.hook, (b, w) => b.windows.remove(w), privateWindow.id);
  const laterWindow = await inPage(run.hook, (b) => b.windows.create({ incognito: true }), null);
  const laterHook = await extensionPageIn(laterWindow.id, "in-later-private-window");
  await waitFor("the private tab's capture to go", async () => (await snapshot(laterHook, privateTab)).items.length === 0, 15_000, 300);
  expect(JSON.stringify(await report(laterHook, privateTab))).not.toContain(CANARY);
  expect(JSON.stringify(await inPage(run.hook, (b) => b.storage.session.get(null), null))).not.toContain(CANARY);
});

it("a private tab's cookie finding reads the private window's cookie store, never the normal window's", {
  timeout: 120_000,
}, async () => {
  // One cookie for the API in each store: the normal window's (a log-in there) and the private window's.
  await inPage(run.hook, (b, u) => b.cookies.set({ url: u, name: "cd_normal_login", value: "n" }), `${api}/`);
  const privateWindow = await inPage(run.hook, (b, u) => b.windows.create({ incognito: true, url: u }), `${pageOrigin}/private-login-page`);
  const privateTab = await privateTabOf(privateWindow.id);
  const privateHook = await extensionPageIn(privateWindow.id, "in-private-cookie-window");
  await inPage(
    privateHook,
    (b, u) => b.cookies.set({ url: u, name: "cd_private_login", value: "p", storeId: "firefox-private" }),
    `${api}/`,
  );
  // The private page's credentialed calls come back 401 without CORS headers; the cookie the private store holds
  // (kept home cross-site) is named, and nothing of the normal window's store is.
  const shown = await waitFor(
    "the private store's cookie named on the private tab's 401",
    async () => {
      const r = await report(privateHook, privateTab);
      return JSON.stringify(r).includes("cd_private_login") ? r : null;
    },
    30_000,
    300,
  );
  expect(JSON.stringify(shown)).toContain("cookie store");
  expect(JSON.stringify(shown)).not.toContain("cd_normal_login");
  await inPage(run.hook, (b, w) => b.windows.remove(w), privateWindow.id);
  await inPage(run.hook, (b, u) => b.cookies.remove({ url: u, name: "cd_normal_login" }), `${api}/`);
});
