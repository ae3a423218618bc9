// The set-up step of `npm test` / `npm start` (scripts/ensure-system.mjs) on machines it cannot fix: it must
// stop at once with ONE line naming the exact command to run, never start installing or fail later in a
// test. Run for real as a non-root user (nobody, through setpriv when the runner is root) with browser
// paths that do not exist, and with a PATH that has no apt-get (a non-Debian system).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SCRIPT = path.join(ROOT, "scripts/ensure-system.mjs");
const isRoot = process.getuid?.() === 0;
/** A directory holding only `node`: a PATH without apt-get, dpkg-query, sudo or any browser. */
const NODE_ONLY = fs.mkdtempSync(path.join(os.tmpdir(), "ensure-node-only-"));
fs.symlinkSync(process.execPath, path.join(NODE_ONLY, "node"));
fs.chmodSync(NODE_ONLY, 0o755);
afterAll(() => fs.rmSync(NODE_ONLY, { recursive: true, force: true }));

const NO_BROWSERS = { CHROMIUM_PATH: "/nonexistent/chromium", FIREFOX_PATH: "/nonexistent/firefox-esr" };

/** Runs the ensure step as a non-root user with exactly `env` (nothing inherited). */
function ensureAsNonRoot(purpose: string, env: Record<string, string>) {
  const command = isRoot ? "/usr/bin/setpriv" : process.execPath;
  const args = isRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, SCRIPT, purpose] : [SCRIPT, purpose];
  const run = spawnSync(command, args, { cwd: ROOT, env, encoding: "utf8", timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lines: run.stderr.split("\n").filter(Boolean) };
}

describe("ensure-system as a user who cannot install", () => {
  it.skipIf(isRoot && !fs.existsSync("/usr/bin/setpriv"))("on Debian without root or sudo: one line naming the apt command", () => {
    const r = ensureAsNonRoot("test", { ...NO_BROWSERS, PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/nonexistent" });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.lines).toHaveLength(1);
    // The missing browsers by package name, and the exact command: our apt wrapper keeps the servers'
    // services from starting during the install.
    expect(r.lines[0]).toMatch(
      /^npm test: missing chromium, firefox-esr\b.*; install them as root with: (sudo |su -c ')sh scripts\/apt-install\.sh chromium firefox-esr\b.*$/,
    );
  });

  it.skipIf(isRoot && !fs.existsSync("/usr/bin/setpriv"))("without apt-get: one line saying what to install and how to run anyway", () => {
    const r = ensureAsNonRoot("start", { ...NO_BROWSERS, PATH: NODE_ONLY });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.lines).toEqual([
      "npm start: missing chromium and this system has no apt-get (Debian or Ubuntu is expected): install them with your package manager (set CHROMIUM_PATH/FIREFOX_PATH for browsers elsewhere), then run: CORS_DOCTOR_SKIP_SYSTEM_SETUP=1 npm start",
    ]);
  });

  it("start-firefox names Firefox ESR only", () => {
    const r = ensureAsNonRoot("start-firefox", { ...NO_BROWSERS, PATH: NODE_ONLY });
    expect(r.status).toBe(1);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/^npm run start:firefox: missing firefox-esr and this system has no apt-get/);
  });
});

describe("ensure-system when nothing is missing", () => {
  it("says nothing and exits 0 (the browser found where CHROMIUM_PATH points)", () => {
    // node itself stands in for an executable browser: nothing is missing, so apt is never consulted.
    const r = ensureAsNonRoot("start", { CHROMIUM_PATH: process.execPath, PATH: NODE_ONLY });
    expect(r).toMatchObject({ status: 0, stdout: "", stderr: "" });
  });

  it("CORS_DOCTOR_SKIP_SYSTEM_SETUP=1 checks nothing", () => {
    const r = ensureAsNonRoot("test", { ...NO_BROWSERS, PATH: NODE_ONLY, CORS_DOCTOR_SKIP_SYSTEM_SETUP: "1" });
    expect(r).toMatchObject({ status: 0, stdout: "", stderr: "" });
  });

  it("rejects an unknown purpose in one line", () => {
    const r = ensureAsNonRoot("deploy", { PATH: NODE_ONLY });
    expect(r.status).toBe(1);
    expect(r.lines).toEqual(['ensure-system: unknown purpose "deploy" (test, start or start-firefox)']);
  });
});

describe("the apt wrapper it names", () => {
  it.skipIf(!fs.existsSync("/usr/bin/dpkg-query"))("installs nothing when every package is present (no apt-get call)", () => {
    const r = spawnSync("sh", [path.join(ROOT, "scripts/apt-install.sh"), "dpkg", "coreutils"], { encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("apt-install: all present");
  });

  it("npm test runs the set-up step before the build, and CI runs npm test", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts.pretest).toMatch(/^node scripts\/ensure-system\.mjs test && /);
    const ci = fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8");
    expect(ci.split("\n").filter((l) => /^\s*npm /.test(l))).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
    for (const script of ["start.mjs", "start-firefox.mjs"]) {
      expect(fs.readFileSync(path.join(ROOT, "scripts", script), "utf8")).toMatch(/ensureSystem\("start(-firefox)?"\)/);
    }
  });
});

describe("a test file whose system server is absent", () => {
  it("skips and names the package instead of crashing the run (nginx: once an uncaught spawn ENOENT)", () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "test/probe/nginx.test.ts"], {
      cwd: ROOT,
      env: { ...process.env, CORS_DOCTOR_NGINX: "/nonexistent/nginx", NO_COLOR: "1", FORCE_COLOR: "0" },
      encoding: "utf8",
      timeout: 120_000,
    });
    const out = r.stdout + r.stderr;
    expect(r.status, out).toBe(0);
    expect(out).toMatch(/nginx: skipped — \/nonexistent\/nginx not found: install nginx/);
    expect(out).toMatch(/Test Files\s+1 skipped/);
    expect(out).not.toMatch(/ENOENT|Unhandled/);
  }, 150_000);
});
