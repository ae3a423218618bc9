// Loads a HAR into the real DevTools of the system Firefox ESR, the way a user does: a HAR file dropped on the
// Network panel (netmonitor's DropHarHandler → HarMenuUtils.appendPreview → HarImporter, the same path as
// its "Import HAR File" menu item, which only adds a file picker). The toolbox is privileged browser UI:
// WebDriver BiDi reaches it when Firefox runs with --remote-allow-system-access ("moz:scope": "chrome").
// DevTools internals (module paths, class names, the store's shape) may change between Firefox versions:
// they stay in this file.
import puppeteer, { type Browser } from "puppeteer-core";

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export interface FirefoxImport {
  /** What the netmonitor's store holds after the import. */
  requests: Array<{
    method: string;
    url: string;
    status: number;
    requestHeaders: Array<{ name: string; value: string }>;
    responseHeaders: Array<{ name: string; value: string }>;
  }>;
  /** The text of each row of the Network panel's request list. */
  rows: string[];
}

export async function launchFirefoxWithChromeAccess(): Promise<Browser> {
  return puppeteer.launch({ browser: "firefox", executablePath: FIREFOX_PATH, headless: true, args: ["--remote-allow-system-access"] });
}

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: any }>;
}

/** Opens the toolbox's Network panel on the selected tab, drops `harText` on it, reads the panel back. */
export async function importIntoFirefoxDevTools(browser: Browser, harText: string): Promise<FirefoxImport> {
  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const tree = await connection.send("browsingContext.getTree", { "moz:scope": "chrome" });
  const window = tree.result.contexts.find((c: { url: string }) => c.url === "chrome://browser/content/browser.xhtml");
  if (!window) throw new Error("no browser window among the chrome contexts");
  const expression = `(async (harText) => {
    const { require } = ChromeUtils.importESModule("resource://devtools/shared/loader/Loader.sys.mjs");
    const { gDevTools } = require("devtools/client/framework/devtools");
    const toolbox = await gDevTools.showToolboxForTab(gBrowser.selectedTab, { toolId: "netmonitor" });
    const win = (await toolbox.selectTool("netmonitor")).panelWin;
    const doc = win.document;
    const waitFor = async (probe, what) => {
      const end = Date.now() + 20000;
      for (;;) {
        const value = probe();
        if (value) return value;
        if (Date.now() > end) throw new Error("timed out waiting for " + what);
        await new Promise((r) => win.setTimeout(r, 100));
      }
    };
    const dropZone = (await waitFor(() => doc.querySelector(".dropHarFiles"), "the HAR drop zone")).parentElement;
    const transfer = new win.DataTransfer();
    transfer.items.add(new win.File([harText], "report.har", { type: "application/json" }));
    dropZone.dispatchEvent(new win.DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: transfer }));
    const expected = JSON.parse(harText).log.entries.length;
    const listOf = () => { const r = win.store.getState().requests.requests; return Array.isArray(r) ? r : [...r.values()]; };
    await waitFor(() => listOf().length === expected && doc.querySelectorAll(".request-list-item").length > 0, expected + " imported requests");
    return JSON.stringify({
      requests: listOf().map((r) => ({ method: r.method, url: r.url, status: Number(r.status ?? 0),
        requestHeaders: r.requestHeaders?.headers ?? [], responseHeaders: r.responseHeaders?.headers ?? [] })),
      rows: [...doc.querySelectorAll(".request-list-item")].map((row) => row.textContent),
    });
  })(${JSON.stringify(harText)})`;
  const response = await connection.send("script.evaluate", {
    expression,
    target: { context: window.context },
    awaitPromise: true,
    resultOwnership: "none",
  });
  const result = response.result;
  if (result.type !== "success")
    throw new Error(`import failed in Firefox: ${JSON.stringify(result.exceptionDetails ?? result).slice(0, 500)}`);
  return JSON.parse(result.result.value) as FirefoxImport;
}
