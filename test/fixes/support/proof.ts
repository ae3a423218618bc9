// Proof harness for fix recipes: start a real server in a broken CORS configuration, show in the
// system Chromium that the request is blocked the expected way, write the generated recipe into the
// server's app/config, restart, and show the same request now passes with no error-severity finding.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnoseExchange } from "../../../src/core/diagnose";
import { fixesFor, type FixContext } from "../../../src/core/fixes/index";
import type { Exchange } from "../../../src/core/model";
import { launchChromium, startPageServer, type BrowserFetchRequest, type ChromiumSession } from "../../support/chromium-fetch";

/**
 * How a broken server answers, implemented by hand (no CORS library) in every stack's template:
 * - acao: "none" no ACAO; "other" a different valid origin; "*"; "origin" the request's Origin when it
 *   is the page origin (an allow-list of one).
 * - onErrors: also add the headers to responses with status >= 400.
 * - vary: add `Vary: Origin`.
 * Preflights are answered by routing (after the auth check), never before it.
 */
export interface BrokenSpec {
  acao: "none" | "other" | "*" | "origin";
  acac: boolean;
  acam: string;
  acah: string;
  vary: boolean;
  onErrors: boolean;
}

export const OTHER_ORIGIN = "http://other.example";

export interface ProofCase {
  /** The finding id the recipe is generated for (used when the engine has no verdict yet). */
  id: string;
  request: { path: string; method: string; headers?: Record<string, string>; credentials?: "include" };
  broken: BrokenSpec;
  /** Chrome's Network.CorsError for the broken server; null: the request is not blocked (a lint). */
  chromeErrors: string[] | null;
  /** Ids the engine may name (blockedBy for blocking cases, a finding for lints). */
  engineIds: string[];
  /** Status the page sees once fixed. */
  fixedStatus: number;
}

const ok: Omit<BrokenSpec, "acao"> = {
  acac: false,
  acam: "GET, POST, PUT, PATCH, DELETE",
  acah: "content-type, x-api-key, authorization",
  vary: true,
  onErrors: true,
};

/** The failures the issue asks to prove, each a real broken configuration. */
export const CASES: Record<string, ProofCase> = {
  "acao-missing": {
    id: "acao-missing",
    request: { path: "/api/data", method: "GET" },
    broken: { ...ok, acao: "none" },
    chromeErrors: ["MissingAllowOriginHeader"],
    engineIds: ["acao-missing"],
    fixedStatus: 200,
  },
  "acao-mismatch": {
    id: "acao-mismatch-other-valid-origin",
    request: { path: "/api/data", method: "GET" },
    broken: { ...ok, acao: "other" },
    chromeErrors: ["AllowOriginMismatch"],
    engineIds: ["acao-mismatch", "acao-mismatch-other-valid-origin"],
    fixedStatus: 200,
  },
  "acao-wildcard-with-credentials": {
    id: "acao-wildcard-with-credentials",
    request: { path: "/api/data", method: "GET", credentials: "include" },
    broken: { ...ok, acao: "*", acac: true },
    chromeErrors: ["WildcardOriginNotAllowed"],
    engineIds: ["acao-wildcard-with-credentials"],
    fixedStatus: 200,
  },
  "acac-not-true": {
    id: "acac-not-true",
    request: { path: "/api/data", method: "GET", credentials: "include" },
    broken: { ...ok, acao: "origin", acac: false },
    chromeErrors: ["InvalidAllowCredentials"],
    engineIds: ["acac-not-true"],
    fixedStatus: 200,
  },
  "preflight-method-not-allowed": {
    id: "preflight-method-not-allowed",
    request: { path: "/api/data", method: "PUT", headers: { "content-type": "application/json" } },
    broken: { ...ok, acao: "origin", acam: "GET, POST" },
    chromeErrors: ["MethodDisallowedByPreflightResponse"],
    engineIds: ["preflight-method-not-allowed"],
    fixedStatus: 200,
  },
  "preflight-header-not-allowed": {
    id: "preflight-header-not-allowed",
    request: { path: "/api/data", method: "GET", headers: { "x-api-key": "k1" } },
    broken: { ...ok, acao: "origin", acah: "content-type" },
    chromeErrors: ["HeaderDisallowedByPreflightResponse"],
    engineIds: ["preflight-header-not-allowed"],
    fixedStatus: 200,
  },
  "preflight-rejected-by-auth": {
    id: "preflight-rejected-by-auth",
    request: { path: "/api/private", method: "GET", headers: { authorization: "Bearer t0ken" } },
    broken: { ...ok, acao: "origin", onErrors: false },
    // 401 without CORS headers → the CORS check fails first; with them → the status check.
    chromeErrors: ["PreflightMissingAllowOriginHeader", "PreflightInvalidStatus"],
    engineIds: ["preflight-rejected-by-auth", "preflight-acao-missing", "preflight-status-not-ok"],
    fixedStatus: 200,
  },
  "cors-headers-missing-on-error-responses": {
    id: "cors-headers-missing-on-error-responses",
    request: { path: "/api/error", method: "GET" },
    broken: { ...ok, acao: "origin", onErrors: false },
    chromeErrors: ["MissingAllowOriginHeader"],
    engineIds: ["cors-headers-missing-on-error-responses", "acao-missing"],
    fixedStatus: 500,
  },
  "dynamic-acao-missing-vary": {
    id: "dynamic-acao-missing-vary",
    request: { path: "/api/data", method: "GET" },
    broken: { ...ok, acao: "origin", vary: false },
    chromeErrors: null,
    engineIds: ["dynamic-acao-missing-vary"],
    fixedStatus: 200,
  },
};

export type ServerConfig = { kind: "broken"; spec: BrokenSpec; pageOrigin: string } | { kind: "fixed"; code: string };

export interface RunningServer {
  /** e.g. http://127.0.0.1:34567 */
  base: string;
  stop(): Promise<void>;
}

export interface StackUnderProof {
  stack: string;
  /** Why the stack cannot run here (a missing binary/module), or null. */
  unavailable(): string | null;
  start(config: ServerConfig): Promise<RunningServer>;
}

// ---------- process helpers ----------

/** A free loopback port for servers that need it in a config file (bound and released at once). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface SpawnedServer extends RunningServer {
  child: ChildProcess;
}

/**
 * Spawns a server and waits (bounded) until it prints `PORT <n>` on stdout, or until `port` accepts
 * connections when the port is fixed in a config file. Output is kept for the failure message.
 */
/**
 * Starts a server whose files live in `dir` (a temporary folder made for it): the folder goes away when
 * the server stops, or at once when it fails to start.
 */
export async function spawnServerIn(
  dir: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<RunningServer> {
  try {
    const server = await spawnServer(command, args, { cwd: dir, ...options });
    return {
      base: server.base,
      stop: async () => {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export async function spawnServer(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; port?: number; timeoutMs?: number } = {},
): Promise<SpawnedServer> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: false,
  });
  let output = "";
  const timeoutMs = options.timeoutMs ?? 20_000;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /^PORT (\d+)$/m.exec(output);
      if (m && options.port === undefined) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`));
    });
    if (options.port !== undefined) {
      const fixed = options.port;
      const deadline = Date.now() + timeoutMs;
      const probe = () => {
        const sock = net.connect(fixed, "127.0.0.1");
        sock.once("connect", () => {
          sock.destroy();
          clearTimeout(timer);
          resolve(fixed);
        });
        sock.once("error", () => {
          sock.destroy();
          if (Date.now() < deadline && child.exitCode === null) setTimeout(probe, 50);
        });
      };
      probe();
    }
  }).catch(async (err) => {
    child.kill("SIGKILL");
    throw err;
  });
  return {
    child,
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** A plain request outside the browser (to check what a foreign origin gets). */
export function rawRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

// ---------- engine helpers ----------

function headerValues(exchange: Exchange, name: string): string[] {
  const leg = exchange.legs[exchange.legs.length - 1];
  return (leg.response?.headers ?? []).filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
}

export function fixContextFor(pc: ProofCase, pageOrigin: string, url: string, findingId: string): FixContext {
  const safelisted = new Set(["accept", "accept-language", "content-language"]);
  const names = Object.keys(pc.request.headers ?? {})
    .map((h) => h.toLowerCase())
    .filter((h) => !safelisted.has(h))
    .sort();
  return {
    findingId,
    origin: pageOrigin,
    url,
    method: pc.request.method,
    requestHeaders: names,
    credentials: pc.request.credentials === "include",
  };
}

// ---------- the proof itself ----------

/**
 * Declares the proofs of one test file: one Chromium and one page server for the file, one describe
 * block per stack (skipped, with the reason printed, when the stack cannot run here); each case runs
 * broken → blocked, then fixed → passes.
 */
export function proveStacks(title: string, plan: Array<[StackUnderProof, string[]]>): void {
  describe(title, () => {
    let session: ChromiumSession | undefined;
    let page: { origin: string; close(): Promise<void> } | undefined;
    beforeAll(async () => {
      session = await launchChromium();
      page = await startPageServer();
    });
    afterAll(async () => {
      await session?.close();
      await page?.close();
    });
    for (const [subject, caseNames] of plan) {
      const reason = subject.unavailable();
      if (reason) console.warn(`[fix proofs] ${subject.stack}: skipped — ${reason}`);
      (reason ? describe.skip : describe)(subject.stack, () => {
        for (const name of caseNames) {
          it(`${name}: blocked when broken, passes with the generated ${subject.stack} recipe`, async () => {
            await proveCase(subject, CASES[name], name, session!, page!.origin);
          });
        }
      });
    }
  });
}

async function proveCase(
  subject: StackUnderProof,
  pc: ProofCase,
  _name: string,
  session: ChromiumSession,
  pageOrigin: string,
): Promise<void> {
  const pageUrl = pageOrigin + "/";
  const request = (base: string): BrowserFetchRequest => ({
    url: base + pc.request.path,
    method: pc.request.method,
    headers: pc.request.headers,
    credentials: pc.request.credentials,
    body: pc.request.method === "PUT" ? "{}" : undefined,
  });

  // 1. Broken configuration: the browser blocks (or, for a lint, the hazard is in the headers).
  let server = await subject.start({ kind: "broken", spec: pc.broken, pageOrigin });
  const url = server.base + pc.request.path;
  let before;
  try {
    before = await session.fetchFrom(pageUrl, request(server.base));
  } finally {
    await server.stop();
  }
  const d1 = diagnoseExchange(before.exchange);
  if (pc.chromeErrors) {
    expect(before.blocked, JSON.stringify(before.page)).toBe(true);
    expect(pc.chromeErrors).toContain(before.corsError);
    expect(pc.engineIds).toContain(d1.blockedBy?.id);
  } else {
    expect(before.blocked, JSON.stringify(before.page)).toBe(false);
    expect(headerValues(before.exchange, "vary").join(",")).not.toMatch(/origin/i);
    expect(d1.findings.map((f) => f.id)).toEqual(expect.arrayContaining([pc.id]));
  }

  // 2. The recipe generated for this failure, written into the server's app/config.
  // The engine's id when it named one of the expected findings; otherwise the case's own id.
  const named = d1.blockedBy?.id ?? d1.findings.find((f) => f.id === pc.id)?.id;
  const findingId = named && pc.engineIds.includes(named) ? named : pc.id;
  const fix = fixesFor(fixContextFor(pc, pageOrigin, url, findingId)).find((f) => f.stack === subject.stack);
  expect(fix, `no ${subject.stack} recipe for ${findingId}`).toBeDefined();
  server = await subject.start({ kind: "fixed", code: fix!.code });
  try {
    const after = await session.fetchFrom(pageUrl, request(server.base));
    expect(after.blocked, `${after.corsError ?? ""} ${JSON.stringify(after.page)}`).toBe(false);
    expect(after.page).toEqual({ ok: true, status: pc.fixedStatus });
    expect(headerValues(after.exchange, "vary").join(",")).toMatch(/origin/i);
    const d2 = diagnoseExchange(after.exchange);
    expect(d2.findings.filter((f) => f.severity === "error").map((f) => f.id)).toEqual([]);
    expect(d2.verdict).not.toBe("blocked");

    // 3. An allow-list, not reflection: another origin gets no Access-Control-Allow-Origin.
    const foreign = await rawRequest(server.base + pc.request.path, "GET", { origin: "http://evil.example" });
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
  } finally {
    await server.stop();
  }
}
