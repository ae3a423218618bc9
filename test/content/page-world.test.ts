// The page-side observer (dist/<browser>/page-world.js, as built) in real Chromium and Firefox ESR: what it
// reports for each way a page's request can end, and that the page's own fetch/XHR behave exactly as before.
// The script is loaded by the page itself here; the extension injects the same file into armed tabs.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { chromium } from "playwright-core";
import puppeteer from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../scripts/lib/chromium.mjs";
import { refusedPort } from "../support/refused-port.mjs";

const ROOT = join(import.meta.dirname, "..", "..");

interface Servers {
  page: string;
  api: string;
  closed: string;
  close(): Promise<void>;
}

async function listen(server: http.Server, host: string): Promise<number> {
  await new Promise<void>((r) => server.listen(0, host, r));
  return (server.address() as AddressInfo).port;
}

async function startServers(browser: "chrome" | "firefox"): Promise<Servers> {
  const script = readFileSync(join(ROOT, "dist", browser, "page-world.js"), "utf8");
  const api = http.createServer((req, res) => {
    const origin = req.headers.origin ?? "*";
    if (req.url?.startsWith("/ok")) {
      res.writeHead(200, {
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        "x-total-count": "42",
        "content-type": "text/plain",
      });
      res.end("ok");
    } else if (req.url?.startsWith("/slow")) {
      setTimeout(() => res.writeHead(200, { "access-control-allow-origin": "*" }).end("late"), 3_000);
    } else {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("no cors headers");
    }
  });
  const apiPort = await listen(api, "127.0.0.1");
  const apiOrigin = `http://localhost:${apiPort}`;
  const page = http.createServer((req, res) => {
    if (req.url === "/page-world.js") return res.writeHead(200, { "content-type": "text/javascript" }).end(script);
    const headers: Record<string, string> = { "content-type": "text/html" };
    if (req.url?.startsWith("/csp")) headers["content-security-policy"] = "connect-src 'self'";
    res.writeHead(200, headers);
    res.end(
      `<!doctype html><script>window.__reports=[];addEventListener("cors-doctor:page-report",e=>{for(const r of e.detail.split("\\n"))__reports.push(JSON.parse(r))})</script><script src="/page-world.js"></script><title>p</title>`,
    );
  });
  const pagePort = await listen(page, "127.0.0.1");
  const closedPort = await refusedPort(); // connection refused
  return {
    page: `http://127.0.0.1:${pagePort}`,
    api: apiOrigin,
    closed: `http://127.0.0.1:${closedPort}`,
    close: async () => {
      api.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => page.close(r))]);
    },
  };
}

/** Runs in the page: every way a request can end, then waits for the reports to settle. */
const SCENARIO = `async ({ api, closed }) => {
  const outcome = (p) => p.then((r) => ({ ok: true, status: r.status, type: r.type }), (e) => ({ ok: false, name: e.name }));
  const seen = {};
  const r = await fetch(api + "/ok?read");
  seen.read = { total: r.headers.get("X-Total-Count"), type: r.headers.get("content-type") };
  seen.noCors = await outcome(fetch(api + "/ok?opaque", { mode: "no-cors" }));
  seen.refused = await outcome(fetch(closed + "/x"));
  seen.blocked = await outcome(fetch(api + "/plain", { credentials: "include" }));
  const controller = new AbortController();
  const slow = outcome(fetch(api + "/slow", { signal: controller.signal }));
  setTimeout(() => controller.abort(), 50);
  seen.aborted = await slow;
  seen.xhr = await new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open("GET", api + "/plain?xhr");
    x.withCredentials = true;
    x.onloadend = () => resolve({ status: x.status });
    x.send();
  });
  await new Promise((r) => setTimeout(r, 400));
  return { seen, reports: window.__reports };
}`;

const CSP_SCENARIO = `async ({ api }) => {
  const result = await fetch(api + "/ok?csp").then(() => "ok", (e) => e.name);
  await new Promise((r) => setTimeout(r, 400));
  return { result, reports: window.__reports };
}`;

/**
 * Runs in the page: images given a source while outside the document (a canvas loader's `new Image()`), by the
 * property and by setAttribute, each failing (a refused port); and the page's own image calls, unchanged.
 */
const IMAGES_SCENARIO = `async ({ closed }) => {
  const load = (make) => new Promise((resolve) => {
    const img = new Image();
    img.addEventListener("load", () => resolve("load"));
    img.addEventListener("error", () => resolve("error"));
    make(img);
  });
  const seen = {};
  seen.property = await load((img) => { img.crossOrigin = "anonymous"; img.src = closed + "/img?property"; });
  seen.setAttribute = await load((img) => { img.crossOrigin = "anonymous"; img.setAttribute("SRC", closed + "/img?attribute"); });
  seen.srcset = await load((img) => { img.setAttribute("crossorigin", ""); img.srcset = closed + "/img?srcset 1x"; });
  seen.plain = await load((img) => img.setAttribute("src", closed + "/img?plain"));
  const probe = new Image();
  seen.missingArgument = (() => { try { probe.setAttribute("src"); return "no error"; } catch (e) { return e.name; } })();
  probe.setAttribute("src", "/here.png");
  seen.attribute = probe.getAttribute("src");
  const div = document.createElement("div");
  div.setAttribute("data-x", "1");
  seen.div = div.dataset.x;
  await new Promise((r) => setTimeout(r, 400));
  return { seen, reports: window.__reports };
}`;

/**
 * Runs in the page: 20 cross-origin fetches at once and two of the page's own origin (plain, and by a URL whose path
 * holds an "@"); counts the DOM events the reports came in.
 */
const BATCH_SCENARIO = `async ({ api }) => {
  let events = 0;
  addEventListener("cors-doctor:page-report", () => events++);
  await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(api + "/ok?batch" + i).then((r) => r.text())));
  await fetch("/same?origin").then((r) => r.text());
  await fetch(location.origin + "/a@b/same").then((r) => r.text());
  await new Promise((r) => setTimeout(r, 400));
  return { events, reports: window.__reports };
}`;

interface Driver {
  run(url: string, script: string, arg: object): Promise<any>;
  close(): Promise<void>;
}

async function chromiumDriver(): Promise<Driver> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage();
  return {
    async run(url, script, arg) {
      await page.goto(url, { timeout: 15_000 });
      return page.evaluate(`(${script})(${JSON.stringify(arg)})`);
    },
    close: () => browser.close(),
  };
}

async function firefoxDriver(): Promise<Driver> {
  const browser = await puppeteer.launch({ browser: "firefox", executablePath: "/usr/bin/firefox-esr", headless: true });
  const page = await browser.newPage();
  return {
    async run(url, script, arg) {
      await page.goto(url, { timeout: 15_000 });
      return page.evaluate(`(${script})(${JSON.stringify(arg)})`);
    },
    close: () => browser.close(),
  };
}

for (const name of ["chrome", "firefox"] as const) {
  describe(`page-world observer in ${name === "chrome" ? "Chromium" : "Firefox ESR"}`, () => {
    let servers: Servers;
    let driver: Driver;
    beforeAll(async () => {
      servers = await startServers(name);
      driver = name === "chrome" ? await chromiumDriver() : await firefoxDriver();
    }, 60_000);
    afterAll(async () => {
      await driver?.close();
      await servers?.close();
    });

    it("reports mode, credentials and how each request ended; the page sees exactly what it would without it", async () => {
      const { seen, reports } = await driver.run(`${servers.page}/page.html`, SCENARIO, { api: servers.api, closed: servers.closed });
      // The page's own view is untouched.
      expect(seen.read).toEqual({ total: null, type: "text/plain" });
      expect(seen.noCors).toEqual({ ok: true, status: 0, type: "opaque" });
      expect(seen.refused).toEqual({ ok: false, name: "TypeError" });
      expect(seen.blocked).toEqual({ ok: false, name: "TypeError" });
      expect(seen.aborted).toEqual({ ok: false, name: "AbortError" });
      expect(seen.xhr).toEqual({ status: 0 });

      const byUrl = (suffix: string, kind = "fetch") => reports.filter((r: any) => r.kind === kind && r.url.endsWith(suffix));
      expect(byUrl("/ok?read")).toMatchObject([
        { method: "GET", mode: "cors", credentials: "same-origin", outcome: "response", status: 200, responseType: "cors" },
      ]);
      // The page asked for a header the server did not expose (content-type is safelisted: not reported).
      expect(byUrl("/ok?read", "header-read")).toMatchObject([{ readHeaders: ["x-total-count"] }]);
      expect(byUrl("/ok?opaque")).toMatchObject([{ mode: "no-cors", outcome: "response", status: 0, responseType: "opaque" }]);
      expect(byUrl("/x")).toMatchObject([{ outcome: "network-error" }]);
      expect(byUrl("/plain")).toMatchObject([{ credentials: "include", outcome: "network-error" }]);
      expect(byUrl("/slow")).toMatchObject([{ outcome: "aborted" }]);
      expect(byUrl("/plain?xhr", "xhr")).toMatchObject([{ method: "GET", credentials: "include", outcome: "network-error" }]);
    }, 60_000);

    it("hears a CORS-mode image given its source outside the document, by property or setAttribute, and changes nothing for the page", async () => {
      const { seen, reports } = await driver.run(`${servers.page}/page.html`, IMAGES_SCENARIO, { closed: servers.closed });
      expect(seen).toEqual({
        property: "error",
        setAttribute: "error",
        srcset: "error",
        plain: "error",
        missingArgument: "TypeError",
        attribute: "/here.png",
        div: "1",
      });
      const elements = reports.filter((r: any) => r.kind === "element").map((r: any) => [r.tag, r.mode, r.url.split("?")[1]]);
      // A plain (no-cors) image is not CORS's business: not reported. Each event is reported once.
      expect(elements.sort()).toEqual([
        ["img", "cors", "attribute"],
        ["img", "cors", "property"],
        ["img", "cors", "srcset"],
      ]);
    }, 60_000);

    it("sends a busy page's reports in batches, each report once, and none for the page's own origin", async () => {
      const { events, reports } = await driver.run(`${servers.page}/page.html`, BATCH_SCENARIO, { api: servers.api });
      const batch = reports.filter((r: any) => r.kind === "fetch" && /\?batch\d+$/.test(r.url));
      expect(batch.map((r: any) => r.url.split("?")[1]).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `batch${i}`).sort());
      expect(batch.every((r: any) => r.outcome === "response" && r.status === 200)).toBe(true);
      // Same origin, also when the path holds an "@" (the origin is read from the URL's text up to its path).
      expect(reports.filter((r: any) => r.url.includes("/same"))).toEqual([]);
      // Twenty responses within a few milliseconds: far fewer events than reports (one per report before).
      expect(events).toBeLessThan(10);
    }, 60_000);

    it("reports the page's CSP connect-src block with the blocked URL", async () => {
      const { result, reports } = await driver.run(`${servers.page}/csp.html`, CSP_SCENARIO, { api: servers.api });
      expect(result).toBe("TypeError");
      const csp = reports.filter((r: any) => r.kind === "csp");
      expect(csp).toHaveLength(1);
      expect(csp[0].directive).toBe("connect-src");
      // Browsers report the full URL or, for some cross-origin cases, only the origin.
      expect(`${servers.api}/ok?csp`.startsWith(csp[0].url)).toBe(true);
      expect(reports.filter((r: any) => r.kind === "fetch")).toMatchObject([{ outcome: "network-error" }]);
    }, 60_000);
  });
}
