// Private windows in Firefox ESR (spanning: one background sees both kinds of window). A private window's page
// makes a blocked request carrying a canary token. The capture shows it for that tab (private capture works),
// but it is never written to storage.session, never appears in a normal tab's report, and is gone once the
// private window closes. Chrome runs private windows in a separate "split" instance (manifest, checked in
// least-privilege.test.ts); headless Chromium gives a test no way to allow an unpacked extension in incognito.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { copyExtension, waitFor, type ExtensionCopy } from "../capture/helpers/extension";

const ADDON_ID = "cors-doctor@cors-doctor.dev";
const UUID = "7a1e2b3c-4d5e-4f60-8172-93a4b5c6d7e8";
const CANARY = "PRIVATE-WINDOW-CANARY";

let server: Server;
let pageOrigin: string;
let api: string;
let ext: ExtensionCopy;
let browser: Browser;
let hook: Page;
let profile: string;

type Api = {
  runtime: { sendMessage(m: object): Promise<any> };
  tabs: { query(q: object): Promise<{ id: number; url?: string; incognito: boolean; windowId: number }[]> };
  windows: { create(o: object): Promise<{ id: number }>; remove(id: number): Promise<void> };
  storage: { session: { get(k: null): Promise<Record<string, unknown>> } };
  extension: { isAllowedIncognitoAccess(): Promise<boolean> };
};
const ext$ = <T, A>(fn: (api: Api, arg: A) => Promise<T>, arg: A): Promise<T> =>
  hook.evaluate(`(${fn.toString()})(globalThis.browser, ${JSON.stringify(arg)})`) as Promise<T>;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
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
  await new Promise<void>((r) => server.listen(0, r));
  const port = (server.address() as AddressInfo).port;
  pageOrigin = `http://127.0.0.1:${port}`;
  api = `http://localhost:${port}`;
  ext = await copyExtension("firefox", { testHooks: true });
  // The user's "Run in Private Windows" choice, as Firefox stores it in the profile (ExtensionPermissions).
  profile = mkdtempSync(join(tmpdir(), "cors-doctor-private-"));
  writeFileSync(
    join(profile, "extension-preferences.json"),
    JSON.stringify({ [ADDON_ID]: { permissions: ["internal:privateBrowsingAllowed"], origins: [] } }),
  );
  browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: "/usr/bin/firefox-esr",
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: { "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }) },
  });
  await browser.installExtension(ext.dir);
  hook = await waitFor(
    "the extension page opened by the test build",
    async () => {
      for (const p of await browser.pages()) {
        const href = await p.evaluate(() => location.href).catch(() => "");
        if (href.startsWith(`moz-extension://${UUID}/`)) return p;
      }
      return null;
    },
    20_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  ext?.dispose();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

it("a private window's capture stays in memory, out of normal tabs' reports, and goes with the window", { timeout: 120_000 }, async () => {
  // Temporary add-ons are allowed in private windows: the premise of this test.
  expect(await ext$((b) => b.extension.isAllowedIncognitoAccess(), null)).toBe(true);
  const normal = await browser.newPage();
  await normal.goto(`${pageOrigin}/page`);
  const normalTab = await waitFor("the normal tab", () =>
    ext$(async (b, u) => (await b.tabs.query({})).find((t) => t.url?.startsWith(u) && !t.incognito)?.id, `${pageOrigin}/page`),
  );
  const privateWindow = await ext$((b, u) => b.windows.create({ incognito: true, url: u }), `${pageOrigin}/private-page`);
  const privateTab = await waitFor("the private tab", () =>
    ext$(async (b, w) => (await b.tabs.query({})).find((t) => t.windowId === w && t.incognito)?.id, privateWindow.id),
  );

  // Private capture works: the private tab's report (asked with secrets) has the request and its token.
  const report = await waitFor(
    "the private request in its tab's report",
    async () => {
      const r = await ext$((b, t) => b.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }), privateTab);
      return JSON.stringify(r).includes(CANARY) ? r : null;
    },
    30_000,
    300,
  );
  expect(report.log.entries.length).toBeGreaterThan(0);
  const snapshot = await ext$((b, t) => b.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: t }), privateTab);
  expect(snapshot.items.length).toBeGreaterThan(0);
  expect(snapshot.items.every((i: { diagnosis: { verdict: string } }) => i.diagnosis.verdict === "blocked")).toBe(true);

  // Never in storage that outlives the window, never in a normal tab's report.
  const stored = JSON.stringify(await ext$((b) => b.storage.session.get(null), null));
  expect(stored).not.toContain(CANARY);
  expect(stored).not.toContain(`tab:${privateTab}"`);
  await waitFor(
    "the normal tab's request",
    async () => {
      const r = await ext$((b, t) => b.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: t }), normalTab);
      return r.items.length > 0;
    },
    30_000,
    300,
  ).catch(async () => normal.reload());
  const normalReport = await ext$(
    (b, t) => b.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }),
    normalTab,
  );
  expect(JSON.stringify(normalReport)).not.toContain(CANARY);

  // Gone when the private window closes.
  await ext$((b, w) => b.windows.remove(w), privateWindow.id);
  await waitFor(
    "the private tab's capture to go",
    async () => {
      const s = await ext$((b, t) => b.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: t }), privateTab);
      return s.items.length === 0;
    },
    15_000,
    300,
  );
  const after = await ext$((b, t) => b.runtime.sendMessage({ type: "cors-doctor:report", tabId: t, includeSecrets: true }), privateTab);
  expect(JSON.stringify(after)).not.toContain(CANARY);
  expect(JSON.stringify(await ext$((b) => b.storage.session.get(null), null))).not.toContain(CANARY);
});
