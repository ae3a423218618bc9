// nginx, Apache httpd and Caddy (Debian packages) and Go + rs/cors (Debian golang-go and
// golang-github-rs-cors-dev, built with GO111MODULE=off against /usr/share/gocode). Each server gets
// its own temporary directory and a free loopback port; the config is filled with either a
// hand-written broken CORS configuration (from the case's BrokenSpec) or the generated recipe.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { NGINX_SERVER_PART } from "../../../src/core/fixes/nginx";
import {
  freePort,
  OTHER_ORIGIN,
  spawnServerIn,
  type BrokenSpec,
  type RunningServer,
  type ServerConfig,
  type StackUnderProof,
} from "../support/proof";

const run = promisify(execFile);
const HERE = path.dirname(new URL(import.meta.url).pathname);

function read(name: string): string {
  return fs.readFileSync(path.join(HERE, name), "utf8");
}

function missingBinary(...paths: string[]): string | null {
  const missing = paths.filter((p) => !fs.existsSync(p));
  return missing.length ? `not installed: ${missing.join(", ")} (run scripts/install-fix-servers.sh)` : null;
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-fix-proof-"));
  fs.chmodSync(dir, 0o755); // Apache's worker runs as nobody
  return dir;
}

function fillAll(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z]+)\}\}/g, (_m, key: string) => {
    if (!(key in values)) throw new Error(`no value for {{${key}}}`);
    return values[key];
  });
}

function startIn(dir: string, command: string, args: string[], port: number, env: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  return spawnServerIn(dir, command, args, { port, env });
}

/** The static value of the broken Access-Control-Allow-Origin, or null for "origin"/"none". */
function staticAcao(spec: BrokenSpec): string | null {
  return spec.acao === "other" ? OTHER_ORIGIN : spec.acao === "*" ? "*" : null;
}

// ---------- nginx ----------

function nginxBroken(spec: BrokenSpec, pageOrigin: string): { http: string; server: string } {
  const always = spec.onErrors ? " always" : "";
  const http = spec.acao === "origin" ? `map $http_origin $broken_acao {\n    default "";\n    "${pageOrigin}" "${pageOrigin}";\n}` : "";
  const acao = spec.acao === "origin" ? "$broken_acao" : staticAcao(spec) ? `"${staticAcao(spec)}"` : null;
  const lines = [
    acao ? `add_header Access-Control-Allow-Origin ${acao}${always};` : "",
    spec.acac ? `add_header Access-Control-Allow-Credentials "true"${always};` : "",
    `add_header Access-Control-Allow-Methods "${spec.acam}"${always};`,
    `add_header Access-Control-Allow-Headers "${spec.acah}"${always};`,
    spec.vary ? `add_header Vary Origin${always};` : "",
  ];
  return { http, server: lines.filter(Boolean).join("\n") };
}

export const nginxProof: StackUnderProof = {
  stack: "nginx",
  unavailable: () => missingBinary("/usr/sbin/nginx"),
  async start(config: ServerConfig) {
    const dir = tempDir();
    const port = await freePort();
    let parts: { http: string; server: string };
    if (config.kind === "broken") parts = nginxBroken(config.spec, config.pageOrigin);
    else {
      const at = config.code.indexOf(NGINX_SERVER_PART);
      if (at < 0) throw new Error("nginx recipe has no server part");
      parts = { http: config.code.slice(0, at), server: config.code.slice(at) };
    }
    fs.writeFileSync(
      path.join(dir, "nginx.conf"),
      fillAll(read("nginx.conf"), { DIR: dir, PORT: String(port), HTTP: parts.http, SERVER: parts.server }),
    );
    return startIn(dir, "/usr/sbin/nginx", ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-e", "stderr"], port);
  },
};

// ---------- Apache httpd ----------

function apacheBroken(spec: BrokenSpec, pageOrigin: string): string {
  const when = spec.onErrors ? "always set" : "set";
  const lines: string[] = [];
  if (spec.acao === "origin") {
    lines.push(`SetEnvIf Origin "^${pageOrigin.replace(/[.]/g, "\\.")}$" BROKEN_ORIGIN=$0`);
    lines.push(`Header ${when} Access-Control-Allow-Origin "%{BROKEN_ORIGIN}e" env=BROKEN_ORIGIN`);
  } else if (staticAcao(spec)) lines.push(`Header ${when} Access-Control-Allow-Origin "${staticAcao(spec)}"`);
  if (spec.acac) lines.push(`Header ${when} Access-Control-Allow-Credentials "true"`);
  lines.push(`Header ${when} Access-Control-Allow-Methods "${spec.acam}"`);
  lines.push(`Header ${when} Access-Control-Allow-Headers "${spec.acah}"`);
  if (spec.vary) lines.push(`Header ${when} Vary "Origin"`);
  return lines.join("\n");
}

export const apacheProof: StackUnderProof = {
  stack: "apache",
  unavailable: () => missingBinary("/usr/sbin/apache2", "/usr/lib/apache2/modules/mod_headers.so", "/usr/lib/apache2/modules/mod_cgi.so"),
  async start(config: ServerConfig) {
    const dir = tempDir();
    const port = await freePort();
    const cors = config.kind === "broken" ? apacheBroken(config.spec, config.pageOrigin) : config.code;
    fs.writeFileSync(path.join(dir, "httpd.conf"), fillAll(read("apache.conf"), { DIR: dir, PORT: String(port), CORS: cors }));
    fs.copyFileSync(path.join(HERE, "api.cgi"), path.join(dir, "api.cgi"));
    fs.chmodSync(path.join(dir, "api.cgi"), 0o755);
    return startIn(dir, "/usr/sbin/apache2", ["-X", "-d", dir, "-f", path.join(dir, "httpd.conf")], port);
  },
};

// ---------- Caddy ----------

function caddyBroken(spec: BrokenSpec, pageOrigin: string): string {
  const lines: string[] = [];
  if (spec.acao === "origin") lines.push(`@page header Origin "${pageOrigin}"`, `header @page Access-Control-Allow-Origin "${pageOrigin}"`);
  else if (staticAcao(spec)) lines.push(`header Access-Control-Allow-Origin "${staticAcao(spec)}"`);
  if (spec.acac) lines.push(`header Access-Control-Allow-Credentials "true"`);
  lines.push(`header Access-Control-Allow-Methods "${spec.acam}"`, `header Access-Control-Allow-Headers "${spec.acah}"`);
  if (spec.vary) lines.push(`header Vary Origin`);
  if (!spec.onErrors) throw new Error("the Caddy proof server has no broken variant without headers on errors");
  return lines.map((l) => "\t" + l).join("\n");
}

export const caddyProof: StackUnderProof = {
  stack: "caddy",
  unavailable: () => missingBinary("/usr/bin/caddy"),
  async start(config: ServerConfig) {
    const dir = tempDir();
    const port = await freePort();
    const cors = config.kind === "broken" ? caddyBroken(config.spec, config.pageOrigin) : config.code.replace(/^/gm, "\t");
    fs.writeFileSync(path.join(dir, "Caddyfile"), fillAll(read("Caddyfile"), { DIR: dir, PORT: String(port), CORS: cors }));
    return startIn(dir, "/usr/bin/caddy", ["run", "--config", path.join(dir, "Caddyfile"), "--adapter", "caddyfile"], port, {
      HOME: dir,
      XDG_DATA_HOME: dir,
      XDG_CONFIG_HOME: dir,
    });
  },
};

// ---------- Go + rs/cors ----------

const GOPATH = "/usr/share/gocode";

export const goProof: StackUnderProof = {
  stack: "go",
  unavailable: () => missingBinary("/usr/bin/go", path.join(GOPATH, "src/github.com/rs/cors/cors.go")),
  async start(config: ServerConfig) {
    const dir = tempDir();
    fs.copyFileSync(path.join(HERE, "go", "main.go"), path.join(dir, "main.go"));
    fs.writeFileSync(path.join(dir, "cors.go"), config.kind === "broken" ? read("go/broken_cors.go.txt") : config.code);
    const env = {
      ...process.env,
      GO111MODULE: "off",
      GOPATH,
      GOFLAGS: "",
      CGO_ENABLED: "0",
      ...(process.env.HOME || process.env.GOCACHE ? {} : { GOCACHE: path.join(os.tmpdir(), "cors-fix-proof-gocache") }),
    };
    try {
      await run("/usr/bin/go", ["build", "-o", path.join(dir, "server"), "."], { cwd: dir, env, timeout: 120_000 });
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`go build failed: ${(err as { stderr?: string }).stderr ?? err}`);
    }
    const brokenEnv = config.kind === "broken" ? { CORS_BROKEN: JSON.stringify({ ...config.spec, pageOrigin: config.pageOrigin }) } : {};
    return spawnServerIn(dir, path.join(dir, "server"), [], { env: brokenEnv });
  },
};
