// The matrix server: a page origin (http://127.0.0.1:P) and an API (http://localhost:Q, also reachable as
// http://127.0.0.1:Q, which is a different origin) answering /m/<id> exactly as the scenario table says.
// Headers are written as raw lines (`writeHead(status, flatArray)`) so that duplicate lines stay duplicate
// and odd values reach the browser byte for byte. Every request and what was sent back is logged: the
// server is the only witness of what went over the wire in Firefox (no CDP there).
import http from "node:http";
import { scenarioById } from "./scenarios.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./scenarios.mjs").ResponseSpec} ResponseSpec */

/**
 * @typedef {object} ServerLogEntry
 * @property {number} seq
 * @property {number} time         ms since epoch, when the request arrived
 * @property {"page"|"api"} server
 * @property {string} method
 * @property {string} url          path + query as received
 * @property {string} host         Host header
 * @property {string[]} rawHeaders flat [name, value, ...] as received
 * @property {string | null} scenario  scenario id when the path is /m/<id>[/hop]
 * @property {boolean} hop
 * @property {{ status: number, headersText: string, body: string }} sent
 */

const PAGE_HTML = "<!doctype html><meta charset=utf-8><title>CORS Doctor matrix</title><p>matrix page</p>";

/**
 * Replace the {tokens} listed in scenarios.mjs in a header value.
 * @param {string} value
 * @param {Record<string,string>} tokens
 */
function expand(value, tokens) {
  return value.replace(/\{(origin|api|api2|hop|hop2|hopUserPass|originHostPort|pagePort|self)\}/g, (_, k) => tokens[k] ?? "");
}

/**
 * @param {{ log?: boolean }} [options]
 * @returns {Promise<{ pageOrigin: string, apiOrigins: { localhost: string, ip: string }, pageUrl: string,
 *   log: ServerLogEntry[], clearLog(): void, close(): Promise<void> }>}
 */
export async function startMatrixServer(options = {}) {
  /** @type {ServerLogEntry[]} */
  const log = [];
  let seq = 0;
  /** @type {{ page: number, api: number }} */
  const ports = { page: 0, api: 0 };

  /**
   * @param {"page"|"api"} which
   * @returns {http.RequestListener}
   */
  const handler = (which) => (req, res) => {
    const url = req.url ?? "/";
    const u = new URL(url, "http://x");
    const m = /^\/m\/([a-z0-9-]+)(\/hop)?$/.exec(u.pathname);
    const entry = /** @type {ServerLogEntry} */ ({
      seq: seq++,
      time: Date.now(),
      server: which,
      method: req.method ?? "",
      url,
      host: req.headers.host ?? "",
      rawHeaders: [...req.rawHeaders],
      scenario: m ? m[1] : null,
      hop: !!m?.[2],
      sent: { status: 0, headersText: "", body: "" },
    });
    if (options.log !== false) log.push(entry);
    // Drain any request body before answering.
    req.resume();

    /** @param {number} status @param {string[][]} headers @param {string} body */
    const send = (status, headers, body) => {
      const noBody = status === 204 || status === 304 || req.method === "HEAD" || (status >= 100 && status < 200);
      const flat = [];
      for (const [n, v] of headers) flat.push(n, v);
      if (!noBody) flat.push("Content-Length", String(Buffer.byteLength(body)));
      res.writeHead(status, flat);
      res.end(noBody ? undefined : body);
      // res._header is the exact header block Node wrote (incl. Date/Connection it adds itself).
      entry.sent = { status, headersText: String(/** @type {any} */ (res)._header ?? ""), body: noBody ? "" : body };
    };

    if (which === "page") {
      if (u.pathname === "/" || u.pathname === "/index.html") {
        return send(
          200,
          [
            ["Content-Type", "text/html; charset=utf-8"],
            ["Cache-Control", "no-store"],
          ],
          PAGE_HTML,
        );
      }
      if (u.pathname === "/favicon.ico") return send(204, [], "");
      return send(404, [["Content-Type", "text/plain"]], "not found");
    }

    // API
    if (u.pathname === "/setcookie") {
      // Used by Firefox (Chromium sets the cookie over CDP): a first-party visit stores the cookie.
      return send(
        200,
        [
          ["Content-Type", "text/html"],
          ["Cache-Control", "no-store"],
          ["Set-Cookie", "matrix=1; Path=/; SameSite=None; Secure"],
          ["Set-Cookie", "matrixlax=1; Path=/; SameSite=None"],
        ],
        "<!doctype html><title>cookie set</title>",
      );
    }
    const scenario = m ? scenarioById.get(m[1]) : undefined;
    if (!scenario) return send(404, [["Content-Type", "text/plain"]], "unknown scenario");

    const selfOrigin = `http://${req.headers.host}`;
    const query = u.search;
    const tokens = {
      origin: `http://127.0.0.1:${ports.page}`,
      originHostPort: `127.0.0.1:${ports.page}`,
      pagePort: String(ports.page),
      api: `http://localhost:${ports.api}`,
      api2: `http://127.0.0.1:${ports.api}`,
      self: selfOrigin,
      hop: `${selfOrigin}/m/${scenario.id}/hop${query}`,
      hop2: `${selfOrigin.includes("localhost") ? `http://127.0.0.1:${ports.api}` : `http://localhost:${ports.api}`}/m/${scenario.id}/hop${query}`,
      hopUserPass: `http://user:pass@${req.headers.host}/m/${scenario.id}/hop${query}`,
    };
    /** @param {ResponseSpec} spec */
    const respond = (spec) => {
      const headers = spec.headers.map(([n, v]) => [n, expand(v, tokens)]);
      // Keep the HTTP cache out of the experiment: every scenario is about CORS, not caching.
      if (!headers.some(([n]) => n.toLowerCase() === "cache-control")) headers.push(["Cache-Control", "no-store"]);
      if (!headers.some(([n]) => n.toLowerCase() === "content-type")) headers.push(["Content-Type", "text/plain"]);
      send(spec.status, headers, spec.body ?? `${scenario.id}${entry.hop ? "/hop" : ""}`);
    };

    const s = scenario.server;
    const isHop = entry.hop;
    if (req.method === "OPTIONS") {
      const pf = isHop ? (s.hopPreflight ?? s.preflight) : s.preflight;
      if (pf) return respond(pf);
      return respond({ status: 405, headers: [] });
    }
    if (!isHop && s.redirect) return respond(s.redirect);
    return respond(isHop ? (s.hop ?? s.actual) : s.actual);
  };

  const page = http.createServer(handler("page"));
  const api = http.createServer(handler("api"));
  // Node's parser (llhttp) only knows upper-case registered methods, so `fetch(url, {method: "patch"})` and
  // custom methods like FROB die in the parser. Re-parse the raw bytes and answer through the same handler.
  api.on("clientError", (err, socket) => {
    const raw = /** @type {any} */ (err).rawPacket;
    if (/** @type {any} */ (err).code !== "HPE_INVALID_METHOD" || !Buffer.isBuffer(raw) || !socket.writable) {
      socket.destroy();
      return;
    }
    const head = raw.toString("latin1").split("\r\n\r\n")[0].split("\r\n");
    const [method, target] = (head.shift() ?? "").split(" ");
    const rawHeaders = head.flatMap((l) => {
      const i = l.indexOf(":");
      return i > 0 ? [l.slice(0, i), l.slice(i + 1).trim()] : [];
    });
    /** @type {Record<string, string>} */
    const lower = {};
    for (let i = 0; i < rawHeaders.length; i += 2) lower[rawHeaders[i].toLowerCase()] = rawHeaders[i + 1];
    const fakeReq = /** @type {any} */ ({ method, url: target, headers: lower, rawHeaders, resume() {} });
    /** @type {string} */
    let header = "";
    const fakeRes = /** @type {any} */ ({
      writeHead(/** @type {number} */ status, /** @type {string[]} */ flat) {
        header = `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\n`;
        for (let i = 0; i < flat.length; i += 2) header += `${flat[i]}: ${flat[i + 1]}\r\n`;
        header += "Connection: close\r\n\r\n";
        this._header = header;
      },
      end(/** @type {string | undefined} */ body) {
        socket.end(header + (body ?? ""));
      },
    });
    handler("api")(fakeReq, fakeRes);
  });
  await new Promise((r) => page.listen(0, "127.0.0.1", () => r(undefined)));
  // Dual-stack listen so that "localhost" works whether the browser resolves it to ::1 or 127.0.0.1.
  await new Promise((r) => api.listen(0, () => r(undefined)));
  ports.page = /** @type {import("node:net").AddressInfo} */ (page.address()).port;
  ports.api = /** @type {import("node:net").AddressInfo} */ (api.address()).port;
  const pageOrigin = `http://127.0.0.1:${ports.page}`;
  return {
    pageOrigin,
    pageUrl: `${pageOrigin}/`,
    apiOrigins: { localhost: `http://localhost:${ports.api}`, ip: `http://127.0.0.1:${ports.api}` },
    log,
    clearLog() {
      log.length = 0;
    },
    async close() {
      for (const s of [page, api]) {
        s.closeAllConnections();
        await new Promise((r) => s.close(() => r(undefined)));
      }
    },
  };
}
