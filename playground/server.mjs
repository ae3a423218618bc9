#!/usr/bin/env node
// The CORS Doctor playground: a page with one button per classic CORS mistake, and the API that makes
// each of them happen. Everything listens on loopback only, on ephemeral ports unless --port is given:
//   page    http://127.0.0.1:P   (also http://localhost:P, a second page origin, for the iframe of
//                                  "echo any origin" and for the localhost-vs-127.0.0.1 case)
//   API     http://localhost:Q   and http://127.0.0.1:Q (two more origins)
//   down    http://localhost:D   a port where nothing listens ("API server down")
// Usage: node playground/server.mjs [--port P] [--api-port Q]
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { routes } from "./routes.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/** The static files of the page; nothing else under playground/ is served. */
const files = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/frame.html": ["frame.html", "text/html; charset=utf-8"],
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
  "/frame.js": ["frame.js", "text/javascript; charset=utf-8"],
  "/page-common.js": ["page-common.js", "text/javascript; charset=utf-8"],
  "/scenarios.mjs": ["scenarios.mjs", "text/javascript; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
};

/**
 * Listens on 127.0.0.1 and on ::1 with the same port, so that "localhost" works whichever address the
 * browser resolves it to, without listening beyond loopback.
 * @param {import("node:http").RequestListener} handler
 * @param {number} port
 */
async function listenLoopback(handler, port) {
  const v4 = createServer(handler);
  v4.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    v4.once("error", reject);
    v4.listen(port, "127.0.0.1", () => resolve(undefined));
  });
  const actualPort = /** @type {import("node:net").AddressInfo} */ (v4.address()).port;
  const v6 = createServer(handler);
  v6.keepAliveTimeout = 1000;
  const v6Up = await new Promise((resolve) => {
    v6.once("error", () => resolve(false)); // no IPv6 loopback here: localhost then resolves to 127.0.0.1
    v6.listen(actualPort, "::1", () => resolve(true));
  });
  const servers = v6Up ? [v4, v6] : [v4];
  return {
    port: actualPort,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve(undefined));
            }),
        ),
      ),
  };
}

/**
 * A loopback port where nothing listens: one the system just gave out and took back (with --port P: P + 2).
 * @param {number | undefined} fixed
 * @returns {Promise<number>}
 */
function closedPort(fixed) {
  if (fixed) return Promise.resolve(fixed);
  return new Promise((resolve, reject) => {
    const probe = createTcpServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ port?: number, apiPort?: number, log?: (line: string) => void }} [options]
 */
export async function startPlayground(options = {}) {
  /** @type {{ method: string, host: string, path: string, origin: string | null }[]} */
  const hits = [];
  /** @type {{ pageOrigin: string, secondOrigin: string, apis: import("./public/scenarios.mjs").ApiOrigins }} */
  const config = { pageOrigin: "", secondOrigin: "", apis: { localhost: "", ip: "", down: "", "outside-csp": "" } };

  /** @type {import("node:http").RequestListener} */
  const pageHandler = (req, res) => {
    const url = new URL(req.url ?? "/", "http://playground");
    if (url.pathname === "/config.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(config));
      return;
    }
    if (url.pathname === "/favicon.ico") {
      res.writeHead(204);
      res.end();
      return;
    }
    const file = files[/** @type {keyof typeof files} */ (url.pathname)];
    if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    // The "outside-csp" origin is left out on purpose (the page-csp button); the closed port is listed, so that the
    // server-down button fails for the reason it shows.
    const api = `${config.apis.localhost} ${config.apis.ip} ${config.apis.down}`;
    res.writeHead(200, {
      "content-type": file[1],
      "cache-control": "no-store",
      // Strict: scripts only from files of this origin (no inline code, no eval), fetches only to the APIs,
      // frames only from the second page origin.
      "content-security-policy": `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' ${api}; frame-src ${config.secondOrigin}; frame-ancestors ${config.pageOrigin}; base-uri 'none'; form-action 'none'`,
      "x-content-type-options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : readFileSync(join(here, "public", file[0])));
  };

  /** @type {import("node:http").RequestListener} */
  const apiHandler = (req, res) => {
    const url = new URL(req.url ?? "/", "http://api");
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : null;
    hits.push({ method: req.method ?? "", host: req.headers.host ?? "", path: `${url.pathname}${url.search}`, origin });
    options.log?.(`${req.method} ${req.headers.host}${url.pathname}${url.search} (Origin: ${origin ?? "none"})`);
    const match = /^\/api\/([a-z0-9-]+)\/?$/.exec(url.pathname);
    const route = match ? routes[match[1]] : undefined;
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const answer = route({
      method: req.method ?? "GET",
      origin: origin ?? undefined,
      cookie: typeof req.headers.cookie === "string" ? req.headers.cookie : undefined,
      path: url.pathname,
      search: url.search,
      pageOrigin: config.pageOrigin,
      secondOrigin: config.secondOrigin,
    });
    req.resume(); // bodies are not read; drain them so keep-alive works
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers);
      res.end(req.method === "HEAD" ? undefined : answer.body);
    };
    if (answer.delayMs) {
      const timer = setTimeout(send, answer.delayMs);
      res.once("close", () => clearTimeout(timer));
    } else send();
  };

  const page = await listenLoopback(pageHandler, options.port ?? 0);
  let api;
  try {
    api = await listenLoopback(apiHandler, options.apiPort ?? (options.port ? options.port + 1 : 0));
  } catch (error) {
    await page.close();
    throw error;
  }
  config.pageOrigin = `http://127.0.0.1:${page.port}`;
  config.secondOrigin = `http://localhost:${page.port}`;
  config.apis = {
    localhost: `http://localhost:${api.port}`,
    ip: `http://127.0.0.1:${api.port}`,
    down: `http://localhost:${await closedPort(options.port ? options.port + 2 : undefined)}`,
    "outside-csp": `http://[::1]:${api.port}`,
  };
  return {
    pageUrl: `${config.pageOrigin}/`,
    ...config,
    hits,
    close: async () => {
      await Promise.all([page.close(), api.close()]);
    },
  };
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ port?: number, apiPort?: number }} */
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--port" || flag === "--api-port") {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${flag} needs a port number`);
      if (flag === "--port") out.port = value;
      else out.apiPort = value;
    } else if (flag === "--help" || flag === "-h") {
      console.log("Usage: node playground/server.mjs [--port P] [--api-port Q]");
      process.exit(0);
    } else {
      throw new Error(`unknown argument ${flag}`);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const playground = await startPlayground(parseArgs(process.argv.slice(2)));
    console.log(`CORS Doctor playground: ${playground.pageUrl}`);
    console.log(`  API: ${playground.apis.localhost} and ${playground.apis.ip}; second page origin: ${playground.secondOrigin}`);
    console.log("  Ctrl-C to stop.");
    const stop = () => void playground.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    console.error(`playground: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
