#!/usr/bin/env node
// Record a real Firefox netmonitor HAR export (devtools.netmonitor.har.enableAutoExportToFile, toolbox opened with
// -devtools) of requests that got no response — refused (GET, and a PUT with its preflight), an unresolvable name,
// a fetch the page aborted while the server hung — next to a response without Access-Control-Allow-Origin and an
// allowed one. The page's own outcome of each fetch is kept in the file (`log._pageSaw`): the truth the analysis of
// test/har/firefox-failures.test.ts is checked against.
//   node scripts/record-firefox-failures-har.mjs [--out file]   (default test/fixtures/devtools/firefox-failures.har)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchFirefoxWithHarExport } from "./record-devtools-har.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outArg = process.argv.indexOf("--out");
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, "test/fixtures/devtools/firefox-failures.har"));

const listen = (/** @type {http.Server} */ server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

const pageServer = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/html" });
  res.end("<!doctype html><title>failures</title>");
});
const api = http.createServer((req, res) => {
  if (req.url?.startsWith("/hang")) return; // never answers: the page aborts it
  if (req.method === "OPTIONS") {
    res.writeHead(204, {
      "access-control-allow-origin": String(req.headers.origin),
      "access-control-allow-methods": "PUT",
      "access-control-allow-headers": "content-type",
    });
    return res.end();
  }
  if (req.url?.startsWith("/no-acao")) {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end("x");
  }
  res.writeHead(200, { "access-control-allow-origin": String(req.headers.origin ?? "*"), vary: "Origin" });
  res.end("ok");
});
const pagePort = await listen(pageServer);
const apiPort = await listen(api);
// A port that was just free: nothing listens there, so the connection is refused.
const probe = http.createServer();
const refusedPort = await listen(probe);
await new Promise((r) => probe.close(r));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-ff-failures-"));
const browser = await launchFirefoxWithHarExport(dir, "failures");
try {
  const tab = (await browser.pages())[0] ?? (await browser.newPage());
  await tab.goto(`http://127.0.0.1:${pagePort}/`);
  // HarAutomation exports once no request started for pageLoadedTimeout ms: run everything right away.
  const pageSaw = await tab.evaluate(
    async (api, refused) => {
      /** @type {Record<string, string>} */
      const saw = {};
      const run = async (/** @type {string} */ name, /** @type {() => Promise<Response>} */ f) => {
        try {
          saw[name] = `response ${(await f()).status}`;
        } catch (e) {
          saw[name] = String(e);
        }
      };
      await run("refused-get", () => fetch(`${refused}/refused-get`));
      await run("refused-put", () =>
        fetch(`${refused}/refused-put`, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" }),
      );
      await run("dns", () => fetch("http://no-such-host.invalid/dns"));
      await run("no-acao", () => fetch(`${api}/no-acao`));
      await run("allowed", () => fetch(`${api}/allowed`));
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 300);
      await run("hang-aborted", () => fetch(`${api}/hang-aborted`, { signal: abort.signal }));
      return saw;
    },
    `http://localhost:${apiPort}`,
    `http://localhost:${refusedPort}`,
  );
  let har = null;
  for (const end = Date.now() + 20_000; Date.now() < end && !har; await sleep(500)) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".har"))) {
      try {
        const h = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
        if (h.log.entries.some((/** @type {any} */ e) => e.request.url.includes("/hang-aborted"))) har = h;
      } catch {
        // still being written
      }
    }
  }
  if (!har) throw new Error(`no HAR export in ${dir} after 20 s`);
  har.log._pageSaw = pageSaw;
  har.log._recordedWith = { browser: "firefox", version: await browser.version(), tool: "scripts/record-firefox-failures-har.mjs" };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(har, null, 2)}\n`);
  console.log(`${har.log.entries.length} entries → ${path.relative(root, out)}; the page saw ${JSON.stringify(pageSaw)}`);
} finally {
  await browser.close().catch(() => {});
  pageServer.close();
  api.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
