// Record scenarios in headless Chromium (playwright-core, no extension) with CDP as the witness:
// Network.* gives the real request headers (Origin, Cookie), the raw response header text (duplicate lines
// kept), preflights (initiator.type "preflight") and, on failure, corsErrorStatus; Log.entryAdded gives
// the console line. The result is a HAR in the style of Chrome DevTools' export plus per-scenario verdicts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startMatrixServer } from "./server.mjs";
import { planFor, runPlanInPage, newRunTag, SCENARIO_URL_RE } from "./plan.mjs";
import { CHROMIUM_ARGS } from "../../scripts/lib/chromium.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./plan.mjs").FetchOutcome} FetchOutcome */

export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * @typedef {object} ChromiumFetchVerdict
 * @property {boolean} blocked
 * @property {string} [errorText]
 * @property {string} [corsError]
 * @property {string} [failedParameter]
 * @property {string} [pageError]
 * @property {number} [status]
 * @property {string} [responseType]
 */
/**
 * @typedef {ChromiumFetchVerdict & {
 *   console?: string, credentials: string, cookieSent: boolean, fetches: number, preflights: number,
 *   requests: string[], perFetch?: ChromiumFetchVerdict[]
 * }} ChromiumVerdict
 */

/**
 * @param {{ scenarios: Scenario[], onProgress?: (done: number, total: number) => void }} options
 * @returns {Promise<{ har: any, verdicts: { browser: string, version: string, recordedAt: string, scenarios: Record<string, ChromiumVerdict> } }>}
 */
export async function recordChromium({ scenarios, onProgress }) {
  const server = await startMatrixServer();
  // The API (localhost) is another site than the page (127.0.0.1), so its cookie is a third-party cookie.
  // Headless Chromium blocks those ("UserPreferences" in associatedCookies) — in a Playwright incognito
  // context always, in a fresh profile unless the profile's preferences allow them.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cors-matrix-chromium-"));
  fs.mkdirSync(path.join(profile, "Default"));
  fs.writeFileSync(
    path.join(profile, "Default", "Preferences"),
    JSON.stringify({
      profile: { cookie_controls_mode: 0, block_third_party_cookies: false, default_content_setting_values: { cookies: 1 } },
    }),
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  const browser = context.browser();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    /** @type {{ method: string, params: any }[]} */
    const events = [];
    for (const method of [
      "Network.requestWillBeSent",
      "Network.requestWillBeSentExtraInfo",
      "Network.responseReceived",
      "Network.responseReceivedExtraInfo",
      "Network.loadingFinished",
      "Network.loadingFailed",
      "Log.entryAdded",
    ]) {
      cdp.on(/** @type {any} */ (method), (/** @type {any} */ params) => {
        events.push({ method, params });
      });
    }
    await cdp.send("Network.enable");
    await cdp.send("Log.enable");
    // A cookie for both API host names, so that credentials: 'include' has something to send. SameSite=None
    // needs Secure; Chromium treats http://localhost and http://127.0.0.1 as potentially trustworthy.
    const cookieResults = [];
    for (const origin of [server.apiOrigins.localhost, server.apiOrigins.ip]) {
      const r = await cdp.send("Network.setCookie", { name: "matrix", value: "1", url: origin, path: "/", secure: true, sameSite: "None" });
      cookieResults.push(r.success);
    }
    const pageStarted = new Date();
    await page.goto(server.pageUrl);
    const version = browser?.version() ?? String(await page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? ""));
    const runTag = newRunTag();
    /** @type {Map<string, FetchOutcome[]>} */
    const outcomes = new Map();
    let done = 0;
    for (const scenario of scenarios) {
      const plan = planFor(scenario, server.apiOrigins, runTag);
      outcomes.set(scenario.id, await page.evaluate(runPlanInPage, plan));
      onProgress?.(++done, scenarios.length);
    }
    // Let the last loadingFailed / console events arrive.
    await new Promise((r) => setTimeout(r, 500));
    const har = buildChromiumHar(events, { pageUrl: server.pageUrl, pageStarted, version });
    const verdicts = buildChromiumVerdicts(scenarios, outcomes, events, server.log, { version });
    verdicts.cookieSetup = cookieResults;
    return { har, verdicts };
  } finally {
    await context.close().catch(() => {});
    await server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** @param {string} url */
function scenarioOf(url) {
  const m = SCENARIO_URL_RE.exec(url ?? "");
  return m ? m[1] : null;
}

/**
 * Split a CDP header object; Chromium joins repeated request headers with "\n".
 * @param {Record<string,string> | undefined} obj
 */
function headerList(obj) {
  /** @type {{ name: string, value: string }[]} */
  const out = [];
  for (const [name, value] of Object.entries(obj ?? {})) for (const v of String(value).split("\n")) out.push({ name, value: v });
  return out;
}

/**
 * Raw response header text → ordered header list, duplicate lines kept.
 * @param {string} text
 */
function parseHeadersText(text) {
  const lines = text.split(/\r\n/);
  const statusLine = lines.shift() ?? "";
  /** @type {{ name: string, value: string }[]} */
  const headers = [];
  for (const line of lines) {
    if (!line) continue;
    const i = line.indexOf(":");
    if (i <= 0) continue;
    headers.push({ name: line.slice(0, i), value: line.slice(i + 1).trim() });
  }
  const m = /^HTTP\/(\S+)\s+(\d+)\s*(.*)$/.exec(statusLine);
  return { headers, httpVersion: m ? `HTTP/${m[1]}` : "HTTP/1.1", statusText: m ? m[3] : "" };
}

/** @param {string} url */
function queryString(url) {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/**
 * Build a HAR in the shape of Chrome DevTools' "Export HAR" (HARWriter): one entry per request and per
 * redirect hop, preflights with _resourceType "preflight", failures with response._error.
 * @param {{ method: string, params: any }[]} events
 * @param {{ pageUrl: string, pageStarted: Date, version: string }} meta
 */
export function buildChromiumHar(events, meta) {
  /** @type {Map<string, any[]>} */
  const hops = new Map(); // requestId → hop records (one per URL in a redirect chain)
  /** @type {Map<string, any[]>} */
  const reqExtra = new Map();
  /** @type {Map<string, any[]>} */
  const resExtra = new Map();
  /** @type {Map<string, any>} */
  const final = new Map(); // requestId → { response?, finished?, failed? }
  /** @type {string[]} */
  const order = [];
  const push = (/** @type {Map<string, any[]>} */ m, /** @type {string} */ k, /** @type {any} */ v) => {
    if (!m.has(k)) m.set(k, []);
    m.get(k)?.push(v);
  };
  for (const { method, params } of events) {
    const id = params.requestId;
    switch (method) {
      case "Network.requestWillBeSent": {
        if (!scenarioOf(params.request.url)) break;
        const list = hops.get(id);
        if (list && params.redirectResponse) list[list.length - 1].redirectResponse = params.redirectResponse;
        if (!list) order.push(id);
        push(hops, id, { rwbs: params, redirectResponse: null });
        break;
      }
      case "Network.requestWillBeSentExtraInfo":
        push(reqExtra, id, params);
        break;
      case "Network.responseReceivedExtraInfo":
        push(resExtra, id, params);
        break;
      case "Network.responseReceived":
        (final.get(id) ?? final.set(id, {}).get(id)).response = params;
        break;
      case "Network.loadingFinished":
        (final.get(id) ?? final.set(id, {}).get(id)).finished = params;
        break;
      case "Network.loadingFailed":
        (final.get(id) ?? final.set(id, {}).get(id)).failed = params;
        break;
    }
  }
  const entries = [];
  for (const id of order) {
    const list = hops.get(id) ?? [];
    const rq = reqExtra.get(id) ?? [];
    const rs = resExtra.get(id) ?? [];
    const fin = final.get(id) ?? {};
    list.forEach((hop, i) => {
      const p = hop.rwbs;
      const isLast = i === list.length - 1;
      const extraReq = rq[i];
      const extraRes = rs[i];
      const response = isLast ? fin.response?.response : hop.redirectResponse;
      const parsed = extraRes?.headersText ? parseHeadersText(extraRes.headersText) : null;
      const status = extraRes?.statusCode ?? response?.status ?? 0;
      const reqHeaders = extraReq ? headerList(extraReq.headers) : headerList(p.request.headers);
      const endTs = isLast ? (fin.finished?.timestamp ?? fin.failed?.timestamp ?? p.timestamp) : list[i + 1].rwbs.timestamp;
      const time = Math.max(0, (endTs - p.timestamp) * 1000);
      const isPreflight = p.initiator?.type === "preflight";
      const resHeaders = parsed ? parsed.headers : headerList(response?.headers);
      const location = resHeaders.find((h) => h.name.toLowerCase() === "location")?.value ?? "";
      /** @type {any} */
      const entry = {
        _connectionId: response?.connectionId != null ? String(response.connectionId) : "",
        _initiator: p.initiator,
        _priority: p.request.initialPriority ?? "High",
        _resourceType: isPreflight ? "preflight" : String(p.type ?? "Fetch").toLowerCase(),
        cache: {},
        connection: response?.connectionId != null ? String(response.connectionId) : undefined,
        pageref: "page_1",
        request: {
          method: p.request.method,
          url: p.request.url,
          httpVersion: parsed?.httpVersion ?? "HTTP/1.1",
          headers: reqHeaders,
          queryString: queryString(p.request.url),
          cookies: cookiesFrom(reqHeaders),
          headersSize: -1,
          bodySize: p.request.postData ? Buffer.byteLength(p.request.postData) : 0,
          ...(p.request.postData !== undefined
            ? { postData: { mimeType: p.request.headers?.["Content-Type"] ?? "", text: p.request.postData } }
            : {}),
        },
        response: {
          status: status,
          statusText: parsed?.statusText ?? response?.statusText ?? "",
          httpVersion: parsed?.httpVersion ?? "",
          headers: resHeaders,
          cookies: [],
          content: { size: isLast ? (fin.finished?.encodedDataLength ?? 0) : 0, mimeType: response?.mimeType ?? "" },
          redirectURL: isLast ? "" : list[i + 1].rwbs.request.url || location,
          headersSize: extraRes?.headersText ? extraRes.headersText.length : -1,
          bodySize: -1,
          _transferSize: isLast ? (fin.finished?.encodedDataLength ?? 0) : 0,
          ...(isLast && fin.failed ? { _error: fin.failed.errorText } : {}),
        },
        serverIPAddress: response?.remoteIPAddress ? response.remoteIPAddress.replace(/^\[|\]$/g, "") : "",
        startedDateTime: new Date((p.wallTime ?? Date.now() / 1000) * 1000).toISOString(),
        time,
        timings: { blocked: -1, dns: -1, ssl: -1, connect: -1, send: 0, wait: time, receive: 0, _blocked_queueing: -1 },
      };
      if (entry.connection === undefined) delete entry.connection;
      entries.push(entry);
    });
  }
  entries.sort((a, b) => a.startedDateTime.localeCompare(b.startedDateTime));
  return {
    log: {
      version: "1.2",
      creator: { name: "WebInspector", version: "537.36" },
      pages: [
        {
          startedDateTime: meta.pageStarted.toISOString(),
          id: "page_1",
          title: meta.pageUrl,
          pageTimings: { onContentLoad: -1, onLoad: -1 },
        },
      ],
      entries,
      _recordedWith: { browser: "chromium", version: meta.version, tool: "scripts/record-matrix.mjs" },
    },
  };
}

/** @param {{ name: string, value: string }[]} headers */
function cookiesFrom(headers) {
  const c = headers.find((h) => h.name.toLowerCase() === "cookie");
  if (!c) return [];
  return c.value
    .split(/;\s*/)
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf("=");
      return { name: i < 0 ? kv : kv.slice(0, i), value: i < 0 ? "" : kv.slice(i + 1) };
    });
}

/**
 * @param {Scenario[]} scenarios
 * @param {Map<string, FetchOutcome[]>} outcomes
 * @param {{ method: string, params: any }[]} events
 * @param {import("./server.mjs").ServerLogEntry[]} serverLog
 * @param {{ version: string }} meta
 */
export function buildChromiumVerdicts(scenarios, outcomes, events, serverLog, meta) {
  /** @type {Map<string, string[]>} */
  const actualIds = new Map(); // scenario → non-preflight requestIds in order
  /** @type {Map<string, any>} */
  const failed = new Map();
  /** @type {{ text: string, networkRequestId?: string }[]} */
  const consoleLines = [];
  /** @type {Map<string, string>} */
  const idToScenario = new Map();
  for (const { method, params } of events) {
    if (method === "Network.requestWillBeSent" && !params.redirectResponse) {
      const sid = scenarioOf(params.request.url);
      if (!sid) continue;
      idToScenario.set(params.requestId, sid);
      if (params.initiator?.type === "preflight") continue;
      if (!actualIds.has(sid)) actualIds.set(sid, []);
      actualIds.get(sid)?.push(params.requestId);
    } else if (method === "Network.loadingFailed") {
      failed.set(params.requestId, params);
    } else if (method === "Log.entryAdded") {
      consoleLines.push({ text: params.entry.text, networkRequestId: params.entry.networkRequestId });
    }
  }
  /** @type {Record<string, ChromiumVerdict>} */
  const out = {};
  for (const scenario of scenarios) {
    const fetches = outcomes.get(scenario.id) ?? [];
    const ids = actualIds.get(scenario.id) ?? [];
    const perFetch = fetches.map((o, i) => {
      /** @type {ChromiumFetchVerdict} */
      const v = { blocked: !o.ok };
      const f = ids[i] ? failed.get(ids[i]) : undefined;
      if (f) {
        v.errorText = f.errorText;
        if (f.corsErrorStatus) {
          v.corsError = f.corsErrorStatus.corsError;
          v.failedParameter = f.corsErrorStatus.failedParameter;
        }
      }
      if (o.ok) {
        v.status = o.status;
        v.responseType = o.type;
      } else v.pageError = o.error;
      return v;
    });
    const wire = serverLog.filter((e) => e.scenario === scenario.id);
    const consoleFor = consoleLines.filter(
      (l) => (l.networkRequestId && idToScenario.get(l.networkRequestId) === scenario.id) || scenarioOf(l.text) === scenario.id,
    );
    const corsLine = consoleFor.find((l) => l.text.includes("CORS policy")) ?? consoleFor[0];
    /** @type {ChromiumVerdict} */
    const v = {
      ...(perFetch[0] ?? { blocked: true, pageError: "no fetch result" }),
      ...(corsLine ? { console: corsLine.text } : {}),
      credentials: scenario.request.credentials,
      cookieSent: wire.some((e) => e.method !== "OPTIONS" && e.rawHeaders.some((h, i) => i % 2 === 0 && h.toLowerCase() === "cookie")),
      fetches: fetches.length,
      preflights: wire.filter((e) => e.method === "OPTIONS").length,
      requests: wire.map((e) => `${e.method} ${e.hop ? "hop" : "start"}${e.host.startsWith("127.0.0.1") ? "@ip" : ""}`),
    };
    if (fetches.length > 1) v.perFetch = perFetch;
    out[scenario.id] = v;
  }
  return {
    browser: "chromium",
    version: meta.version,
    recordedAt: new Date().toISOString(),
    scenarios: out,
    cookieSetup: /** @type {boolean[]} */ ([]),
  };
}
