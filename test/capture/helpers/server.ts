// One loopback server, two origins: the page at http://127.0.0.1:PORT and the API at http://localhost:PORT
// (same port, different host: a different origin). Listens on an ephemeral port, dual-stack, so that
// "localhost" works whether it resolves to ::1 or 127.0.0.1.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  page: string;
  api: string;
  hits: string[];
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse, origin: string) => void;

const send = (res: ServerResponse, status: number, headers: Record<string, string | string[]>, body = "") => {
  res.writeHead(status, headers);
  res.end(body);
};

/** The scenario's API: each route produces one case of the CORS protocol. */
/** A log-in page that sets the cookie `name`, and an API path that answers 401 without CORS headers when it is missing. */
function logInRoutes(login: string, me: string, name: string): Record<string, Route> {
  return {
    [login]: (_req, res) =>
      send(res, 200, { "content-type": "text/html; charset=utf-8", "set-cookie": `${name}=1; Path=/` }, "<!doctype html><p>logged in</p>"),
    [me]: (req, res, origin) =>
      new RegExp(`(^|;\\s*)${name}=`).test(String(req.headers.cookie ?? ""))
        ? send(res, 200, { "access-control-allow-origin": origin, "access-control-allow-credentials": "true" }, "me")
        : send(res, 401, { "content-type": "text/plain" }, "log in first"),
  };
}

const routes: Record<string, Route> = {
  "/ok": (_req, res, origin) => send(res, 200, { "access-control-allow-origin": origin, "content-type": "text/plain" }, "ok"),
  "/no-acao": (_req, res) => send(res, 200, { "content-type": "text/plain" }, "no acao"),
  // Max-Age lets the second identical PUT reuse the preflight (Chromium caches it; Firefox too).
  "/put-ok": (req, res, origin) =>
    req.method === "OPTIONS"
      ? send(res, 204, {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "PUT",
          "access-control-allow-headers": "content-type, x-foo",
          "access-control-max-age": "600",
        })
      : send(res, 200, { "access-control-allow-origin": origin }, "put ok"),
  "/header-not-allowed": (req, res, origin) =>
    req.method === "OPTIONS"
      ? send(res, 204, {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "PUT",
          "access-control-allow-headers": "content-type",
        })
      : send(res, 200, { "access-control-allow-origin": origin }, "never reached"),
  "/wildcard": (_req, res) => send(res, 200, { "access-control-allow-origin": "*" }, "wildcard"),
  "/redirect": (req, res, origin) =>
    send(res, 302, { location: `/ok?from=redirect&${(req.url ?? "").split("?")[1] ?? ""}`, "access-control-allow-origin": origin }),
  "/slow": (_req, res, origin) => {
    setTimeout(() => send(res, 200, { "access-control-allow-origin": origin }, "slow"), 1500);
  },
  // A credentialed response that stores a cookie for the API in the page's partition, so that later
  // `credentials: "include"` requests carry a Cookie header (the only trace of the credentials mode webRequest shows).
  "/set-cookie": (_req, res, origin) =>
    send(
      res,
      200,
      { "access-control-allow-origin": origin, "access-control-allow-credentials": "true", "set-cookie": "cd_session=1; Path=/" },
      "cookie set",
    ),
  // A log-in on the API's own site (a navigation): sets a session cookie without SameSite, kept home cross-site
  // (Lax by default in Chromium; Firefox keeps the first-party cookie in the API's own partition). /me wants it:
  // without it, a 401 without CORS headers, which is all the browser reports.
  ...logInRoutes("/login.html", "/me", "cd_login"),
  // The same log-in done in another tab: this tab's capture never sees the Set-Cookie, the browser's cookie store does.
  ...logInRoutes("/login-elsewhere.html", "/me-elsewhere", "cd_elsewhere"),
  // A preflight that takes its time: the worker can be stopped while it is in flight.
  "/slow-put": (req, res, origin) =>
    req.method === "OPTIONS"
      ? void setTimeout(() => send(res, 204, { "access-control-allow-origin": origin, "access-control-allow-methods": "PUT" }), 1500)
      : send(res, 200, { "access-control-allow-origin": origin }, "slow put"),
  "/error500": (_req, res) => send(res, 500, { "content-type": "text/plain" }, "boom"),
  // Readable, but X-Total-Count is not exposed: a page that reads it gets null.
  "/expose": (_req, res, origin) =>
    send(res, 200, { "access-control-allow-origin": origin, "x-total-count": "42", "content-type": "text/plain" }, "expose"),
  // Never answers: a request that never completes (the connection is closed when the server closes).
  "/hang": () => {},
  // A service worker that runs the fetch its page posts to it and answers with how it ended (no fetch handler:
  // it never stands between its pages and their own requests).
  "/sw.js": (_req, res) =>
    send(
      res,
      200,
      { "content-type": "text/javascript", "cache-control": "no-store" },
      [
        "self.addEventListener('install', () => self.skipWaiting());",
        "self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));",
        "self.addEventListener('message', (e) => e.waitUntil(fetch(e.data.url, e.data.init).then((r) => 'status ' + r.status, (err) => String(err)).then((out) => e.source.postMessage(out))));",
      ].join("\n"),
    ),
};

export async function startServer(): Promise<TestServer> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    hits.push(`${req.method} ${req.headers.host}${url.pathname}${url.search}`);
    if (url.pathname === "/page.html" || url.pathname === "/") {
      send(res, 200, { "content-type": "text/html; charset=utf-8" }, "<!doctype html><title>scenario</title><p>scenario page</p>");
      return;
    }
    // The same page under a Content-Security-Policy that lets it connect to its own origin only.
    if (url.pathname === "/csp.html") {
      send(
        res,
        200,
        { "content-type": "text/html; charset=utf-8", "content-security-policy": "connect-src 'self'" },
        "<!doctype html><title>csp</title><p>csp page</p>",
      );
      return;
    }
    const route = routes[url.pathname];
    if (!route) return send(res, 404, {}, "not found");
    route(req, res, String(req.headers.origin ?? "*"));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "::", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    page: `http://127.0.0.1:${port}`,
    api: `http://localhost:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The scenario the page runs: each entry is one fetch (method and URL as the page issued them).
 * Runs in the page (serialised by the test driver), so it is plain JS data and one function.
 */
export function scenario(api: string, run: string) {
  return [
    { name: "allowed GET", url: `${api}/ok?run=${run}`, init: {} },
    { name: "missing ACAO", url: `${api}/no-acao?run=${run}`, init: {} },
    {
      name: "passing preflight PUT",
      url: `${api}/put-ok?run=${run}`,
      init: { method: "PUT", headers: { "content-type": "application/json", "x-foo": "1" }, body: "{}" },
    },
    {
      name: "cached preflight PUT",
      url: `${api}/put-ok?run=${run}`,
      init: { method: "PUT", headers: { "content-type": "application/json", "x-foo": "1" }, body: "{}" },
    },
    {
      name: "header not allowed",
      url: `${api}/header-not-allowed?run=${run}`,
      init: { method: "PUT", headers: { "content-type": "application/json", "x-foo": "1" }, body: "{}" },
    },
    { name: "wildcard with credentials", url: `${api}/wildcard?run=${run}`, init: { credentials: "include" } },
    { name: "redirect", url: `${api}/redirect?run=${run}`, init: {} },
    { name: "500 without CORS headers", url: `${api}/error500?run=${run}`, init: {} },
  ] as { name: string; url: string; init: RequestInit }[];
}

export type ScenarioStep = ReturnType<typeof scenario>[number];

/**
 * Page-side runner, as source text (evaluated in the page; a compiled function could carry helpers of the
 * test transform): one fetch after the other, so the browser's event order is the scenario's order.
 */
export const RUN_IN_PAGE = `async (steps) => {
  const out = [];
  for (const step of steps) {
    try { const r = await fetch(step.url, step.init); out.push(step.name + ": " + r.status); }
    catch (e) { out.push(step.name + ": " + String(e)); }
  }
  return out;
}`;

/** The requests a page's service worker makes in the arming tests: a GET without ACAO, a PUT whose preflight refuses X-Foo. */
export function workerRequests(api: string, run: string): WorkerRequest[] {
  return [
    { url: `${api}/no-acao?run=${run}`, init: {} },
    { url: `${api}/header-not-allowed?run=${run}`, init: { method: "PUT", headers: { "x-foo": "1" } } },
  ];
}

export interface WorkerRequest {
  url: string;
  init: RequestInit;
}

/**
 * Runs in the page (passed to evaluate): registers /sw.js (or, with `register` false, takes the worker already
 * there), has it fetch each request, and returns how each ended as the worker saw it.
 */
export async function viaServiceWorker([list, register]: [WorkerRequest[], boolean]): Promise<string[]> {
  const reg = register ? await navigator.serviceWorker.register("/sw.js") : await navigator.serviceWorker.ready;
  await navigator.serviceWorker.ready;
  const out: string[] = [];
  for (const request of list) {
    out.push(
      await new Promise<string>((resolve) => {
        navigator.serviceWorker.addEventListener("message", (e) => resolve(String(e.data)), { once: true });
        reg.active!.postMessage(request);
      }),
    );
  }
  return out;
}
