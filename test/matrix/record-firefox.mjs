// Record scenarios in Firefox ESR (puppeteer-core over WebDriver BiDi, no extension). Firefox has no CDP,
// so the witnesses are: the page's own fetch result (blocked or not), the CORS console line (BiDi
// log.entryAdded, surfaced by puppeteer as 'pageerror'/'console') mapped to its security.properties key,
// and the matrix server's log of what went over the wire (preflights included). From those we build a
// HAR in the shape of Firefox's netmonitor export (creator "Firefox", no _resourceType, no _error).
import puppeteer from "puppeteer-core";
import { startMatrixServer } from "./server.mjs";
import { planFor, runPlanInPage, newRunTag, SCENARIO_URL_RE } from "./plan.mjs";
import { parseFirefoxCorsLine } from "./firefox-reasons.mjs";
import { pairs, parseSent } from "./wire-headers.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./plan.mjs").FetchOutcome} FetchOutcome */
/** @typedef {import("./plan.mjs").FetchPlan} FetchPlan */
/** @typedef {import("./server.mjs").ServerLogEntry} ServerLogEntry */

export const FIREFOX_PATH = "/usr/bin/firefox-esr";

/**
 * @typedef {object} FirefoxFetchVerdict
 * @property {boolean} blocked
 * @property {string} [pageError]
 * @property {number} [status]
 * @property {string} [responseType]
 */
/**
 * @typedef {FirefoxFetchVerdict & {
 *   reason?: string, reasons?: string[], console?: string, warning?: string, warningReason?: string,
 *   credentials: string, cookieSent: boolean, fetches: number, preflights: number, requests: string[],
 *   perFetch?: FirefoxFetchVerdict[]
 * }} FirefoxVerdict
 */

/** Prefs: let the API's (third-party) cookie be stored and sent, and keep Firefox quiet on loopback. */
export const FIREFOX_PREFS = {
  "network.cookie.cookieBehavior": 0,
  "network.cookie.sameSite.noneRequiresSecure": false,
  "network.cookie.sameSite.laxByDefault": false,
  "browser.contentblocking.category": "custom",
  "privacy.trackingprotection.enabled": false,
};

/**
 * @param {{ scenarios: Scenario[], onProgress?: (done: number, total: number) => void }} options
 * @returns {Promise<{ har: any, verdicts: { browser: string, version: string, recordedAt: string, scenarios: Record<string, FirefoxVerdict> } }>}
 */
export async function recordFirefox({ scenarios, onProgress }) {
  const server = await startMatrixServer();
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
  });
  try {
    const page = await browser.newPage();
    /** @type {{ text: string, kind: string }[]} */
    const consoleLines = [];
    // Firefox reports CORS failures to the console as errors that BiDi delivers as log entries of type
    // "javascript" (puppeteer: 'pageerror'); the Authorization-under-* notice comes as a warning.
    page.on("pageerror", (/** @type {unknown} */ e) => {
      consoleLines.push({ text: e instanceof Error ? e.message : String(e), kind: "error" });
    });
    page.on("console", (m) => {
      consoleLines.push({ text: m.text(), kind: m.type() });
    });
    // First-party visit to both API hosts stores the cookie that credentials: 'include' should send.
    await page.goto(`${server.apiOrigins.localhost}/setcookie`);
    await page.goto(`${server.apiOrigins.ip}/setcookie`);
    const pageStarted = new Date();
    await page.goto(server.pageUrl);
    server.clearLog();
    const version = (await browser.version()).replace(/^firefox\//i, "");
    const runTag = newRunTag();
    /** @type {Map<string, FetchOutcome[]>} */
    const outcomes = new Map();
    /** @type {Map<string, FetchPlan>} */
    const plans = new Map();
    let done = 0;
    for (const scenario of scenarios) {
      const plan = planFor(scenario, server.apiOrigins, runTag);
      plans.set(scenario.id, plan);
      outcomes.set(scenario.id, await page.evaluate(runPlanInPage, plan));
      onProgress?.(++done, scenarios.length);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const verdicts = buildFirefoxVerdicts(scenarios, outcomes, consoleLines, server.log, { version });
    const har = buildFirefoxHar(scenarios, plans, outcomes, server.log, {
      pageUrl: server.pageUrl,
      pageOrigin: server.pageOrigin,
      pageStarted,
      version,
    });
    return { har, verdicts };
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }
}

/**
 * @param {Scenario[]} scenarios
 * @param {Map<string, FetchOutcome[]>} outcomes
 * @param {{ text: string, kind: string }[]} consoleLines
 * @param {ServerLogEntry[]} serverLog
 * @param {{ version: string }} meta
 */
export function buildFirefoxVerdicts(scenarios, outcomes, consoleLines, serverLog, meta) {
  /** @type {Record<string, FirefoxVerdict>} */
  const out = {};
  const parsed = consoleLines.map((l) => ({ line: l, reason: parseFirefoxCorsLine(l.text) })).filter((p) => p.reason);
  for (const scenario of scenarios) {
    const fetches = outcomes.get(scenario.id) ?? [];
    const mine = parsed.filter((p) => SCENARIO_URL_RE.exec(p.reason?.url ?? "")?.[1] === scenario.id);
    const blocking = mine.filter((p) => !p.reason?.warning);
    const warning = mine.find((p) => p.reason?.warning);
    const wire = serverLog.filter((e) => e.scenario === scenario.id);
    const perFetch = fetches.map(
      (o) =>
        /** @type {FirefoxFetchVerdict} */ (
          o.ok ? { blocked: false, status: o.status, responseType: o.type } : { blocked: true, pageError: o.error }
        ),
    );
    /** @type {FirefoxVerdict} */
    const v = {
      ...(perFetch[0] ?? { blocked: true, pageError: "no fetch result" }),
      ...(blocking[0] ? { reason: blocking[0].reason?.key, console: blocking[0].line.text } : {}),
      ...(blocking.length > 1 ? { reasons: blocking.map((p) => p.reason?.key ?? "unknown") } : {}),
      ...(warning ? { warning: warning.line.text, warningReason: warning.reason?.key } : {}),
      credentials: scenario.request.credentials,
      cookieSent: wire.some((e) => e.method !== "OPTIONS" && e.rawHeaders.some((h, i) => i % 2 === 0 && h.toLowerCase() === "cookie")),
      fetches: fetches.length,
      preflights: wire.filter((e) => e.method === "OPTIONS").length,
      requests: wire.map((e) => `${e.method} ${e.hop ? "hop" : "start"}${e.host.startsWith("127.0.0.1") ? "@ip" : ""}`),
    };
    if (fetches.length > 1) v.perFetch = perFetch;
    out[scenario.id] = v;
  }
  return { browser: "firefox", version: meta.version, recordedAt: new Date().toISOString(), scenarios: out };
}

/** @param {{ name: string, value: string }[]} headers @param {string} name */
const headerValue = (headers, name) => headers.find((h) => h.name.toLowerCase() === name)?.value;

/** @param {string | undefined} cookie */
function cookieList(cookie) {
  return (cookie ?? "")
    .split(/;\s*/)
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf("=");
      return { name: kv.slice(0, i), value: kv.slice(i + 1) };
    });
}

/**
 * One entry per request the server saw, plus one status-0 entry for an actual request that never went on the
 * wire because its preflight failed (Firefox's netmonitor lists it as blocked).
 * @param {Scenario[]} scenarios
 * @param {Map<string, FetchPlan>} plans
 * @param {Map<string, FetchOutcome[]>} outcomes
 * @param {ServerLogEntry[]} serverLog
 * @param {{ pageUrl: string, pageOrigin: string, pageStarted: Date, version: string }} meta
 */
export function buildFirefoxHar(scenarios, plans, outcomes, serverLog, meta) {
  const entries = [];
  for (const scenario of scenarios) {
    const plan = plans.get(scenario.id);
    if (!plan) continue;
    const wire = serverLog.filter((e) => e.scenario === scenario.id);
    /** @type {any[]} */
    const local = [];
    for (const e of wire) {
      const reqHeaders = pairs(e.rawHeaders);
      const sent = parseSent(e.sent.headersText);
      const location = headerValue(sent.headers, "location");
      const url = `http://${e.host}${e.url}`;
      local.push({
        startedDateTime: new Date(e.time).toISOString(),
        time: 1,
        request: {
          bodySize: Number(headerValue(reqHeaders, "content-length") ?? 0),
          method: e.method,
          url,
          httpVersion: "HTTP/1.1",
          headers: reqHeaders,
          cookies: cookieList(headerValue(reqHeaders, "cookie")),
          queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
          headersSize: -1,
          ...(e.method !== "GET" && e.method !== "HEAD" && e.method !== "OPTIONS" && plan.init.body !== undefined
            ? { postData: { mimeType: headerValue(reqHeaders, "content-type") ?? "", params: [], text: plan.init.body } }
            : {}),
        },
        response: {
          status: e.sent.status,
          statusText: sent.statusText,
          httpVersion: sent.httpVersion,
          headers: sent.headers,
          cookies: [],
          content: { mimeType: headerValue(sent.headers, "content-type") ?? "", size: Buffer.byteLength(e.sent.body), text: e.sent.body },
          redirectURL: location ? new URL(location, url).href : "",
          headersSize: e.sent.headersText.length,
          bodySize: Buffer.byteLength(e.sent.body),
        },
        cache: {},
        timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 0, wait: 1, receive: 0 },
        serverIPAddress: e.host.startsWith("localhost") ? "::1" : "127.0.0.1",
        connection: e.host.split(":")[1] ?? "",
        pageref: "page_1",
      });
    }
    // Actual requests Firefox never sent (preflight failed): netmonitor shows them blocked with no response.
    const fetches = outcomes.get(scenario.id) ?? [];
    const actualOnWire = wire.filter((e) => e.method !== "OPTIONS" && !e.hop).length;
    /** @type {any[]} */
    const unsent = [];
    for (let i = actualOnWire; i < fetches.length; i++) {
      const headers = [
        { name: "Host", value: new URL(plan.url).host },
        ...plan.init.headers.map(([name, value]) => ({ name, value })),
        { name: "Origin", value: meta.pageOrigin },
      ];
      unsent.push({
        startedDateTime: new Date(wire[wire.length - 1]?.time ?? Date.now()).toISOString(),
        time: 0,
        request: {
          bodySize: plan.init.body ? Buffer.byteLength(plan.init.body) : 0,
          method: plan.init.method,
          url: plan.url,
          httpVersion: "HTTP/1.1",
          headers,
          cookies: [],
          queryString: [...new URL(plan.url).searchParams].map(([name, value]) => ({ name, value })),
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
    // Firefox's netmonitor lists the actual request before its preflight (the channel opens first, the
    // preflight is started from it); the server only sees OPTIONS first. Restore the browser's order.
    for (let i = 0; i < local.length; i++) {
      if (local[i].request.method !== "OPTIONS") continue;
      const j = local.findIndex((x, k) => k > i && x.request.method !== "OPTIONS" && x.request.url === local[i].request.url);
      if (j > i) {
        const [actual] = local.splice(j, 1);
        actual.startedDateTime = local[i].startedDateTime;
        local.splice(i, 0, actual);
        i++;
      } else {
        const u = unsent.findIndex((x) => x.request.url === local[i].request.url);
        if (u >= 0) {
          const [actual] = unsent.splice(u, 1);
          actual.startedDateTime = local[i].startedDateTime;
          local.splice(i, 0, actual);
          i++;
        }
      }
    }
    entries.push(...local, ...unsent);
  }
  return {
    log: {
      version: "1.2",
      creator: { name: "Firefox", version: meta.version },
      browser: { name: "Firefox", version: meta.version },
      pages: [
        {
          startedDateTime: meta.pageStarted.toISOString(),
          id: "page_1",
          title: meta.pageUrl,
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        },
      ],
      entries,
      comment:
        "Reconstructed by scripts/record-matrix.mjs from the matrix server's wire log and the page's fetch results (Firefox ESR over WebDriver BiDi).",
    },
  };
}
