// Throw-away extensions that isolate what Chromium's webRequest costs, one mechanism each, so the arming
// design is chosen by numbers (issue 16): the permission alone, an optional permission never granted,
// error-only listeners, the seven listeners filtered to another tab, and the seven listeners doing nothing.
// Written to a temporary directory at run time; each is a few lines of background script.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The seven events CORS Doctor listens to, with what each asks for (src/background/listeners.ts). */
const SEVEN = `[
  ["onBeforeRequest", []], ["onSendHeaders", ["requestHeaders", "extraHeaders"]],
  ["onHeadersReceived", ["responseHeaders", "extraHeaders"]], ["onBeforeRedirect", ["responseHeaders", "extraHeaders"]],
  ["onResponseStarted", ["extraHeaders"]], ["onCompleted", ["extraHeaders"]], ["onErrorOccurred", ["extraHeaders"]],
]`;

const noop = "() => {}";

/** Adds the seven no-op listeners with `filter` (an expression). */
const seven = (filter) => `for (const [name, spec] of ${SEVEN}) chrome.webRequest[name].addListener(${noop}, ${filter}, spec);`;

/**
 * Arms like CORS Doctor: when a tab loads the bench page (its URL contains `armPath`), the seven listeners are
 * added for that tab only (filter tabId). The page waits for `window.__armed` nowhere: the bench warms up first.
 */
const armOnPage = (armPath, types) => `
const armed = new Set();
chrome.webRequest.onBeforeRequest.addListener((d) => {
  if (!d.url.includes(${JSON.stringify(armPath)}) || armed.has(d.tabId)) return;
  armed.add(d.tabId);
  ${seven(`{ urls: ["<all_urls>"], tabId: d.tabId${types ? `, types: ${JSON.stringify(types)}` : ""} }`)}
}, { urls: ["<all_urls>"], types: ["main_frame"] });`;

/** CORS Doctor's capture types in Chromium (src/background/listeners.ts FULL_CAPTURE_TYPES; test/bench/floors.test.ts). */
export const CD_TYPES = ["main_frame", "xmlhttprequest", "font", "ping", "other"];
/** CORS Doctor's seven listeners with its options: "extraHeaders" wherever Chromium takes it. */
const CD_SEVEN = `[
  ["onBeforeRequest", ["extraHeaders"]], ["onSendHeaders", ["requestHeaders", "extraHeaders"]],
  ["onHeadersReceived", ["responseHeaders", "extraHeaders"]], ["onBeforeRedirect", ["responseHeaders", "extraHeaders"]],
  ["onResponseStarted", ["extraHeaders"]], ["onCompleted", ["extraHeaders"]], ["onErrorOccurred", ["extraHeaders"]],
]`;

/**
 * The floor of the armed measures: CORS Doctor's listeners exactly (the light ones always on; the seven with its
 * types filter added for a tab when its main frame loads a page of 127.0.0.1, as the default site list arms it),
 * each doing nothing.
 */
const CD_FLOOR = `
const armed = new Set();
chrome.webRequest.onBeforeRequest.addListener((d) => {
  if (!d.url.startsWith("http://127.0.0.1:") || armed.has(d.tabId)) return;
  armed.add(d.tabId);
  for (const [name, spec] of ${CD_SEVEN})
    chrome.webRequest[name].addListener(${noop}, { urls: ["<all_urls>"], tabId: d.tabId, types: ${JSON.stringify(CD_TYPES)} }, spec);
}, { urls: ["<all_urls>"], types: ["main_frame"] });
chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] });`;

/** CD_FLOOR with fewer events per request: `names` are the capture events kept (the light listeners unchanged). */
const cdFloorWith = (names) => `
const armed = new Set();
chrome.webRequest.onBeforeRequest.addListener((d) => {
  if (!d.url.startsWith("http://127.0.0.1:") || armed.has(d.tabId)) return;
  armed.add(d.tabId);
  for (const [name, spec] of ${CD_SEVEN}.filter(([name]) => ${JSON.stringify(names)}.includes(name)))
    chrome.webRequest[name].addListener(${noop}, { urls: ["<all_urls>"], tabId: d.tabId, types: ${JSON.stringify(CD_TYPES)} }, spec);
}, { urls: ["<all_urls>"], types: ["main_frame"] });
chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] });`;

/** The add-on id of every Firefox variant: the launcher checks it is what Firefox installed (firefox.mjs). */
export const FIREFOX_VARIANT_ID = "cors-doctor-bench-variant@bench.invalid";

/** The path the Firefox floor reports an armed tab on, once its listeners saw FLOOR_PROOF_EVENTS of the tab's requests end. */
export const FLOOR_PROOF_PATH = "/floor-seen";
const FLOOR_PROOF_EVENTS = 20;

/**
 * The Firefox floor: CORS Doctor's listeners in Firefox (src/background/listeners.ts: the same seven events, no
 * "extraHeaders" and no types filter, since Firefox follows every type in an armed tab; the light ones always on),
 * armed for a tab when its main frame loads a page of 127.0.0.1, each doing nothing. Each listener is a function of its
 * own, as CORS Doctor's are: Firefox ignores an addListener of a function already listening, whatever the filter, so
 * one shared no-op followed only the first tab armed (every later run measured no listener at all; found in this
 * session's runs, where the floor cost as much as CORS Doctor in its first run and nothing after). Its runs prove it:
 * once the tab's completed requests reach FLOOR_PROOF_EVENTS, the floor asks the page's server for FLOOR_PROOF_PATH
 * (one request per tab, from the background, during the warm-up), and the bench checks the server saw it.
 * It keeps its event page running from the start (an API call every 0.7 s, the test build's keep-alive pace; the
 * bench runs that build), as CORS Doctor's page runs while it records: Firefox resets a running event page's idle
 * timer on every event it delivers, which a suspended page does not pay.
 */
const CD_FLOOR_FIREFOX = `
const armed = new Set();
const completed = new Map();
browser.webRequest.onBeforeRequest.addListener((d) => {
  if (!d.url.startsWith("http://127.0.0.1:") || armed.has(d.tabId)) return;
  const tabId = d.tabId;
  const proof = new URL(d.url).origin + ${JSON.stringify(FLOOR_PROOF_PATH)} + "?tab=" + tabId;
  armed.add(tabId);
  for (const [name, spec] of [["onBeforeRequest", []], ["onSendHeaders", ["requestHeaders"]], ["onHeadersReceived", ["responseHeaders"]],
    ["onBeforeRedirect", ["responseHeaders"]], ["onResponseStarted", []], ["onCompleted", []], ["onErrorOccurred", []]]) {
    const listener = name !== "onCompleted" ? () => {} : () => {
      const n = (completed.get(tabId) ?? 0) + 1;
      completed.set(tabId, n);
      if (n === ${FLOOR_PROOF_EVENTS}) fetch(proof).catch(() => {});
    };
    browser.webRequest[name].addListener(listener, { urls: ["<all_urls>"], tabId }, spec);
  }
}, { urls: ["<all_urls>"], types: ["main_frame"] });
browser.webRequest.onErrorOccurred.addListener(() => {}, { urls: ["<all_urls>"] });
setInterval(() => browser.runtime.getPlatformInfo(), 700);`;

export const VARIANTS = {
  "CORS Doctor's listeners in Firefox, doing nothing": { permissions: ["webRequest"], background: CD_FLOOR_FIREFOX, firefox: true },
  // Would fewer events per request lower the floor? Without onBeforeRequest and onResponseStarted (SendHeaders and
  // ErrorOccurred carry a request's identity; HeadersReceived its status), and the three that carry headers only.
  "CORS Doctor's listeners, 5 events, doing nothing": {
    permissions: ["webRequest"],
    background: cdFloorWith(["onSendHeaders", "onHeadersReceived", "onBeforeRedirect", "onCompleted", "onErrorOccurred"]),
  },
  "CORS Doctor's listeners, 3 header events, doing nothing": {
    permissions: ["webRequest"],
    background: cdFloorWith(["onSendHeaders", "onHeadersReceived", "onBeforeRedirect"]),
  },
  "CORS Doctor's listeners, doing nothing": { permissions: ["webRequest"], background: CD_FLOOR },
  "permission only": { permissions: ["webRequest"], background: "" },
  "optional permission, not granted": { permissions: [], optional: ["webRequest"], background: "" },
  // Granted by a click on grant.html (grantOptional below): does granting it at run time put the proxy in place?
  "optional permission, granted at run time": { permissions: [], optional: ["webRequest"], background: "", grantPage: true },
  "main-frame listener only": {
    permissions: ["webRequest"],
    background: `chrome.webRequest.onBeforeRequest.addListener(${noop}, { urls: ["<all_urls>"], types: ["main_frame"] });`,
  },
  "error listener only": {
    permissions: ["webRequest"],
    background: `chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] });`,
  },
  "error-only listener": {
    permissions: ["webRequest"],
    background: `chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] });
chrome.webRequest.onBeforeRequest.addListener(${noop}, { urls: ["<all_urls>"], types: ["main_frame"] });`,
  },
  "error-only listener, extraHeaders": {
    permissions: ["webRequest"],
    background: `chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] }, ["extraHeaders"]);`,
  },
  "7 listeners for another tab": { permissions: ["webRequest"], background: seven(`{ urls: ["<all_urls>"], tabId: 999999 }`) },
  "7 listeners for another tab, no extraHeaders": {
    permissions: ["webRequest"],
    background: `for (const [name, spec] of ${SEVEN}) chrome.webRequest[name].addListener(${noop}, { urls: ["<all_urls>"], tabId: 999999 }, spec.filter((s) => s !== "extraHeaders"));`,
  },
  "7 listeners, all tabs": { permissions: ["webRequest"], background: seven(`{ urls: ["<all_urls>"] }`) },
  "7 listeners, this tab": { permissions: ["webRequest"], background: armOnPage("/page") },
  "7 listeners, this tab (realistic)": { permissions: ["webRequest"], background: armOnPage("/realistic") },
  "7 listeners, this tab, CORS types only (realistic)": {
    permissions: ["webRequest"],
    background: `${armOnPage("/realistic", ["xmlhttprequest", "font", "ping", "other"])}
chrome.webRequest.onErrorOccurred.addListener(${noop}, { urls: ["<all_urls>"] });`,
  },
};

/** Writes the named variant as an unpacked MV3 extension; returns { dir, dispose }. */
export function writeVariant(name) {
  const v = VARIANTS[name];
  if (!v) throw new Error(`no variant ${name}`);
  const dir = mkdtempSync(join(tmpdir(), "cors-doctor-variant-"));
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: `bench variant: ${name}`,
    version: "0.0.1",
    permissions: v.permissions,
    ...(v.optional ? { optional_permissions: v.optional } : {}),
    host_permissions: ["<all_urls>"],
    ...(v.firefox
      ? {
          background: { scripts: ["background.js"] },
          browser_specific_settings: { gecko: { id: FIREFOX_VARIANT_ID } },
        }
      : { background: { service_worker: "background.js" } }),
  };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  writeFileSync(join(dir, "background.js"), v.background);
  if (v.grantPage) {
    writeFileSync(join(dir, "grant.html"), '<!doctype html><button id="grant">grant</button><script src="grant.js"></script>');
    writeFileSync(
      join(dir, "grant.js"),
      'document.getElementById("grant").onclick = () => chrome.permissions.request({ permissions: ["webRequest"] }).then((ok) => { document.title = ok ? "granted" : "refused"; }, (e) => { document.title = "error " + e.message; });',
    );
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Grants the optional permission of a `grantPage` variant with a real click (permissions.request needs a user gesture). */
export async function grantOptional(side) {
  const page = await side.ctx.newPage();
  try {
    await page.goto(`chrome-extension://${side.extId}/grant.html`);
    await page.click("#grant");
    await page.waitForFunction(() => document.title !== "", null, { timeout: 15_000 });
    const title = await page.title();
    if (title !== "granted") throw new Error(`optional webRequest: ${title}`);
  } finally {
    await page.close();
  }
}
