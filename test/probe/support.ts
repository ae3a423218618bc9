// Runs `cors-doctor probe` in-process and starts the real servers the probe is tested against
// (Flask under Debian's python3, nginx in the foreground, Express) on loopback ephemeral ports.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { UsageError, type CliIo } from "../../src/cli/io";
import type { BrowserFetchResult, ChromiumSession } from "../support/chromium-fetch";
import { runProbe } from "../../src/cli/probe/command";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** CORS_DOCTOR_NGINX: another nginx binary (a test points it at a missing path to prove the skip). */
const NGINX = process.env.CORS_DOCTOR_NGINX ?? "/usr/sbin/nginx";
const PYTHON = "/usr/bin/python3";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** What src/cli/main.ts does around a command: UsageError → its message on stderr, exit 2. */
export async function probe(args: string[], env: Record<string, string | undefined> = {}, color = false): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stdin: () => new PassThrough(),
    color,
    env,
  };
  try {
    const status = await runProbe(args, io);
    return { status, stdout, stderr };
  } catch (err) {
    if (err instanceof UsageError) return { status: 2, stdout, stderr: stderr + err.message + "\n" };
    throw err;
  }
}

/** `probe … --json` parsed. */
export async function probeJson(args: string[]): Promise<{ status: number; report: any; stderr: string }> {
  const r = await probe([...args, "--json"]);
  if (r.status === 2) throw new Error(`probe failed: ${r.stderr}`);
  return { status: r.status, report: JSON.parse(r.stdout), stderr: r.stderr };
}

/** The ids of the origins the audit reports as findings, with their severity: "id:severity", sorted. */
export function auditFindings(report: any): string[] {
  return (report.audit as any[])
    .filter((a) => a.finding)
    .map((a) => `${a.id}:${a.severity}`)
    .sort();
}

/**
 * Why a system server cannot run here, or null. A test file that needs it skips with this reason (it names
 * the Debian package to install) instead of crashing the run on a spawn error.
 */
export function missingSystemTool(tool: "nginx" | "flask"): string | null {
  if (tool === "nginx") {
    return fs.existsSync(NGINX) ? null : `${NGINX} not found: install nginx (sh scripts/install-fix-servers.sh, or npm test installs it)`;
  }
  if (!fs.existsSync(PYTHON))
    return `${PYTHON} not found: install python3-flask and python3-flask-cors (sh scripts/install-fix-servers.sh)`;
  const probe = spawnSync(PYTHON, ["-c", "import flask, flask_cors"], { stdio: "pipe", timeout: 15_000 });
  return probe.status === 0
    ? null
    : `${PYTHON} cannot import flask, flask_cors: install python3-flask and python3-flask-cors (sh scripts/install-fix-servers.sh)`;
}

/** Declares a test file's skip: prints the reason once, so a skipped proof says what to install. */
export function skipReason(tool: "nginx" | "flask"): string | null {
  const reason = missingSystemTool(tool);
  if (reason) console.warn(`[probe tests] ${tool}: skipped — ${reason}`);
  return reason;
}

export interface RunningServer {
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** A port the OS just handed out (for servers that cannot bind port 0 themselves, like nginx). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 15_000): Promise<void> {
  // A spawn failure (ENOENT, EACCES) arrives as an "error" event: without a listener it is an uncaught
  // exception that ends the whole test run; here it fails the one start that caused it.
  let spawnError: Error | undefined;
  child.once("error", (err) => {
    spawnError = err;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`could not start ${child.spawnfile}: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not listen on ${port} within ${timeoutMs} ms: ${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  // pid undefined: the process never started (spawn error), so there is nothing to stop.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
    }, 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** One of the Flask apps in test/probe/flask_app.py, run by Debian's python3 (which has python3-flask-cors). */
export async function startFlask(config: string, allowed: string[]): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(PYTHON, [path.join(HERE, "flask_app.py"), config, String(port), allowed.join(" ")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  try {
    await waitForPort(port, child, () => output);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { origin: `http://127.0.0.1:${port}`, port, close: () => stopChild(child) };
}

/** nginx in the foreground with a temp prefix; `server` is the body of one server block (listen is added). */
export async function startNginx(serverBlock: string, httpBlock = ""): Promise<RunningServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "probe-nginx-"));
  const conf = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr warn;
daemon off;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  ${httpBlock}
  server {
    listen 127.0.0.1:${port};
    ${serverBlock}
  }
}`;
  fs.writeFileSync(path.join(dir, "nginx.conf"), conf);
  const child = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  try {
    await waitForPort(port, child, () => output);
  } catch (err) {
    await stopChild(child);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BrowserRow {
  method?: string;
  headers?: Record<string, string>;
  credentials?: boolean;
}

/** The same request through `probe` (from `pageOrigin`) and through Chromium's fetch() on a page at that origin. */
export async function compareWithChromium(
  chromium: ChromiumSession,
  pageOrigin: string,
  url: string,
  row: BrowserRow,
): Promise<{ probe: any; status: number; browser: BrowserFetchResult }> {
  const args = [url, "--origin", pageOrigin, "--method", row.method ?? "GET"];
  for (const [name, value] of Object.entries(row.headers ?? {})) args.push("--header", `${name}: ${value}`);
  if (row.credentials) args.push("--credentials");
  const { status, report } = await probeJson(args);
  const browser = await chromium.fetchFrom(pageOrigin + "/", {
    url,
    method: row.method ?? "GET",
    headers: row.headers,
    credentials: row.credentials ? "include" : "same-origin",
  });
  return { probe: report, status, browser };
}
