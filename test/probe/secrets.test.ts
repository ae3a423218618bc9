// Issue 14, probe: no secret on stderr when the network fails; --cookie never travels over http after
// https; custom headers follow a redirect to another origin as in browsers, unless --no-forward-headers;
// on a terminal, --audit says which origin it is trying (and nothing when stderr is not a terminal).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io";
import { runProbe } from "../../src/cli/probe/command";
import { sendOverWire, type Transport } from "../../src/cli/probe/wire";
import type { HttpRequest } from "../../src/core/model";
import { refusedPort } from "../support/refused-port.mjs";
import { probe } from "./support";

const ORIGIN = "https://app.example.com";
const TOKEN = "tok3nC4nary9x";

/** Every request a server saw: method, path and headers as received. */
interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

function corsServer(seen: Seen[], handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): http.Server {
  return http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
    res.setHeader("Access-Control-Allow-Credentials", "true");
    const requested = req.headers["access-control-request-headers"];
    if (requested) res.setHeader("Access-Control-Allow-Headers", requested);
    if (handler?.(req, res)) return;
    res.end("ok");
  });
}

let first: http.Server;
let second: http.Server;
const seenFirst: Seen[] = [];
const seenSecond: Seen[] = [];
let secondPort = 0;
beforeAll(async () => {
  second = corsServer(seenSecond);
  await new Promise<void>((r) => second.listen(0, "127.0.0.1", r));
  secondPort = (second.address() as AddressInfo).port;
  // 127.0.0.1 → localhost: another origin (same machine, loopback only).
  first = corsServer(seenFirst, (req, res) => {
    if (req.method === "OPTIONS" || !req.url!.startsWith("/hop")) return false;
    res.statusCode = 307;
    res.setHeader("Location", `http://localhost:${secondPort}/landed`);
    res.end();
    return true;
  });
  await new Promise<void>((r) => first.listen(0, "127.0.0.1", r));
});
afterAll(async () => {
  for (const s of [first, second]) {
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
});

function io(stderrIsTTY: boolean) {
  const out = { stdout: "", stderr: "" };
  const value: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    stdin: () => new PassThrough(),
    color: false,
    env: {},
    stderrIsTTY,
  };
  return { io: value, out };
}

describe("network failure", () => {
  it("names the URL on stderr without its secrets; --include-secrets shows them", async () => {
    const port = await refusedPort();
    const url = `http://127.0.0.1:${port}/api?access_token=${TOKEN}&page=2`;
    const r = await probe([url, "--origin", ORIGIN]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/connection refused/);
    expect(r.stderr).toContain("page=2");
    expect(r.stderr).not.toContain(TOKEN);
    const shown = await probe([url, "--origin", ORIGIN, "--include-secrets"]);
    expect(shown.stderr).toContain(TOKEN);
  });
});

describe("redirects and what they carry", () => {
  const firstUrl = () => `http://127.0.0.1:${(first.address() as AddressInfo).port}/hop`;

  it("forwards --header values to another origin, as browsers do, and says so on stderr", async () => {
    seenSecond.length = 0;
    const r = await probe([firstUrl(), "--origin", ORIGIN, "--header", `X-Api-Key: ${TOKEN}`]);
    expect(r.status).toBe(0);
    const landed = seenSecond.filter((s) => s.method === "GET");
    expect(landed).toHaveLength(1);
    expect(landed[0]!.headers["x-api-key"]).toBe(TOKEN);
    expect(r.stderr).toMatch(/took X-Api-Key on to http:\/\/localhost:\d+.*--no-forward-headers/);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  });

  it("--no-forward-headers keeps them from the other origin", async () => {
    seenSecond.length = 0;
    seenFirst.length = 0;
    const r = await probe([firstUrl(), "--origin", ORIGIN, "--header", `X-Api-Key: ${TOKEN}`, "--no-forward-headers"]);
    expect(r.status).toBe(0);
    expect(seenFirst.find((s) => s.method === "GET")!.headers["x-api-key"]).toBe(TOKEN);
    expect(seenSecond.length).toBeGreaterThan(0);
    for (const s of seenSecond) {
      expect(s.headers["x-api-key"]).toBeUndefined();
      expect(String(s.headers["access-control-request-headers"] ?? "")).not.toContain("x-api-key");
    }
  });

  it("never sends --cookie to another host after a redirect", async () => {
    seenFirst.length = 0;
    seenSecond.length = 0;
    const r = await probe([firstUrl(), "--origin", ORIGIN, "--credentials", "--cookie", `sid=${TOKEN}`]);
    expect(r.status).toBe(0);
    expect(seenFirst.find((s) => s.method === "GET")!.headers.cookie).toBe(`sid=${TOKEN}`);
    expect(seenSecond.some((s) => s.url === "/landed")).toBe(true);
    for (const s of seenSecond) expect(s.headers.cookie).toBeUndefined();
    expect(r.stderr).toMatch(/--cookie was not sent after the redirect/);
  });

  it("never sends --cookie over http after https, even to the same host", async () => {
    // No certificate this machine trusts is at hand, so the https hop is answered by the transport
    // (a redirect to the real http server, same host); everything else goes over the wire.
    const port = (second.address() as AddressInfo).port;
    const sent: HttpRequest[] = [];
    const send: Transport = async (request, options) => {
      sent.push(request);
      if (request.url.startsWith("https:")) {
        return {
          status: 302,
          statusText: "Found",
          httpVersion: "1.1",
          headers: [
            { name: "Location", value: `http://127.0.0.1:${port}/plain` },
            { name: "Access-Control-Allow-Origin", value: ORIGIN },
            { name: "Access-Control-Allow-Credentials", value: "true" },
          ],
        };
      }
      return sendOverWire(request, options);
    };
    seenSecond.length = 0;
    const { io: cli, out } = io(false);
    await runProbe([`https://127.0.0.1:${port}/secure`, "--origin", ORIGIN, "--credentials", "--cookie", `sid=${TOKEN}`], cli, { send });
    const https = sent.find((r) => r.url.startsWith("https:"))!;
    expect(https.headers.find((h) => h.name === "Cookie")?.value).toBe(`sid=${TOKEN}`);
    expect(seenSecond.some((s) => s.url === "/plain")).toBe(true);
    for (const s of seenSecond) expect(s.headers.cookie).toBeUndefined();
    expect(out.stderr).toMatch(/--cookie was not sent after the redirect/);
    expect(out.stdout + out.stderr).not.toContain(TOKEN);
  });
});

describe("--audit progress", () => {
  const target = () => `http://127.0.0.1:${secondPort}/api`;
  it("on a terminal, stderr shows which origin is tried, then clears the line", async () => {
    const { io: cli, out } = io(true);
    await runProbe([target(), "--origin", ORIGIN, "--audit", "--max-requests", "6"], cli);
    expect(out.stderr).toMatch(/\r\u001b\[2Kprobe: audit 1\/\d+: trying Origin https:\/\/evil\.example/);
    expect(out.stderr).toMatch(/trying Origin null/);
    expect(out.stderr.endsWith("\r\u001b[2K")).toBe(true);
  });
  it("nothing when stderr is not a terminal", async () => {
    const { io: cli, out } = io(false);
    await runProbe([target(), "--origin", ORIGIN, "--audit", "--max-requests", "6"], cli);
    expect(out.stderr).toBe("");
  });
});
