// Launching the system Chromium with and without the built extension (browser-recipes §1). Every caller
// closes what it launched in a finally block: the machine is shared.
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, EXT, processTable, treeCpu, waitFor } from "./lib.mjs";

const COMMON = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

/**
 * CPU time (user + system, ms) used so far by the Chromium whose profile is `profile`, all its processes summed
 * (browser, renderers, network service, the extension's worker). On a machine shared with other work, wall time
 * swings with the neighbours' load; the CPU a run costs the browser moves much less.
 */
export function browserCpuMs(profile) {
  const procs = processTable({ withCommandLines: true });
  const mine = (p) => p?.cmd.includes(`--user-data-dir=${profile}`);
  return treeCpu(
    procs,
    [...procs].filter(([, p]) => mine(p) && !mine(procs.get(p.ppid))).map(([pid]) => pid),
  );
}

/**
 * Returns { ctx, sw, extId, cpuMs } (sw and extId null without the extension). `dir`: another unpacked extension.
 * `cpuMs()` reads the CPU the whole browser used so far (see browserCpuMs).
 */
export async function launch({ extension, dir }) {
  const ext = extension ? realpathSync(dir ?? EXT) : null;
  const args = extension ? [`--disable-extensions-except=${ext}`, `--load-extension=${ext}`, ...COMMON] : COMMON;
  const profile = mkdtempSync(join(tmpdir(), "cors-doctor-bench-profile-"));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 720 },
    args,
    timeout: 60_000,
  });
  ctx.on("close", () => {
    // Chromium may still be writing its profile as it exits: a leftover in /tmp is no reason to fail a run.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
  });
  const cpuMs = () => browserCpuMs(profile);
  if (!extension) return { ctx, sw: null, extId: null, cpuMs };
  try {
    const sw = ctx.serviceWorkers()[0] ?? (await ctx.waitForEvent("serviceworker", { timeout: 30_000 }));
    return { ctx, sw, extId: new URL(sw.url()).host, cpuMs };
  } catch (err) {
    await ctx.close();
    throw err;
  }
}

/**
 * The background's listeners go live 150–330 ms after the worker appears (browser-recipes §1): poll with a
 * warm-up fetch until the background reports the tab has a record, from an extension page via the
 * automation hook (contracts §6). `listed`, when given, decides from the tab's rows (the snapshot's items) instead
 * of "any row": e.g. that a row came from the page's service worker.
 */
export async function waitForCapture(ctx, extId, page, api, { listed } = {}) {
  const probe = await ctx.newPage();
  // Looked up again until found: a tab whose page is still committing may not show its URL yet.
  let tabId;
  try {
    // An automation hook page: it looks without arming anything (a plain popup.html arms the tab it is about).
    await probe.goto(`chrome-extension://${extId}/popup.html?automation=1`);
    await waitFor(
      async () => {
        tabId ??= await probe.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url());
        if (tabId === undefined) return false;
        await page.evaluate(
          (u) =>
            fetch(u)
              .then((r) => r.text())
              .catch(() => {}),
          `${api}/get?warm-${Date.now()}`,
        );
        if (listed) {
          const snapshot = await probe.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: id }), tabId);
          return listed(snapshot?.items ?? []);
        }
        const report = await probe.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:report", tabId: id }), tabId);
        return (report?.log?.entries?.length ?? 0) > 0;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: "the extension to capture a warm-up request" },
    ).catch(async (error) => {
      // Say what the extension thought of the tab: the next person to meet this knows where to look.
      const snapshot =
        tabId === undefined
          ? null
          : await probe.evaluate((id) => chrome.runtime.sendMessage({ type: "cors-doctor:snapshot", tabId: id }), tabId).catch(() => null);
      const state = snapshot
        ? `tab ${tabId}: arming ${JSON.stringify(snapshot.arming ?? null)}, ${snapshot.items?.length ?? 0} rows, capture errors ${JSON.stringify(snapshot.captureErrors ?? [])}`
        : `no tab found at ${page.url()}`;
      throw new Error(`${error instanceof Error ? error.message : String(error)} (${state})`);
    });
  } finally {
    await probe.close();
  }
  return tabId;
}
