// `probe` in-process: argument parsing, the exit-2 errors (bad usage, unreachable, timeout, TLS), the human
// report (colour rules, redaction, untrusted bytes), --curl, and the hostile origins --audit derives.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProbeArgs } from "../../src/cli/probe/options";
import { hostileOrigins } from "../../src/cli/probe/hostile-origins";
import { refusedPort } from "../support/refused-port.mjs";
import { probe, probeJson } from "./support";

const ORIGIN = "https://app.example.com";

describe("argument errors exit 2 with one line", () => {
  const ROWS: Array<[string[], RegExp]> = [
    [[], /missing <url>/],
    [["http://127.0.0.1:1/"], /--origin <origin> is required/],
    [["not a url", "--origin", ORIGIN], /invalid URL "not a url"/],
    [["ftp://example.com/", "--origin", ORIGIN], /only http and https/],
    [["http://u:p@127.0.0.1/", "--origin", ORIGIN], /credentials/],
    [["http://127.0.0.1/", "--origin", "app.example.com"], /invalid origin/],
    [["http://127.0.0.1/", "--origin", "https://app.example.com/login"], /use https:\/\/app\.example\.com\n$/],
    [["http://127.0.0.1/", "--origin", "file:///tmp"], /http\(s\) or null/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--browser", "safari"], /chrome or firefox/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--header", "X-Foo"], /"Name: value"/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--header", "Origin: https://x.example"], /use --origin/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--header", "Cookie: a=b"], /--cookie/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--header", "Content-Length: 3"], /cannot set the Content-Length/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--method", "TRACE"], /forbidden method TRACE/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--max-requests", "many"], /whole number/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--timeout", "0"], /greater than 0/],
    [["http://127.0.0.1/", "--origin", ORIGIN, "--frobnicate"], /unknown option --frobnicate/],
    [["http://127.0.0.1/", "--origin"], /--origin needs a value/],
    [["http://127.0.0.1/", "http://127.0.0.2/", "--origin", ORIGIN], /one URL only/],
  ];
  for (const [args, message] of ROWS) {
    it(`${JSON.stringify(args)} → ${message}`, async () => {
      const r = await probe(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stdout).toBe("");
    });
  }
});

describe("argument parsing", () => {
  it("normalises the method as fetch() does and keeps repeated headers in order", () => {
    const parsed = parseProbeArgs([
      "http://127.0.0.1/x#frag",
      "--origin=https://app.example.com/",
      "--method",
      "put",
      "--header",
      "X-A: 1",
      "--header",
      "x-b:2",
      "--credentials",
      "--audit",
      "--delay",
      "5",
    ]);
    if (parsed.help) throw new Error("help");
    expect(parsed.options).toMatchObject({
      url: "http://127.0.0.1/x",
      origin: ORIGIN,
      method: "PUT",
      credentials: true,
      audit: true,
      delayMs: 5,
      maxRequests: 40,
      timeoutMs: 10_000,
      headers: [
        { name: "X-A", value: "1" },
        { name: "x-b", value: "2" },
      ],
      browser: "chrome",
      json: false,
    });
    const patch = parseProbeArgs(["http://127.0.0.1/", "--origin", "null", "--method", "patch"]);
    if (patch.help) throw new Error("help");
    expect(patch.options.method).toBe("patch");
    expect(patch.options.origin).toBe("null");
  });

  it("--help prints the usage and exits 0", async () => {
    const r = await probe(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: cors-doctor probe <url> --origin <origin>/);
  });
});

// Servers that misbehave below HTTP, and one that answers raw bytes (duplicate headers, control characters).
let silent: net.Server;
let silentPort: number;
let raw: net.Server;
let rawPort: number;
let plain: http.Server;
let plainPort: number;
const sockets = new Set<net.Socket>();
beforeAll(async () => {
  silent = net.createServer((s) => {
    sockets.add(s);
  }); // accepts, never answers
  raw = net.createServer((s) => {
    sockets.add(s);
    s.once("data", () => {
      s.end(
        [
          "HTTP/1.1 200 OK",
          "Access-Control-Allow-Origin: https://app.example.com",
          "Access-Control-Allow-Origin: https://app.example.com",
          "X-Note: \u001b[2J\u001b[31mgotcha",
          "Set-Cookie: session=s3cr3t",
          "Content-Length: 0",
          "Connection: close",
          "",
          "",
        ].join("\r\n"),
      );
    });
  });
  plain = http.createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
    const requested = req.headers["access-control-request-headers"];
    if (requested) res.setHeader("Access-Control-Allow-Headers", requested);
    res.end("ok");
  });
  for (const server of [silent, raw, plain]) await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  silentPort = (silent.address() as AddressInfo).port;
  rawPort = (raw.address() as AddressInfo).port;
  plainPort = (plain.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  plain.closeAllConnections();
  await Promise.all([silent, raw, plain].map((server) => new Promise<void>((r) => server.close(() => r()))));
});

describe("network failures exit 2 with one line", () => {
  it("connection refused", async () => {
    const port = await refusedPort();
    const r = await probe([`http://127.0.0.1:${port}/api`, "--origin", ORIGIN]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`probe: GET http://127.0.0.1:${port}/api: connection refused (nothing listens on 127.0.0.1:${port})\n`);
  });

  it("timeout", async () => {
    const started = Date.now();
    const r = await probe([`http://127.0.0.1:${silentPort}/api`, "--origin", ORIGIN, "--timeout", "300"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^probe: GET http:\/\/127\.0\.0\.1:\d+\/api: no response within 300 ms \(--timeout\)\n$/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  // openssl makes the certificate: without it (Debian package openssl) this skips and says so.
  it.skipIf(!["/usr/bin/openssl", "/bin/openssl"].some((p) => fs.existsSync(p)))(
    "TLS failure (a self-signed certificate, which the browser refuses too) (needs openssl)",
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-tls-"));
      try {
        execFileSync(
          "openssl",
          [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-days",
            "1",
            "-keyout",
            path.join(dir, "key.pem"),
            "-out",
            path.join(dir, "cert.pem"),
          ],
          { stdio: "ignore", timeout: 20_000 },
        );
        const server = https.createServer(
          { key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) },
          (_req, res) => res.end("ok"),
        );
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        try {
          const r = await probe([`https://127.0.0.1:${(server.address() as AddressInfo).port}/api`, "--origin", ORIGIN]);
          expect(r.status).toBe(2);
          expect(r.stderr).toMatch(/^probe: GET https:\/\/127\.0\.0\.1:\d+\/api: TLS failure \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
          expect(r.stderr.trim().split("\n")).toHaveLength(1);
        } finally {
          server.closeAllConnections();
          await new Promise<void>((r) => server.close(() => r()));
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("TLS failure (https to a plain-http port)", async () => {
    const r = await probe([`https://127.0.0.1:${plainPort}/api`, "--origin", ORIGIN, "--timeout", "3000"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^probe: GET https:\/\/127\.0\.0\.1:\d+\/api: TLS failure/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("human output", () => {
  it("shows duplicate header lines as received, escapes control characters, redacts secrets", async () => {
    const r = await probe([`http://127.0.0.1:${rawPort}/api`, "--origin", ORIGIN, "--credentials", "--cookie", "sid=abc123"]);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/< Access-Control-Allow-Origin: https:\/\/app\.example\.com/g)).toHaveLength(2);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("< X-Note: \\u001b[2J\\u001b[31mgotcha");
    expect(r.stdout).not.toContain("abc123");
    expect(r.stdout).not.toContain("s3cr3t");
    expect(r.stdout).toMatch(/Verdict: BLOCKED/);
  });

  it("redacts credential-like query parameters and API-key headers everywhere, the diagnosis included", async () => {
    const args = [
      `http://127.0.0.1:${plainPort}/api?access_token=tok-98765&page=2`,
      "--origin",
      ORIGIN,
      "--header",
      "X-Api-Key: key-12345",
      "--audit",
      "--max-requests",
      "2",
    ];
    const text = await probe(args);
    const json = await probe([...args, "--json"]);
    for (const out of [text.stdout, json.stdout]) {
      expect(out).not.toContain("tok-98765");
      expect(out).not.toContain("key-12345");
      expect(out).toContain("page=2");
    }
    expect(text.stdout).toMatch(/> X-Api-Key: \[redacted\]/);
  });

  it("--include-secrets shows them and says so", async () => {
    const r = await probe([
      `http://127.0.0.1:${rawPort}/api`,
      "--origin",
      ORIGIN,
      "--credentials",
      "--cookie",
      "sid=abc123",
      "--include-secrets",
    ]);
    expect(r.stdout).toContain("> Cookie: sid=abc123");
    expect(r.stdout).toContain("Set-Cookie: session=s3cr3t");
    expect(r.stdout).toMatch(/Secrets included \(--include-secrets\)/);
  });

  it("colours only on a TTY and never with NO_COLOR", async () => {
    const args = [`http://127.0.0.1:${plainPort}/api`, "--origin", ORIGIN];
    expect((await probe(args, {}, false)).stdout).not.toContain("\u001b[");
    expect((await probe(args, {}, true)).stdout).toContain("\u001b[");
    expect((await probe(args, { NO_COLOR: "1" }, true)).stdout).not.toContain("\u001b[");
  });

  it("--browser firefox gives Firefox's verdict and console line", async () => {
    const r = await probe([`http://127.0.0.1:${rawPort}/api`, "--origin", ORIGIN, "--browser", "firefox"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Verdict: BLOCKED — Firefox blocks this request\./);
    expect(r.stdout).toContain("Firefox console: Cross-Origin Request Blocked");
    expect(r.stdout).not.toContain("Chrome console:");
  });

  it("--json keeps both lines and the contract's shape", async () => {
    const { status, report } = await probeJson([`http://127.0.0.1:${rawPort}/api`, "--origin", ORIGIN]);
    expect(status).toBe(1);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["tool", "version", "exchanges", "diagnosis", "audit"]));
    expect(report.tool).toBe("cors-doctor");
    expect(report.audit).toEqual([]);
    expect(report.exchanges[0].response.headers.filter((h: any) => h.name === "Access-Control-Allow-Origin")).toHaveLength(2);
    expect(JSON.stringify(report)).not.toContain("s3cr3t");
    expect(report.diagnosis.blockedBy.chromeCorsError).toBe("MultipleAllowOriginValues");
  });
});

describe("--curl", () => {
  it("prints the preflight and the actual request without sending anything", async () => {
    const port = await refusedPort(); // nothing listens: --curl must not connect
    const r = await probe([
      `http://127.0.0.1:${port}/api`,
      "--origin",
      ORIGIN,
      "--method",
      "PUT",
      "--header",
      "X-Foo: 1",
      "--header",
      "Content-Type: application/json",
      "--credentials",
      "--cookie",
      "sid=abc123",
      "--curl",
    ]);
    expect(r.status).toBe(0);
    const [preflight, actual] = r.stdout.split("# Actual request");
    expect(preflight).toMatch(/curl -i -X OPTIONS/);
    expect(preflight).toContain("'Access-Control-Request-Headers: content-type,x-foo'");
    expect(preflight).toContain("'Access-Control-Request-Method: PUT'");
    expect(preflight).not.toMatch(/Cookie/);
    expect(actual).toMatch(/curl -i -X PUT/);
    expect(actual).toContain("'Origin: https://app.example.com'");
    expect(actual).toContain("Cookie: sid=[redacted]");
    expect(r.stdout).not.toContain("abc123");
  });

  it("a simple GET has no preflight", async () => {
    const r = await probe(["http://127.0.0.1:9/api", "--origin", ORIGIN, "--curl"]);
    expect(r.stdout).not.toContain("OPTIONS");
    expect(r.stdout.match(/^curl /gm)).toHaveLength(1);
  });
});

describe("hostile origins derived for --audit (taxonomy B.1)", () => {
  it("from https://app.example.com", () => {
    expect(hostileOrigins(ORIGIN, "https://api.example.com/v1").map((o) => `${o.id} ${o.origin}`)).toEqual([
      "acao-reflects-arbitrary-origin https://evil.example",
      "acao-null-trusted null",
      "acao-prefix-match-bypass https://app.example.com.evil.example",
      "acao-suffix-match-bypass https://evilexample.com",
      "acao-substring-match https://app.example.co",
      "acao-unescaped-dot-regex https://app.examplexcom",
      "acao-any-subdomain-trusted https://evil.example.com",
      "acao-http-origin-on-https http://app.example.com",
      "acao-special-char-bypass https://app.example.com_.evil.example",
      "acao-special-char-bypass https://app.example.com`.evil.example",
      "acao-special-char-bypass https://app.example.com%60.evil.example",
      "acao-special-char-bypass https://app.example.com}.evil.example",
      "acao-special-char-bypass https://app.example.com!.evil.example",
      "acao-third-party-unsafe-origin https://evil.github.io",
      "acao-third-party-unsafe-origin https://evil.s3.amazonaws.com",
      "acao-third-party-unsafe-origin https://codepen.io",
      "acao-third-party-unsafe-origin https://jsfiddle.net",
      "acao-third-party-unsafe-origin https://evil.gitlab.io",
    ]);
  });

  it("never includes the legitimate origin, and no http variant for an http-only site", () => {
    const list = hostileOrigins("http://localhost:8080", "http://127.0.0.1:5000/");
    expect(list.map((o) => o.origin)).not.toContain("http://localhost:8080");
    expect(list.some((o) => o.id === "acao-http-origin-on-https")).toBe(false);
    expect(list.find((o) => o.id === "acao-prefix-match-bypass")?.origin).toBe("http://localhost.evil.example:8080");
  });

  it("--delay paces the audit", async () => {
    const started = Date.now();
    const { report } = await probeJson([
      `http://127.0.0.1:${plainPort}/api`,
      "--origin",
      ORIGIN,
      "--audit",
      "--max-requests",
      "4",
      "--delay",
      "100",
    ]);
    expect(report.auditRequests).toBe(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });
});
