// What both matrix2 recorders share: the CA and servers, the URLs of a case, the run of the cases with their set-up
// steps (cookies), the extension report of a case, HAR entries rebuilt from the wire, and the recorded verdicts' shape.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeLocalCa, MATRIX2_HOSTS } from "../../scripts/make-local-ca.mjs";
import { startMatrix2Servers } from "./server.mjs";
import { runActionInPage, urlsFor } from "./page-actions.mjs";
import { pairs, parseSent } from "../matrix/wire-headers.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./page-actions.mjs").PageAction} PageAction */
/** @typedef {import("./page-actions.mjs").PageOutcome} PageOutcome */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DNR_EXTENSION = path.join(ROOT, "test/fixtures/matrix2/dnr-extension");
export const HOSTS = MATRIX2_HOSTS;
/** The scenario a URL belongs to (the v1 matrix uses the same path shape, so its HAR builder applies). */
export const SCENARIO_URL_RE = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;

/** A fresh work dir with the CA (a few seconds of openssl) and the servers. */
export async function startEnvironment() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cors-matrix2-"));
  const ca = makeLocalCa(path.join(work, "ca"));
  const servers = await startMatrix2Servers({ ca });
  return {
    work,
    ca,
    servers,
    async close() {
      await servers.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startEnvironment>>} Environment */

/** The page URL of a case. */
export function pageUrlOf(/** @type {Environment} */ env, /** @type {Scenario} */ s) {
  return `${env.servers.origin(s.page.server ?? "main", s.page.host ?? "app.test")}/p/${s.id}`;
}

/** @returns {PageAction} */
export function actionOf(/** @type {Environment} */ env, /** @type {Scenario} */ s, /** @type {string} */ run) {
  const a = s.action;
  const pageOrigin = env.servers.origin(s.page.server ?? "main", s.page.host ?? "app.test");
  const base = env.servers.origin(a.server ?? "main", a.host ?? "api.test");
  const frameOrigin = env.servers.origin("main", "other.test");
  const urls = urlsFor(s, base, pageOrigin, frameOrigin, run);
  /** @type {any} */
  const init = { ...(a.init ?? {}) };
  if (init.integrity === "sha256-{bodySha256}") {
    init.integrity = `sha256-${crypto
      .createHash("sha256")
      .update(s.server.actual.body ?? "")
      .digest("base64")}`;
  }
  return {
    id: s.id,
    kind: a.kind,
    ...urls,
    init,
    crossOrigin: a.crossOrigin,
    integrity: a.integrity,
    readHeader: a.readHeader,
    abortAfterMs: a.abortAfterMs,
    detached: a.detached,
    srcBy: a.srcBy,
  };
}

/** Run tags keep the browsers' caches (preflight, HTTP) out of the experiment. */
export function newRunTag() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The extension's report entries for one case, reduced to what the agreement test compares.
 * @param {any} report HAR-style report (contracts §4)
 * @param {string} id
 */
export function extensionEntriesOf(report, id) {
  const entries = /** @type {any[]} */ (report?.log?.entries ?? []);
  return entries
    .filter((e) => SCENARIO_URL_RE.exec(String(e?.request?.url ?? ""))?.[1] === id)
    .map((e) => ({
      method: e.request.method,
      url: shortUrl(e.request.url),
      resourceType: e._resourceType,
      status: e.response?.status ?? 0,
      error: e.response?._error,
      role: e._cors?.role,
      verdict: e._cors?.verdict,
      blockedBy: e._cors?.blockedBy
        ? {
            ...pick(e._cors.blockedBy, ["id", "chromeCorsError", "firefoxReason", "failedParameter"]),
            // Whether a recipe of the block tells the server to send CORS headers (wrong for a failure that is not CORS).
            corsRecipe: (e._cors.blockedBy.fixes ?? []).some((/** @type {any} */ f) =>
              /Access-Control-Allow-/i.test(`${f.title}\n${f.code}`),
            ),
          }
        : null,
      findings: (e._cors?.findings ?? []).map((/** @type {any} */ f) => f.id),
    }));
}

/** @param {any} o @param {string[]} keys */
function pick(o, keys) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** host:port/path?query with the port and the run tag replaced: what stays the same between recordings. */
export function shortUrl(/** @type {string} */ url) {
  return String(url)
    .replace(/^(\w+:\/\/[^/:]+):\d+/, "$1:PORT")
    .replace(/\?r=[a-z0-9]+/, "?r=RUN");
}

/**
 * Poll the extension's report until the case's entries are there and stable, bounded.
 * @param {() => Promise<any>} getReport
 * @param {string} id
 * @param {number} [maxMs]
 */
export async function settleExtensionEntries(getReport, id, maxMs = 2500) {
  const deadline = Date.now() + maxMs;
  let last = "";
  let stableSince = 0;
  /** @type {any[]} */
  let entries = [];
  for (;;) {
    try {
      entries = extensionEntriesOf(await getReport(), id);
    } catch {
      entries = [];
    }
    const key = JSON.stringify(entries);
    if (entries.length && key === last) {
      if (Date.now() - stableSince >= 300) return entries;
    } else {
      last = key;
      stableSince = Date.now();
    }
    if (Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The wire: what the servers saw for a case (method, host, and whether a Cookie came along). */
export function wireOf(/** @type {Environment} */ env, /** @type {string} */ id) {
  return env.servers.log
    .filter((e) => e.scenario === id)
    .map((e) => {
      const headers = e.rawHeaders;
      const cookie = headers.find((_, i) => i % 2 === 0 && headers[i].toLowerCase() === "cookie")
        ? headers[headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === "cookie") + 1]
        : undefined;
      return `${e.method} ${e.hop ? "hop" : "start"} ${e.sent.status}${
        cookie
          ? ` cookie:${cookie
              .split(/;\s*/)
              .map((c) => c.split("=")[0])
              .sort()
              .join(",")}`
          : ""
      }`;
    });
}

/**
 * Polls `probe` until it gives a truthy value, bounded.
 * @template T
 * @param {() => Promise<T>} probe
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<NonNullable<T>>}
 */
export async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return /** @type {NonNullable<T>} */ (v);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * @typedef {object} Recorder   what a browser's recorder gives the shared steps
 * @property {import("puppeteer-core").Page} page                 the tab the cases run in
 * @property {Environment} env
 * @property {string} mainPage                                     https://app.test:PORT
 * @property {(() => Promise<any>) | null} report                  CORS Doctor's report of the page's tab (null: not loaded)
 */

/**
 * The extension's report through an extension page, as JSON text: WebDriver BiDi serialises an object met twice
 * (a preflight's and its request's shared `blockedBy`) as a bare reference, which puppeteer turns into null.
 * @param {import("puppeteer-core").Page} hook an extension page of CORS Doctor
 * @param {number} tabId
 */
export function reportVia(hook, tabId) {
  return async () =>
    JSON.parse(
      await hook.evaluate((t) => {
        // Firefox's extension pages have `browser` (promises); Chromium's have `chrome` (promises in MV3).
        const api = /** @type {any} */ (globalThis).browser ?? /** @type {any} */ (globalThis).chrome;
        return api.runtime
          .sendMessage({ type: "cors-doctor:report", tabId: t })
          .then((/** @type {unknown} */ r) => JSON.stringify(r ?? null));
      }, tabId),
    );
}

/** Listeners go live a moment after the background starts (browser-recipes §1): fetch until the report shows one. */
export async function waitForListeners(/** @type {Recorder} */ r) {
  const report = r.report;
  if (!report) return;
  let i = 0;
  await waitFor(
    async () => {
      await r.page.evaluate(
        (u) =>
          fetch(u).then(
            () => {},
            () => {},
          ),
        `${r.env.servers.origin("main", "api.test")}/warm?i=${i++}`,
      );
      return (await report())?.log?.entries?.some((/** @type {any} */ e) => String(e.request?.url).includes("/warm?"));
    },
    15_000,
    "CORS Doctor's listeners",
  );
}

/**
 * Runs every case in the recorder's tab: its set-up (a partitioned cookie set from the page's site), the page, the
 * action, then CORS Doctor's report of the case. One case's broken page does not end the recording.
 * @param {Recorder} r
 * @param {Scenario[]} scenarios
 * @param {(done: number, total: number) => void} [onProgress]
 * @returns {Promise<Record<string, { page: PageOutcome, extension: any[] | null }>>}
 */
export async function runCases(r, scenarios, onProgress) {
  const { page, env, mainPage } = r;
  const run = newRunTag();
  /** @type {Record<string, { page: PageOutcome, extension: any[] | null }>} */
  const perCase = {};
  let done = 0;
  for (const s of scenarios) {
    // The user's flow: a first-party visit to api.test (a log-in) sets its cookies, then back to the app. In the
    // recorder's tab, so that CORS Doctor sees that navigation as it would in the user's.
    if (s.action.setup === "cookies") await page.goto(`${env.servers.origin("main", "api.test")}/setcookie`);
    if (s.action.setup === "partitioned-cookie") {
      await page.goto(`${mainPage}/p/${s.id}`);
      await page.evaluate(
        (u) =>
          fetch(u, { credentials: "include" }).then(
            (res) => res.text(),
            () => "",
          ),
        `${env.servers.origin("main", "api.test")}/setpart`,
      );
    }
    /** @type {PageOutcome} */
    let outcome;
    try {
      await page.goto(pageUrlOf(env, s), { timeout: 20_000 });
      if (s.action.offline) await page.setOfflineMode(true);
      outcome = await page.evaluate(runActionInPage, actionOf(env, s, run));
    } catch (e) {
      outcome = { ok: false, error: `evaluate failed: ${String(e)}` };
    } finally {
      if (s.action.offline) await page.setOfflineMode(false);
    }
    const extension = r.report ? await settleExtensionEntries(r.report, s.id, 1500) : null;
    perCase[s.id] = { page: outcome, extension };
    onProgress?.(++done, scenarios.length);
  }
  return perCase;
}

/**
 * One HAR entry rebuilt from what went over the wire (the servers' log): the request as received, the response as
 * sent, Set-Cookie included.
 * @param {import("./server.mjs").WireEntry} e
 * @param {Record<string, unknown>} [extra] fields to add (Chrome's `_resourceType`)
 */
export function harEntryFromWire(e, extra = {}) {
  const url = `${e.scheme}://${e.host}${e.url}`;
  const reqHeaders = pairs(e.rawHeaders);
  const sent = parseSent(e.sent.headersText);
  const location = sent.headers.find((h) => h.name.toLowerCase() === "location")?.value;
  const cookie = reqHeaders.find((h) => h.name.toLowerCase() === "cookie")?.value ?? "";
  return {
    startedDateTime: new Date(e.time).toISOString(),
    time: 1,
    request: {
      bodySize: 0,
      method: e.method,
      url,
      httpVersion: "HTTP/1.1",
      headers: reqHeaders,
      cookies: cookie
        .split(/;\s*/)
        .filter(Boolean)
        .map((kv) => ({ name: kv.split("=")[0], value: kv.slice(kv.indexOf("=") + 1) })),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      headersSize: -1,
    },
    response: {
      status: e.sent.status,
      statusText: sent.statusText,
      httpVersion: sent.httpVersion,
      headers: sent.headers,
      cookies: [],
      content: {
        mimeType: sent.headers.find((h) => h.name.toLowerCase() === "content-type")?.value ?? "",
        size: Buffer.byteLength(e.sent.body),
        text: e.sent.body,
      },
      redirectURL: location ? new URL(location, url).href : "",
      headersSize: e.sent.headersText.length,
      bodySize: Buffer.byteLength(e.sent.body),
    },
    cache: {},
    timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 1, receive: 0 },
    serverIPAddress: "127.0.0.1",
    connection: e.host.split(":")[1] ?? "",
    pageref: "page_1",
    ...extra,
  };
}

/**
 * The cookie set-up requests (the first-party visit to api.test, the partitioned cookie's fetch) as HAR entries, so
 * a HAR carries the Set-Cookie a later request went without, as a DevTools export with "Preserve log" would.
 * @param {Environment} env
 * @param {Record<string, unknown>} [extraOf] per-entry extra fields by set-up kind
 */
export function setupEntries(env, extraOf = {}) {
  return env.servers.log
    .filter((e) => e.setup)
    .map((e) => harEntryFromWire(e, /** @type {any} */ (extraOf)[/** @type {string} */ (e.setup)] ?? {}));
}

/** Entries in start order (stable): the cookie lints read a log in order. */
export function byStart(/** @type {any[]} */ entries) {
  return entries
    .map((entry, i) => ({ entry, i, t: Date.parse(entry.startedDateTime) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.entry);
}
