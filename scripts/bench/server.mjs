// The loopback server the browser benches talk to. One port, two origins: the page is served from
// http://127.0.0.1:PORT and calls http://localhost:PORT, which the browser treats as cross-origin (host differs).
// Port 0 (ephemeral) so concurrent agents and runs never collide.
import { createServer } from "node:http";
import { FLOOR_PROOF_PATH } from "./variants.mjs";

const PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>bench</title><body>
<script>
// n cross-origin fetches, at most \`concurrency\` in flight (a busy single-page app), timed in the page.
// The mix: 85 % simple GETs the server allows, 10 % PUTs with a custom header (a preflight each time:
// Max-Age 0), 5 % GETs the server does not allow (blocked by CORS). Each URL is unique (no HTTP cache).
window.runFetches = async (api, n, concurrency, tag) => {
  let next = 0, ok = 0, failed = 0;
  async function worker() {
    while (next < n) {
      const i = next++;
      const kind = i % 20 === 0 ? "blocked" : i % 10 === 5 ? "put" : "get";
      const url = api + "/" + kind + "?" + tag + "-" + i;
      try {
        const r = kind === "put"
          ? await fetch(url, { method: "PUT", headers: { "content-type": "application/json", "x-bench": "1" }, body: "{}" })
          : await fetch(url);
        await r.text();
        ok++;
      } catch { failed++; }
    }
  }
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ms: performance.now() - t0, ok, failed };
};
</script>`;

/**
 * The realistic page of issue 16: 150 subresources (stylesheets, scripts, images), half of them from the other
 * origin, then 40 API calls to the other origin in four dependent waves of ten, as a single-page app makes them.
 * Every response is delayed (DELAY_MS) as on a real network. `window.__done` is the time, from navigation start,
 * of the last API response.
 */
function realisticPage(api, tag) {
  const kinds = ["css", "js", "img"];
  const tags = [];
  for (let i = 0; i < 150; i++) {
    const kind = kinds[i % 3];
    const base = i % 2 ? api : "";
    const url = `${base}/r/${i}.${kind}?${tag}`;
    tags.push(
      kind === "css"
        ? `<link rel="stylesheet" href="${url}">`
        : kind === "js"
          ? `<script src="${url}" defer></script>`
          : `<img src="${url}" alt="">`,
    );
  }
  return `<!doctype html><meta charset="utf-8"><title>realistic</title>${tags.join("\n")}
<script>
addEventListener("load", async () => {
  for (let wave = 0; wave < 4; wave++) {
    await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(${JSON.stringify(api)} + "/api/" + wave + "-" + i + "?${tag}", { headers: { "x-bench": "1" } }).then((r) => r.json()).catch(() => null)));
  }
  window.__done = performance.now();
});
</script>`;
}

/**
 * A page that a service worker of its own origin controls (the worker passes every request on to the network), for
 * the measure of an armed tab whose page has a service worker: CORS Doctor then follows service-worker requests,
 * which webRequest gives no tab, with listeners that see every tab's fetches. `window.__controlled` settles once
 * the worker controls the page.
 */
const SW_PAGE_HTML = `<!doctype html><meta charset="utf-8"><title>bench, service worker</title>
<script>
window.__controlled = navigator.serviceWorker
  .register("/sw.js")
  .then(() => navigator.serviceWorker.controller || new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true })))
  .then(() => true);
</script>`;
const SW_JS = `self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") event.respondWith(fetch(event.request));
});`;

/** Delay of every response of the realistic page, as on a real network. */
export const DELAY_MS = 30;
const GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7", "base64");

function realisticResponse(req, res, url, allow) {
  setTimeout(() => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, { ...allow, "access-control-allow-headers": "x-bench", "access-control-max-age": "0" });
      res.end();
    } else if (url.pathname === "/realistic") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      res.end(realisticPage(`http://localhost:${req.socket.localPort}`, url.search.slice(1)));
    } else if (url.pathname.startsWith("/api/")) {
      res.writeHead(200, { ...allow, "content-type": "application/json", "cache-control": "no-store" });
      res.end('{"ok":true}');
    } else {
      const ext = url.pathname.split(".").pop();
      const type = ext === "css" ? "text/css" : ext === "js" ? "text/javascript" : "image/gif";
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" });
      res.end(ext === "css" ? "p{margin:0}" : ext === "js" ? "window.__n=(window.__n||0)+1;" : GIF);
    }
  }, DELAY_MS);
}

export async function startServer() {
  /** Tabs the Firefox floor reported armed (variants.mjs, FLOOR_PROOF_PATH), in order. */
  const floorTabs = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === FLOOR_PROOF_PATH) {
      floorTabs.push(url.searchParams.get("tab"));
      res.writeHead(204);
      res.end();
      return;
    }
    const origin = req.headers.origin;
    if (url.pathname === "/realistic" || url.pathname.startsWith("/r/") || url.pathname.startsWith("/api/")) {
      realisticResponse(req, res, url, origin ? { "access-control-allow-origin": origin, vary: "Origin" } : {});
      return;
    }
    if (url.pathname === "/page" || url.pathname === "/sw-page") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(url.pathname === "/page" ? PAGE_HTML : SW_PAGE_HTML);
      return;
    }
    if (url.pathname === "/sw.js") {
      res.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" });
      res.end(SW_JS);
      return;
    }
    const allow = url.pathname !== "/blocked" && origin ? { "access-control-allow-origin": origin, vary: "Origin" } : {};
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...allow,
        "access-control-allow-methods": "GET, PUT",
        "access-control-allow-headers": "content-type, x-bench",
        "access-control-max-age": "0",
      });
      res.end();
      return;
    }
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { ...allow, "content-type": "application/json", "cache-control": "no-store" });
      res.end('{"ok":true}');
    });
  });
  // Unspecified host: dual-stack, so "localhost" works whether Chromium resolves it to ::1 or 127.0.0.1.
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, resolve);
  });
  server.keepAliveTimeout = 30_000;
  const port = server.address().port;
  return {
    page: `http://127.0.0.1:${port}/page`,
    /** The same page on a loopback host that is not on CORS Doctor's default site list: a tab there is not armed. */
    unlistedPage: `http://127.0.0.2:${port}/page`,
    /** The origin of `page`: cross-origin to a page on the host of `api`. */
    pageOrigin: `http://127.0.0.1:${port}`,
    realistic: `http://127.0.0.1:${port}/realistic`,
    api: `http://localhost:${port}`,
    /** How many tabs the Firefox floor has reported armed so far. */
    floorTabsSeen: () => floorTabs.length,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
