// The matrix2 servers, all on loopback (127.0.0.1 and ::1, never a wildcard address): real https with real host
// names (app.test, api.test, other.test, pub.test … all resolved to loopback by the browsers' own switches), plus the
// broken servers the network-failure cases need. One handler serves every https port; which scenario a request
// belongs to is in its path (/p/<id> page, /m/<id> the request under test, /m/<id>/hop its redirect target).
//
//   main      https, trusted leaf for every *.test name      page (app.test), API (api.test), frames (other.test)
//   pub       https, same leaf; made "public" by the LNA switches, so a page there calling main is public → loopback
//   wrongname https, leaf for wrong-name.example only        ERR_CERT_COMMON_NAME_INVALID / SSL_ERROR_BAD_CERT_DOMAIN
//   expired   https, leaf valid in January 2020              ERR_CERT_DATE_INVALID / SEC_ERROR_EXPIRED_CERTIFICATE
//   unknown   https, leaf from an untrusted CA               ERR_CERT_AUTHORITY_INVALID / SEC_ERROR_UNKNOWN_ISSUER
//   plain     http (mixed content, and the http page of the LNA "insecure" case)
//   reset     TCP: reads the request, answers with a RST
//   empty     TCP: reads the request, closes without a byte
//   hang      TCP: accepts and never answers (cancelled requests)
//   refused   a port that was bound once and closed again: nothing listens there
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { refusedPort } from "../support/refused-port.mjs";
import { scenarioById, PNG_1X1 } from "./scenarios.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./scenarios.mjs").ResponseSpec} ResponseSpec */

/**
 * @typedef {object} WireEntry
 * @property {number} seq
 * @property {number} time
 * @property {string} port       which server ("main", "pub", "plain", …)
 * @property {string} scheme
 * @property {string} method
 * @property {string} url
 * @property {string} host
 * @property {string[]} rawHeaders
 * @property {string | null} scenario
 * @property {boolean} hop
 * @property {string} [setup]   a cookie set-up request (/setcookie, /setpart): kept so the HARs carry its Set-Cookie
 * @property {{ status: number, headersText: string, body: string }} sent
 */

/** A font the browser accepts (fonts-liberation comes with Debian's chromium); cases that load fonts need it. */
function findFont() {
  for (const dir of ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype"]) {
    try {
      const f = fs.readdirSync(dir).find((n) => n.endsWith(".ttf"));
      if (f) return fs.readFileSync(`${dir}/${f}`);
    } catch {
      /* next */
    }
  }
  throw new Error("no .ttf font under /usr/share/fonts (install fonts-liberation)");
}

/** Listen on 127.0.0.1:port and [::1]:port (port 0 = pick one): loopback only, both families. */
async function listenLoopback(/** @type {() => net.Server} */ make) {
  const v4 = make();
  await new Promise((r) => v4.listen(0, "127.0.0.1", () => r(undefined)));
  const port = /** @type {net.AddressInfo} */ (v4.address()).port;
  const v6 = make();
  await new Promise((resolve) => {
    v6.once("error", () => resolve(undefined)); // no ::1 on this machine: v4 alone
    v6.listen(port, "::1", () => resolve(undefined));
  });
  return { port, servers: [v4, v6] };
}

const PAGE_HEAD = "<!doctype html><meta charset=utf-8>";

/**
 * @param {{ ca: import("../../scripts/make-local-ca.mjs").LocalCa }} options
 */
export async function startMatrix2Servers({ ca }) {
  /** @type {WireEntry[]} */
  const log = [];
  let seq = 0;
  const font = findFont();
  /** @type {Record<string, number>} */
  const ports = {};
  /** @type {net.Server[]} */
  const all = [];
  /** @type {Set<net.Socket>} */
  const sockets = new Set();
  const track = (/** @type {net.Server} */ s) => {
    s.on("connection", (sock) => {
      sockets.add(sock);
      sock.on("close", () => sockets.delete(sock));
    });
    return s;
  };

  /** @param {string} which @param {string} scheme @returns {http.RequestListener} */
  const handler = (which, scheme) => (req, res) => {
    const url = req.url ?? "/";
    const u = new URL(url, "https://x");
    const m = /^\/m\/([a-z0-9-]+)(\/hop)?$/.exec(u.pathname);
    const p = /^\/(p|frame)\/([a-z0-9-]+)$/.exec(u.pathname);
    const host = req.headers.host ?? "";
    /** @type {WireEntry} */
    const entry = {
      seq: seq++,
      time: Date.now(),
      port: which,
      scheme,
      method: req.method ?? "",
      url,
      host,
      rawHeaders: [...req.rawHeaders],
      scenario: m ? m[1] : null,
      hop: !!m?.[2],
      sent: { status: 0, headersText: "", body: "" },
    };
    if (u.pathname === "/setcookie" || u.pathname === "/setpart") entry.setup = u.pathname.slice(1);
    if (m || entry.setup) log.push(entry);
    req.resume();
    /** @param {number} status @param {string[][]} headers @param {string | Buffer} body */
    const send = (status, headers, body) => {
      const noBody = status === 204 || status === 304 || req.method === "HEAD";
      const flat = [];
      for (const [n, v] of headers) flat.push(n, v);
      if (!noBody) flat.push("Content-Length", String(Buffer.byteLength(body)));
      res.writeHead(status, flat);
      res.end(noBody ? undefined : body);
      entry.sent = {
        status,
        headersText: String(/** @type {any} */ (res)._header ?? ""),
        body: noBody || Buffer.isBuffer(body) ? "" : body,
      };
    };
    const html = [
      ["Content-Type", "text/html; charset=utf-8"],
      ["Cache-Control", "no-store"],
    ];

    if (u.pathname === "/favicon.ico") return send(204, [], "");
    if (u.pathname === "/warm")
      return send(
        200,
        [
          ["Access-Control-Allow-Origin", String(req.headers.origin ?? "*")],
          ["Cache-Control", "no-store"],
        ],
        "warm",
      );
    if (u.pathname === "/setcookie") {
      // First-party visit to api.test: the cookies the cookie cases expect the cross-site request to carry.
      return send(
        200,
        [
          ...html,
          ["Set-Cookie", "m2lax=1; Path=/; Secure"], // no SameSite: Lax by default (Chromium)
          ["Set-Cookie", "m2none=1; Path=/; SameSite=None; Secure"], // third-party cookie
          ["Set-Cookie", "m2noneinsecure=1; Path=/; SameSite=None"], // None without Secure: rejected (Chromium)
          ["Set-Cookie", "m2strict=1; Path=/; SameSite=Strict; Secure"],
        ],
        `${PAGE_HEAD}<title>cookies set</title>`,
      );
    }
    if (u.pathname === "/setpart") {
      // A partitioned cookie, stored under the top-level site of the page that made this credentialed fetch.
      return send(
        200,
        [
          ["Access-Control-Allow-Origin", String(req.headers.origin ?? "")],
          ["Access-Control-Allow-Credentials", "true"],
          ["Cache-Control", "no-store"],
          ["Set-Cookie", "m2part=1; Path=/; SameSite=None; Secure; Partitioned"],
        ],
        "partitioned cookie set",
      );
    }
    if (u.pathname === "/worker.js") {
      return send(
        200,
        [
          ["Content-Type", "text/javascript"],
          ["Cache-Control", "no-store"],
        ],
        "onmessage = async (e) => { const { url, init } = e.data; try { const r = await fetch(url, init); let body = ''; try { body = await r.text(); } catch {} postMessage({ ok: true, status: r.status, type: r.type }); } catch (err) { postMessage({ ok: false, error: String(err) }); } };",
      );
    }
    if (u.pathname === "/sw.js") {
      return send(
        200,
        [
          ["Content-Type", "text/javascript"],
          ["Cache-Control", "no-store"],
        ],
        [
          "self.addEventListener('install', () => self.skipWaiting());",
          "self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));",
          "self.addEventListener('message', (e) => { const { url, init } = e.data; e.waitUntil((async () => { let out; try { const r = await fetch(url, init); try { await r.text(); } catch {} out = { ok: true, status: r.status, type: r.type }; } catch (err) { out = { ok: false, error: String(err) }; } e.source.postMessage(out); })()); });",
          // Requests of the page under /m/ with ?via=sw go through the worker (respondWith(fetch(request))).
          "self.addEventListener('fetch', (e) => { if (new URL(e.request.url).searchParams.has('via')) e.respondWith(fetch(e.request)); });",
        ].join("\n"),
      );
    }
    if (p) {
      const scenario = scenarioById.get(p[2]);
      const spec = p[1] === "p" ? scenario?.page : undefined;
      if (p[1] === "frame") {
        // The cross-origin frame of the iframe-initiator cases: it runs the fetch it is asked to and answers.
        return send(
          200,
          html,
          `${PAGE_HEAD}<title>frame ${p[2]}</title><script>onmessage = async (e) => { const { url, init } = e.data; let out; try { const r = await fetch(url, init); try { await r.text(); } catch {} out = { ok: true, status: r.status, type: r.type }; } catch (err) { out = { ok: false, error: String(err) }; } parent.postMessage(out, '*'); }; parent.postMessage({ ready: true }, '*');</script>`,
        );
      }
      return send(200, [...html, ...(spec?.headers ?? [])], `${PAGE_HEAD}<title>m2 ${p[2]}</title><p>${p[2]}</p>`);
    }
    const scenario = m ? scenarioById.get(m[1]) : undefined;
    if (!scenario)
      return send(
        404,
        [
          ["Content-Type", "text/plain"],
          ["Cache-Control", "no-store"],
        ],
        "not found",
      );

    const origin = String(req.headers.origin ?? "");
    const selfOrigin = `${scheme}://${host}`;
    const tokens = /** @type {Record<string, string>} */ ({
      origin,
      pageOrigin: `https://app.test:${ports.main}`,
      self: selfOrigin,
      hop: `${selfOrigin}/m/${scenario.id}/hop${u.search}`,
      hopOther: `https://other.test:${ports.main}/m/${scenario.id}/hop${u.search}`,
      plainPort: String(ports.plain),
    });
    const expand = (/** @type {string} */ v) =>
      v.replace(/\{(origin|pageOrigin|self|hop|hopOther|plainPort)\}/g, (_, k) => tokens[k] ?? "");
    /** @param {ResponseSpec} spec */
    const respond = (spec) => {
      const headers = spec.headers.map(([n, v]) => [n, expand(v)]);
      if (!headers.some(([n]) => n.toLowerCase() === "cache-control")) headers.push(["Cache-Control", "no-store"]);
      /** @type {string | Buffer} */
      let body = spec.body ?? `${scenario.id}${entry.hop ? "/hop" : ""}`;
      let type = "text/plain";
      if (spec.bodyKind === "png") {
        body = PNG_1X1;
        type = "image/png";
      } else if (spec.bodyKind === "font") {
        body = font;
        type = "font/ttf";
      } else if (spec.bodyKind === "module") {
        body = "export default 42;";
        type = "text/javascript";
      } else if (spec.bodyKind === "script") {
        body = "window.__m2script = (window.__m2script || 0) + 1;";
        type = "text/javascript";
      } else if (spec.bodyKind === "json") {
        body = '{"secret": 1}';
        type = "application/json";
      }
      if (!headers.some(([n]) => n.toLowerCase() === "content-type")) headers.push(["Content-Type", type]);
      const go = () => send(spec.status, headers, body);
      if (spec.delayMs) setTimeout(go, spec.delayMs);
      else go();
    };
    const s = scenario.server;
    if (req.method === "OPTIONS") return respond((entry.hop ? s.hopPreflight : undefined) ?? s.preflight ?? { status: 405, headers: [] });
    if (s.requireCookie && !new RegExp(`(^|;\\s*)${s.requireCookie}=`).test(String(req.headers.cookie ?? ""))) {
      // What many auth middlewares do: 401 before the CORS middleware runs, so no CORS header at all.
      return respond({ status: 401, headers: [["Content-Type", "text/plain"]], body: "login required" });
    }
    if (!entry.hop && s.redirect) return respond(s.redirect);
    return respond(entry.hop ? (s.hop ?? s.actual) : s.actual);
  };

  /** @param {string} name @param {{ cert: string, key: string }} pair */
  const httpsPort = async (name, pair) => {
    const opts = { cert: fs.readFileSync(pair.cert), key: fs.readFileSync(pair.key) };
    const { port, servers } = await listenLoopback(() => track(https.createServer(opts, handler(name, "https"))));
    ports[name] = port;
    all.push(...servers);
  };
  await httpsPort("main", ca.good);
  await httpsPort("pub", ca.good);
  await httpsPort("wrongname", ca.wrongname);
  await httpsPort("expired", ca.expired);
  await httpsPort("unknown", ca.unknown);
  {
    const { port, servers } = await listenLoopback(() => track(http.createServer(handler("plain", "http"))));
    ports.plain = port;
    all.push(...servers);
  }
  /** @param {string} name @param {(sock: net.Socket) => void} onConnection */
  const tcpPort = async (name, onConnection) => {
    const { port, servers } = await listenLoopback(() => track(net.createServer(onConnection)));
    ports[name] = port;
    all.push(...servers);
  };
  await tcpPort("reset", (sock) => {
    sock.once("data", () => sock.resetAndDestroy());
    sock.on("error", () => {});
  });
  await tcpPort("empty", (sock) => {
    sock.once("data", () => sock.end());
    sock.on("error", () => {});
  });
  await tcpPort("hang", (sock) => {
    sock.on("error", () => {});
  });
  // Refused: a port nothing listens on, outside the range other servers of the run are handed.
  ports.refused = await refusedPort();
  return {
    ports,
    log,
    /** The origin of a server under a host name. */
    origin(/** @type {string} */ server, /** @type {string} */ host) {
      const scheme = server === "plain" ? "http" : "https";
      return `${scheme}://${host}:${ports[server]}`;
    },
    async close() {
      for (const sock of sockets) sock.destroy();
      await Promise.all(all.map((s) => new Promise((r) => s.close(() => r(undefined)))));
    },
  };
}
