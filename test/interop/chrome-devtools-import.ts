// Loads a HAR into the real DevTools of the system Chromium, the way its Network panel's "Import HAR file"
// (or a drop on the panel) does: NetworkLogView.onLoadFromFile(File) parses it with DevTools' own HARRoot
// and HAR importer and adds the requests to the network log that the panel lists. DevTools internals
// (module paths, the panel's field name) may change between Chromium versions: they stay in this file.
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";

export interface DevToolsRequest {
  method: string;
  url: string;
  status: number;
  requestHeaders: Array<{ name: string; value: string }>;
  responseHeaders: Array<{ name: string; value: string }>;
}

export interface DevToolsImport {
  /** What DevTools' network log holds after the import. */
  requests: DevToolsRequest[];
  /** The Network panel table's rows (its data grid's nodes): the URL each one lists. */
  listed: string[];
  /** The text of the rows the table has drawn (it draws only those in view). */
  rows: string[];
  /** Errors DevTools printed to its console (e.g. "Failed to load HAR file …"). */
  consoleErrors: string[];
}

export async function launchForDevTools(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    pipe: true,
    handleDevToolsAsPage: true,
    args: [...CHROMIUM_ARGS],
  });
}

async function evaluateWhenReady(devtools: Page, script: string, timeoutMs = 60_000): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await devtools.evaluate(script);
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Opens DevTools on a fresh tab, shows the Network panel, imports `harText` as a file, reads the result. */
export async function importIntoChromeDevTools(browser: Browser, harText: string): Promise<DevToolsImport> {
  const page = await browser.newPage();
  try {
    await page.goto("about:blank");
    const devtools = await page.openDevTools();
    // Strings, not functions: the test runner would rewrite a dynamic import() in a function's source.
    await evaluateWhenReady(
      devtools,
      `(async () => { const UI = await import("./ui/legacy/legacy.js"); await UI.InspectorView.InspectorView.instance().showPanel("network"); })()`,
    );
    const requests = (await devtools.evaluate(`(async (text) => {
      const Network = await import("./panels/network/network.js");
      const Logs = await import("./models/logs/logs.js");
      const Common = await import("./core/common/common.js");
      globalThis.__harImportErrors = [];
      const added = Common.Console.Events.MESSAGE_ADDED ?? Common.Console.Events.MessageAdded;
      Common.Console.Console.instance().addEventListener(added, (e) => {
        if (e.data.level === "error") globalThis.__harImportErrors.push(e.data.text);
      });
      await Network.NetworkPanel.NetworkPanel.instance().networkLogView.onLoadFromFile(new File([text], "report.har"));
      return Logs.NetworkLog.NetworkLog.instance().requests().map((r) => ({
        method: r.requestMethod, url: r.url(), status: r.statusCode,
        requestHeaders: r.requestHeaders().map((h) => ({ name: h.name, value: h.value })),
        responseHeaders: r.responseHeaders.map((h) => ({ name: h.name, value: h.value })),
      }));
    })(${JSON.stringify(harText)})`)) as DevToolsRequest[];
    // The panel's table renders on its next refresh: wait (bounded) until it shows as many rows.
    const rowsScript = `(() => { const out = []; const walk = (n) => { if (!n) return; if (n.shadowRoot) walk(n.shadowRoot); for (const c of n.children || []) walk(c);
      if (n.matches && n.matches("tr.data-grid-data-grid-node")) out.push(n.innerText.replace(/\\s+/g, " ").trim()); }; walk(document.body); return out; })()`;
    const listedScript = `(async () => { const Network = await import("./panels/network/network.js");
      return Network.NetworkPanel.NetworkPanel.instance().networkLogView.flatNodesList().map((n) => n.request()?.url()).filter(Boolean); })()`;
    let rows: string[] = [];
    let listed: string[] = [];
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      listed = (await devtools.evaluate(listedScript)) as string[];
      rows = (await devtools.evaluate(rowsScript)) as string[];
      if (listed.length >= requests.length && rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const consoleErrors = (await devtools.evaluate("globalThis.__harImportErrors")) as string[];
    return { requests, listed, rows, consoleErrors };
  } finally {
    await page.close();
  }
}
