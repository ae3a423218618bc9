// Record matrix2 cases in the Debian Chromium (puppeteer-core over the CDP pipe) with CORS Doctor and the test-only
// declarativeNetRequest blocker loaded. The witnesses: CDP on every target (pages, cross-origin iframes, dedicated
// and service workers, attached with Target.setAutoAttach flatten) — Network.loadingFailed (errorText,
// blockedReason, corsErrorStatus), Audits.issueAdded and Log.entryAdded —, the page's own outcome, the wire, and
// what CORS Doctor reported through its automation hook. https is real: a private HOME whose NSS db trusts the
// matrix2 CA, host names mapped to loopback with --host-resolver-rules, nothing ignores certificate errors.
import fs from "node:fs";
import path from "node:path";
import puppeteer from "puppeteer-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";
import { assertDistFresh } from "../../scripts/lib/dist-fresh.mjs";
import { makeNssDb } from "../../scripts/make-local-ca.mjs";
import { buildChromiumHar } from "../matrix/record-chromium.mjs";
import {
  ROOT,
  DNR_EXTENSION,
  HOSTS,
  SCENARIO_URL_RE,
  startEnvironment,
  wireOf,
  shortUrl,
  reportVia,
  waitFor,
  waitForListeners,
  runCases,
  setupEntries,
  byStart,
} from "./common.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */

/**
 * @typedef {object} ChromiumRequestSignal
 * @property {string} url
 * @property {string} method
 * @property {string} [type]
 * @property {string} [initiator]   initiator.type ("preflight", "script", "parser", "other")
 * @property {string} target        the CDP target type that reported it (page, iframe, worker, service_worker)
 * @property {number} [status]
 * @property {string} [errorText]
 * @property {string} [blockedReason]
 * @property {{ corsError: string, failedParameter: string }} [corsErrorStatus]
 * @property {boolean} [canceled]
 */
/**
 * @typedef {object} ChromiumCase
 * @property {import("./page-actions.mjs").PageOutcome} page
 * @property {ChromiumRequestSignal[]} requests
 * @property {{ code: string, details: string }[]} issues
 * @property {string[]} console
 * @property {string[]} wire
 * @property {any[] | null} extension   CORS Doctor's report entries for the case (null: not recorded)
 */

/** Launch flags: host names, the "public" servers for Local Network Access, and the two extensions. */
export function chromiumArgs(/** @type {Record<string, number>} */ ports) {
  const publicServers = [ports.pub, ports.plain].flatMap((p) => [`127.0.0.1:${p}=public`, `[::1]:${p}=public`]).join(",");
  return [
    ...CHROMIUM_ARGS,
    // nx.onion never resolves (Firefox refuses .onion without a lookup, network.dns.blockDotOnion); every other *.test name is loopback; nothing else is looked up at all.
    `--host-resolver-rules=MAP nx.onion ~NOTFOUND, ${HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(", ")}, MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
    `--ip-address-space-overrides=${publicServers}`,
  ];
}

/**
 * @param {{ scenarios: Scenario[], withExtension?: boolean, devtools?: boolean, precise?: boolean, onProgress?: (done: number, total: number) => void }} options
 * `devtools`: the cases run with DevTools open on the tab (the extension's devtools page loaded in it).
 * `precise`: the extension's precise mode is on (its optional `debugger` permission granted at install, as the
 * popup's switch would ask for it) and attached to the tab before the cases run.
 */
export async function recordChromium({ scenarios, withExtension = true, devtools = false, precise = false, onProgress }) {
  const env = await startEnvironment();
  const home = path.join(env.work, "home");
  makeNssDb(path.join(home, ".pki/nssdb"), env.ca.ca);
  const corsDir = path.join(env.work, "cors-doctor-chrome");
  if (withExtension) {
    assertDistFresh(ROOT, "chrome");
    fs.cpSync(path.join(ROOT, "dist/chrome"), corsDir, { recursive: true });
    if (precise) {
      const manifestPath = path.join(corsDir, "manifest.json");
      const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
      manifest.permissions = [...manifest.permissions, "debugger"];
      fs.writeFileSync(manifestPath, JSON.stringify(manifest));
    }
  }
  // Chromium writes _metadata/ into an unpacked declarativeNetRequest extension: load a copy, not the fixture.
  const dnrDir = path.join(env.work, "dnr-extension");
  fs.cpSync(DNR_EXTENSION, dnrDir, { recursive: true });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    enableExtensions: withExtension ? [corsDir, dnrDir] : [dnrDir],
    handleDevToolsAsPage: devtools,
    userDataDir: path.join(env.work, "profile"),
    env: { ...process.env, HOME: home },
    args: chromiumArgs(env.servers.ports),
  });
  /** @type {{ method: string, params: any, target: string }[]} */
  const events = [];
  try {
    // CDP on every target, from the browser session down: pages, their OOPIFs and workers, service workers.
    const root = await browser.target().createCDPSession();
    const attach = async (/** @type {import("puppeteer-core").CDPSession} */ session, /** @type {any} */ info) => {
      const type = info?.type ?? "other";
      const url = String(info?.url ?? "");
      if (!url.startsWith("chrome-extension:") && !url.startsWith("devtools:")) {
        for (const method of [
          "Network.requestWillBeSent",
          "Network.responseReceived",
          "Network.loadingFailed",
          "Network.loadingFinished",
          "Network.requestWillBeSentExtraInfo",
          "Network.responseReceivedExtraInfo",
          "Audits.issueAdded",
          "Log.entryAdded",
        ]) {
          session.on(/** @type {any} */ (method), (/** @type {any} */ params) => {
            events.push({ method, params, target: type });
          });
        }
        session.on("Target.attachedToTarget", rememberInfo);
        // puppeteer emits the new session before the attachedToTarget event itself: read its info a tick later.
        session.on("sessionattached", (/** @type {any} */ child) => {
          setTimeout(() => void attach(child, lastInfo.get(child.id())), 0);
        });
        // Not awaited: a target paused at start may answer some domains only once it runs. The session handles
        // commands in order, so the domains are on before the resume below lets the target make a request.
        for (const m of ["Network.enable", "Audits.enable", "Log.enable"]) session.send(/** @type {any} */ (m)).catch(() => {});
        session.send("Target.setAutoAttach", { autoAttach: true, waitForDebuggerOnStart: true, flatten: true }).catch(() => {});
      }
      session.send("Runtime.runIfWaitingForDebugger").catch(() => {});
    };
    /** @type {Map<string, any>} */
    const lastInfo = new Map();
    const rememberInfo = (/** @type {any} */ e) => {
      lastInfo.set(e.sessionId, e.targetInfo);
    };
    root.on("Target.attachedToTarget", rememberInfo);
    root.on("sessionattached", (/** @type {any} */ s) => {
      setTimeout(() => void attach(s, lastInfo.get(s.id())), 0);
    });
    await root.send("Target.setAutoAttach", {
      autoAttach: true,
      waitForDebuggerOnStart: true,
      flatten: true,
      filter: [{ type: "page" }, { type: "service_worker" }, { type: "iframe" }, { type: "worker" }, { type: "shared_worker" }],
    });

    const page = await browser.newPage();
    const version = (await browser.version()).replace(/^HeadlessChrome\//, "");
    // The cookie cases need api.test's cookies, set by a first-party visit.
    await page.goto(`${env.servers.origin("main", "api.test")}/setcookie`);
    const mainPage = `${env.servers.origin("main", "app.test")}`;
    await page.goto(`${mainPage}/p/warm`);

    /** @type {(() => Promise<any>) | null} */
    let report = null;
    if (withExtension) {
      const sw = await browser.waitForTarget((t) => t.type() === "service_worker" && t.url().endsWith("/background.js"), {
        timeout: 15_000,
      });
      const extId = new URL(sw.url()).host;
      const hook = await browser.newPage();
      await hook.goto(`chrome-extension://${extId}/panel.html?tabId=-1`);
      const tabId = await hook.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url?.startsWith(u))?.id ?? -1, mainPage);
      report = reportVia(hook, tabId);
      if (precise) await turnOnPrecise(hook, tabId);
    }
    if (devtools) await openDevtools(page);
    const recorder = { page, env, mainPage, report };
    await waitForListeners(recorder);
    const perCase = await runCases(recorder, scenarios, onProgress);
    await new Promise((r) => setTimeout(r, 500));
    const unique = dedupe(events);
    const har = buildChromiumHar(unique, { pageUrl: `${mainPage}/`, pageStarted: new Date(), version });
    // The cookie set-up requests are not scenario requests (buildChromiumHar keeps those only): from the wire.
    har.log.entries = byStart([
      ...setupEntries(env, { setcookie: { _resourceType: "document" }, setpart: { _resourceType: "fetch" } }),
      ...har.log.entries,
    ]);
    har.log._recordedWith = { browser: "chromium", version, tool: "scripts/record-matrix2.mjs" };
    /** @type {Record<string, ChromiumCase>} */
    const cases = {};
    for (const s of scenarios)
      cases[s.id] = { ...signalsOf(unique, s.id), page: perCase[s.id].page, wire: wireOf(env, s.id), extension: perCase[s.id].extension };
    return { har, verdicts: { browser: "chromium", version, recordedAt: new Date().toISOString(), cases } };
  } finally {
    await browser.close().catch(() => {});
    await env.close();
  }
}

/** Turns precise mode on from an extension page and waits (bounded) until it follows the tab. */
async function turnOnPrecise(/** @type {import("puppeteer-core").Page} */ hook, /** @type {number} */ tabId) {
  /** @type {unknown} */
  let status;
  await waitFor(
    async () => {
      status = await hook.evaluate(() => chrome.runtime.sendMessage({ type: "cors-doctor:precise", on: true }));
      return /** @type {{ attachedTabs?: number[] } | undefined} */ (status)?.attachedTabs?.includes(tabId);
    },
    20_000,
    `precise mode to attach to tab ${tabId}`,
  ).catch((error) => {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (last status: ${JSON.stringify(status)})`);
  });
}

/** Opens DevTools on the page and waits (bounded) until it has loaded the extension's devtools page. */
async function openDevtools(/** @type {import("puppeteer-core").Page} */ page) {
  const devtools = await page.openDevTools();
  const end = Date.now() + 60_000;
  while (!devtools.frames().some((f) => f.url().endsWith("/devtools.html"))) {
    if (Date.now() > end) throw new Error("DevTools did not load the extension's devtools page within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The same event can arrive over two sessions (a worker's request is also reported to its page). */
function dedupe(/** @type {{ method: string, params: any, target: string }[]} */ events) {
  const seen = new Set();
  return events.filter((e) => {
    const key = `${e.method}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Everything the browser itself said about one case's requests. */
export function signalsOf(/** @type {{ method: string, params: any, target: string }[]} */ events, /** @type {string} */ id) {
  const mine = (/** @type {string} */ url) => SCENARIO_URL_RE.exec(url ?? "")?.[1] === id;
  /** @type {Map<string, ChromiumRequestSignal>} */
  const requests = new Map();
  for (const { method, params, target } of events) {
    if (method === "Network.requestWillBeSent" && mine(params.request.url)) {
      const known = requests.get(params.requestId);
      if (known) {
        known.url = shortUrl(params.request.url);
        continue;
      } // a redirect hop: keep the last URL
      requests.set(params.requestId, {
        url: shortUrl(params.request.url),
        method: params.request.method,
        type: params.type,
        initiator: params.initiator?.type,
        target,
      });
    }
  }
  for (const { method, params } of events) {
    const r = requests.get(params.requestId);
    if (!r) continue;
    if (method === "Network.responseReceived") r.status = params.response.status;
    if (method === "Network.loadingFailed") {
      r.errorText = params.errorText;
      if (params.blockedReason) r.blockedReason = params.blockedReason;
      if (params.corsErrorStatus) r.corsErrorStatus = params.corsErrorStatus;
      if (params.canceled) r.canceled = true;
    }
  }
  const ids = new Set(requests.keys());
  const issues = [];
  /** @type {string[]} */
  const console = [];
  for (const { method, params } of events) {
    if (method === "Audits.issueAdded") {
      const text = JSON.stringify(params.issue);
      const refs = [...text.matchAll(/"requestId":"([^"]+)"/g)].map((m) => m[1]);
      if (!refs.some((r) => ids.has(r)) && !text.includes(`/m/${id}?`) && !text.includes(`/m/${id}/hop?`)) continue;
      issues.push({ code: params.issue.code, details: compactDetails(params.issue.details) });
    }
    if (method === "Log.entryAdded") {
      const e = params.entry;
      if ((e.networkRequestId && ids.has(e.networkRequestId)) || new RegExp(`/m/${id}(/hop)?\\?`).test(e.text ?? ""))
        console.push(shortUrlsIn(e.text));
    }
  }
  return { requests: [...requests.values()], issues: uniq(issues), console: [...new Set(console)] };
}

/** An issue's details without ids, frames and URLs: the reason fields only. */
function compactDetails(/** @type {any} */ details) {
  const strip = (/** @type {any} */ v) => {
    if (Array.isArray(v)) return v.map(strip);
    if (!v || typeof v !== "object") return typeof v === "string" ? shortUrlsIn(v) : v;
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      if (
        [
          "requestId",
          "frameId",
          "url",
          "frame",
          "request",
          "loaderId",
          "sourceCodeLocation",
          "violatingNodeId",
          "clientSecurityState",
          "initiatorOrigin",
          "blockedURL",
          "resourceIPAddressSpace",
        ].includes(k)
      )
        continue;
      out[k] = strip(x);
    }
    return out;
  };
  return JSON.stringify(strip(details));
}

function shortUrlsIn(/** @type {string} */ text) {
  return String(text)
    .replace(/(\w+:\/\/[^/:\s'"]+):\d+/g, "$1:PORT")
    .replace(/\?r=[a-z0-9]+/g, "?r=RUN");
}

function uniq(/** @type {{ code: string, details: string }[]} */ list) {
  const seen = new Set();
  return list.filter((x) => {
    const k = x.code + x.details;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
