// Record matrix2 cases in Firefox ESR (puppeteer-core over WebDriver BiDi) with CORS Doctor (test build: its
// background opens an extension page, the automation hook) and the test-only declarativeNetRequest blocker
// installed. Firefox has no CDP: its witnesses are the page's outcome, BiDi network errors (network.fetchError →
// puppeteer 'requestfailed', e.g. NS_ERROR_CONNECTION_REFUSED), the console (BiDi log entries), and the wire.
// https is real: the profile's cert9.db trusts the matrix2 CA; network.dns.localDomains maps the names to loopback.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import puppeteer from "puppeteer-core";
import { makeNssDb } from "../../scripts/make-local-ca.mjs";
import { assertDistFresh } from "../../scripts/lib/dist-fresh.mjs";
import {
  ROOT,
  DNR_EXTENSION,
  HOSTS,
  SCENARIO_URL_RE,
  startEnvironment,
  wireOf,
  shortUrl,
  waitFor,
  reportVia,
  waitForListeners,
  runCases,
  harEntryFromWire,
  byStart,
} from "./common.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */

export const FIREFOX_PATH = "/usr/bin/firefox-esr";
const ADDON_ID = "cors-doctor@cors-doctor.dev";
const UUID = "4d3c2b1a-0f9e-4d8c-b7a6-5a4b3c2d1e0f";

/**
 * @typedef {object} FirefoxCase
 * @property {import("./page-actions.mjs").PageOutcome} page
 * @property {{ url: string, method: string, errorText: string }[]} failures   BiDi network.fetchError
 * @property {string[]} console
 * @property {string[]} wire
 * @property {any[] | null} extension
 */

/** Prefs: the names, the "public" servers for Local Network Access, the cookie policy users have, no DNS lookups. */
export function firefoxPrefs(/** @type {Record<string, number>} */ ports) {
  return {
    "extensions.webextensions.uuids": JSON.stringify({ [ADDON_ID]: UUID }),
    "network.dns.localDomains": HOSTS.join(","),
    // .onion names fail at once without a lookup (the dns case); nothing else may reach the machine's resolver.
    "network.dns.blockDotOnion": true,
    "network.dns.disablePrefetch": true,
    "network.trr.mode": 5,
    "network.captive-portal-service.enabled": false,
    "network.connectivity-service.enabled": false,
    "network.lna.address_space.public.override": [ports.pub, ports.plain].flatMap((p) => [`127.0.0.1:${p}`, `[::1]:${p}`]).join(","),
    "network.lna.prompt.timeout": 1000,
    // puppeteer's profile sets cookieBehavior 0 (all cookies); users get 5 (Total Cookie Protection).
    "network.cookie.cookieBehavior": 5,
    "dom.security.https_first": false,
    "dom.security.https_only_mode": false,
  };
}

/** A private copy of dist/firefox whose background has the test-only hook (it opens an extension page). */
async function testBuildOfExtension(/** @type {string} */ dir) {
  assertDistFresh(ROOT, "firefox");
  fs.cpSync(path.join(ROOT, "dist/firefox"), dir, { recursive: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  await build({
    entryPoints: [path.join(ROOT, "src/background/index.ts")],
    outfile: path.join(dir, "background.js"),
    bundle: true,
    format: "iife",
    target: "firefox128",
    logLevel: "warning",
    define: { __BROWSER__: JSON.stringify("firefox"), __VERSION__: JSON.stringify(pkg.version), __TEST__: "true" },
  });
}

/**
 * @param {{ scenarios: Scenario[], withExtension?: boolean, onProgress?: (done: number, total: number) => void }} options
 */
/** MATRIX2_DEBUG=1: where the time goes (set-up steps, ms since the module loaded). */
const t0 = Date.now();
const debug = (/** @type {string} */ what) => {
  if (process.env.MATRIX2_DEBUG) process.stderr.write(`${Date.now() - t0} ms ${what}\n`);
};

export async function recordFirefox({ scenarios, withExtension = true, onProgress }) {
  debug("start");
  const env = await startEnvironment();
  debug("environment");
  const profile = path.join(env.work, "ff-profile");
  makeNssDb(profile, env.ca.ca);
  const extDir = path.join(env.work, "cors-doctor-firefox");
  if (withExtension) await testBuildOfExtension(extDir);
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: firefoxPrefs(env.servers.ports),
  });
  debug("launched");
  try {
    await browser.installExtension(DNR_EXTENSION);
    debug("blocker installed");
    /** @type {import("puppeteer-core").Page | null} */
    let hook = null;
    if (withExtension) {
      await browser.installExtension(extDir);
      hook = await waitFor(
        async () => {
          for (const p of await browser.pages()) {
            const href = await p.evaluate(() => location.href).catch(() => "");
            if (href.startsWith(`moz-extension://${UUID}/`)) return p;
          }
          return null;
        },
        15_000,
        "CORS Doctor's extension page",
      );
    }
    debug("hook");
    const page = await browser.newPage();
    /** @type {{ text: string, time: number }[]} */
    const consoleLines = [];
    /** @type {{ url: string, method: string, errorText: string, headers: Record<string, string>, time: number }[]} */
    const failures = [];
    page.on("console", (m) => {
      consoleLines.push({ text: m.text(), time: Date.now() });
    });
    page.on("pageerror", (e) => {
      consoleLines.push({ text: e instanceof Error ? e.message : String(e), time: Date.now() });
    });
    page.on("requestfailed", (r) => {
      failures.push({ url: r.url(), method: r.method(), errorText: r.failure()?.errorText ?? "", headers: r.headers(), time: Date.now() });
    });
    const version = (await browser.version()).replace(/^firefox\//i, "");
    await page.goto(`${env.servers.origin("main", "api.test")}/setcookie`);
    const mainPage = env.servers.origin("main", "app.test");
    await page.goto(`${mainPage}/p/warm`);
    debug("cookies and first page");
    /** @type {(() => Promise<any>) | null} */
    let report = null;
    if (hook) {
      const h = hook;
      const tabId = await waitFor(
        () =>
          h.evaluate(
            async (u) =>
              ((await /** @type {any} */ (globalThis).browser.tabs.query({})) ?? []).find((/** @type {any} */ t) => t.url?.startsWith(u))
                ?.id,
            mainPage,
          ),
        10_000,
        "the page's tab",
      );
      report = reportVia(h, tabId);
    }
    const recorder = { page, env, mainPage, report };
    await waitForListeners(recorder);
    const perCase = await runCases(recorder, scenarios, onProgress);
    /** @type {Record<string, FirefoxCase>} */
    const cases = {};
    for (const s of scenarios)
      cases[s.id] = { page: perCase[s.id].page, failures: [], console: [], wire: [], extension: perCase[s.id].extension };
    await new Promise((r) => setTimeout(r, 800));
    const mine = (/** @type {string} */ id) => (/** @type {string} */ url) => SCENARIO_URL_RE.exec(url)?.[1] === id;
    for (const s of scenarios) {
      const c = cases[s.id];
      c.failures = failures
        .filter((f) => mine(s.id)(f.url))
        .map((f) => ({ url: shortUrl(f.url), method: f.method, errorText: f.errorText }));
      c.console = [...new Set(consoleLines.filter((l) => new RegExp(`/m/${s.id}(/hop)?\\?`).test(l.text)).map((l) => shortUrlsIn(l.text)))];
      c.wire = wireOf(env, s.id);
    }
    const har = buildFirefoxHar(env, scenarios, failures, { version, pageUrl: `${mainPage}/` });
    return { har, verdicts: { browser: "firefox", version, recordedAt: new Date().toISOString(), cases } };
  } finally {
    await browser.close().catch(() => {});
    await env.close();
  }
}

function shortUrlsIn(/** @type {string} */ text) {
  return String(text)
    .replace(/(\w+:\/\/[^/:\s'"‘’]+):\d+/g, "$1:PORT")
    .replace(/\?r=[a-z0-9]+/g, "?r=RUN");
}

/**
 * A HAR in the shape of Firefox's netmonitor export (creator "Firefox", no _error, no _resourceType), rebuilt from
 * what went over the wire (the servers' log) plus one status-0 entry per request BiDi saw fail before any answer
 * (Firefox's own export lists those with status 0, the request headers it built and no reason: the reason is not in
 * the file).
 * @param {import("./common.mjs").Environment} env
 * @param {Scenario[]} scenarios
 * @param {{ url: string, method: string, errorText: string, headers: Record<string, string>, time: number }[]} failures
 * @param {{ version: string, pageUrl: string }} meta
 */
function buildFirefoxHar(env, scenarios, failures, meta) {
  const ids = new Set(scenarios.map((s) => s.id));
  const entries = [];
  const answered = new Set();
  // A request the page aborted has no response in Firefox's export, even when the server answered after the abort.
  const aborted = new Set(failures.filter((f) => f.errorText === "NS_BINDING_ABORTED").map((f) => `${f.method} ${f.url}`));
  for (const e of env.servers.log) {
    if (!e.setup && (!e.scenario || !ids.has(e.scenario))) continue;
    const key = `${e.method} ${e.scheme}://${e.host}${e.url}`;
    answered.add(key);
    const entry = harEntryFromWire(e);
    if (aborted.has(key))
      entry.response = {
        ...entry.response,
        status: 0,
        statusText: "",
        headers: [],
        content: { mimeType: "", size: 0, text: "" },
        redirectURL: "",
      };
    entries.push(entry);
  }
  for (const f of failures) {
    const id = SCENARIO_URL_RE.exec(f.url)?.[1];
    if (!id || !ids.has(id) || answered.has(`${f.method} ${f.url}`)) continue;
    const u = new URL(f.url);
    // Firefox's own export writes such a request with the headers it built and its start time, status 0 and no
    // response headers (measured: test/fixtures/devtools/firefox-failures.har); BiDi gives the same headers.
    const headers = [
      { name: "Host", value: u.host },
      ...Object.entries(f.headers ?? {})
        .filter(([name]) => name.toLowerCase() !== "host")
        .map(([name, value]) => ({ name, value })),
    ];
    entries.push({
      startedDateTime: new Date(f.time).toISOString(),
      time: 0,
      request: {
        bodySize: 0,
        method: f.method,
        url: f.url,
        httpVersion: "HTTP/1.1",
        headers,
        cookies: [],
        queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
        headersSize: -1,
      },
      response: {
        status: 0,
        statusText: "",
        httpVersion: "",
        headers: [],
        cookies: [],
        content: { mimeType: "", size: 0 },
        redirectURL: "",
        headersSize: -1,
        bodySize: 0,
      },
      cache: {},
      timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
      pageref: "page_1",
    });
  }
  return {
    log: {
      version: "1.2",
      creator: { name: "Firefox", version: meta.version },
      browser: { name: "Firefox", version: meta.version },
      pages: [
        { startedDateTime: new Date().toISOString(), id: "page_1", title: meta.pageUrl, pageTimings: { onContentLoad: -1, onLoad: -1 } },
      ],
      entries: byStart(entries),
      comment: "Rebuilt by scripts/record-matrix2.mjs from the servers' wire log and WebDriver BiDi's failed requests (Firefox ESR).",
    },
  };
}
