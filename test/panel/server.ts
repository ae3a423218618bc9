// One loopback server for the live scenarios: the page is served at http://127.0.0.1:P and the API is called at
// http://localhost:P, a different origin on the same port (browser-recipes §2 cases a–e).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScenarioServer {
  page: string;
  api: string;
  close(): Promise<void>;
}

function route(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://x");
  const origin = req.headers.origin ?? "";
  const send = (status: number, headers: Record<string, string>, body = "") => {
    res.writeHead(status, { "Content-Type": "text/plain", ...headers });
    res.end(body);
  };
  switch (url.pathname) {
    case "/page":
      return send(200, { "Content-Type": "text/html" }, "<!doctype html><title>CORS scenario</title><h1>scenario</h1>");
    case "/api/ok":
      return send(200, { "Access-Control-Allow-Origin": origin, Vary: "Origin" }, "ok");
    case "/api/no-acao":
      return send(200, {}, "no acao");
    case "/api/cred":
      return send(200, { "Access-Control-Allow-Origin": "*" }, "cred");
    // Wants a log-in cookie (cd_panel): without it, a 401 without CORS headers.
    case "/api/me":
      return /(^|;\s*)cd_panel=/.test(req.headers.cookie ?? "")
        ? send(200, { "Access-Control-Allow-Origin": origin, "Access-Control-Allow-Credentials": "true" }, "me")
        : send(401, {}, "log in first");
    case "/api/put":
      if (req.method === "OPTIONS")
        return send(204, {
          "Access-Control-Allow-Origin": origin,
          "Access-Control-Allow-Methods": "GET, PUT",
          "Access-Control-Allow-Headers": "Content-Type",
          Vary: "Origin",
        });
      return send(200, { "Access-Control-Allow-Origin": origin, Vary: "Origin" }, "put");
    default:
      return send(404, {}, "not found");
  }
}

export async function startScenarioServer(): Promise<ScenarioServer> {
  const server: Server = createServer(route);
  // Dual-stack: localhost may resolve to ::1 in Chromium.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    page: `http://127.0.0.1:${port}`,
    api: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The scenario's fetches, run in the page. Unique query strings keep Chromium's preflight cache out of it. */
export function scenarioScript(api: string, run: string) {
  return [`${api}/api/ok?run=${run}`, `${api}/api/no-acao?run=${run}`, `${api}/api/put?run=${run}`, `${api}/api/cred?run=${run}`];
}
