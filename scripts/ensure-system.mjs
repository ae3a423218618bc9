#!/usr/bin/env node
// The system set-up step of `npm test` (pretest), `npm start` and `npm run start:firefox`: on a fresh
// Debian machine these commands must work with nothing but Node and git installed. What each needs from
// the system (browsers, TLS tools, the servers of the fix proofs) is checked in a few milliseconds; what is
// missing is installed through apt (as root, or with passwordless sudo). When that is not possible the run
// stops at once with ONE line that names the exact command to run, instead of failing later in a test.
//
// Usage: node scripts/ensure-system.mjs test|start|start-firefox
// Env: CHROMIUM_PATH / FIREFOX_PATH (browsers elsewhere: then they are not installed from apt),
//      CORS_DOCTOR_SKIP_SYSTEM_SETUP=1 (check nothing, install nothing: for systems without apt, where
//      the tests that need a missing tool skip and say what to install).
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The fix-proof servers, read from the one list in scripts/install-fix-servers.sh. */
export function fixServerPackages() {
  const text = readFileSync(join(root, "scripts/install-fix-servers.sh"), "utf8");
  const line = /^PACKAGES="([^"]*)"/m.exec(text);
  if (!line) throw new Error('scripts/install-fix-servers.sh has no PACKAGES="…" line');
  return line[1].split(/\s+/).filter(Boolean);
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A command on PATH (the way a shell would find it), or null. */
function onPath(command, env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, command))) return join(dir, command);
  }
  return null;
}

/**
 * What each command needs: a Debian package and how to tell it is there. Browsers are looked for where
 * the product starts them (CHROMIUM_PATH / FIREFOX_PATH or Debian's paths); the rest by dpkg.
 * @param {NodeJS.ProcessEnv} env
 */
export function requirements(env, purpose) {
  const chromium = { pkg: "chromium", binary: env.CHROMIUM_PATH ?? "/usr/bin/chromium" };
  const firefox = { pkg: "firefox-esr", binary: env.FIREFOX_PATH ?? "/usr/bin/firefox-esr" };
  switch (purpose) {
    case "start":
      return [chromium];
    case "start-firefox":
      return [firefox];
    case "test":
      // openssl + certutil (libnss3-tools): the https test environment makes its own CA and trusts it
      // in the browsers' certificate databases.
      return [chromium, firefox, { pkg: "openssl" }, { pkg: "libnss3-tools" }, ...fixServerPackages().map((pkg) => ({ pkg }))];
    default:
      throw new Error(`unknown purpose ${JSON.stringify(purpose)} (test, start or start-firefox)`);
  }
}

/** The packages of `needs` that are absent. One dpkg-query call for all of them. */
export function missingPackages(needs, env) {
  const missing = new Set();
  const viaDpkg = [];
  for (const need of needs) {
    if (need.binary) {
      if (!executable(need.binary)) missing.add(need.pkg);
    } else viaDpkg.push(need.pkg);
  }
  if (viaDpkg.length) {
    const dpkgQuery = onPath("dpkg-query", env);
    const query = dpkgQuery ? spawnSync(dpkgQuery, ["-W", "-f=${Package} ${Status}\\n", ...viaDpkg], { encoding: "utf8", env }) : null;
    const installed = new Set(
      (query?.stdout ?? "")
        .split("\n")
        .filter((line) => line.endsWith(" install ok installed"))
        .map((line) => line.split(" ")[0].split(":")[0]),
    );
    for (const pkg of viaDpkg) if (!installed.has(pkg)) missing.add(pkg);
  }
  return [...missing];
}

const COMMAND = { test: "npm test", start: "npm start", "start-firefox": "npm run start:firefox" };

/**
 * Checks, installs when it can, and returns null when everything is there, or the one line to print.
 * @param {string} purpose test | start | start-firefox
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void }} [options]
 */
export function ensureSystem(purpose, { env = process.env, log = (line) => console.log(line) } = {}) {
  if (env.CORS_DOCTOR_SKIP_SYSTEM_SETUP === "1") return null;
  const needs = requirements(env, purpose);
  const missing = missingPackages(needs, env);
  if (missing.length === 0) return null;

  const what = COMMAND[purpose];
  const script = relative(process.cwd(), join(root, "scripts/apt-install.sh")) || "scripts/apt-install.sh";
  const installCommand = `sh ${script} ${missing.join(" ")}`;
  if (!onPath("apt-get", env) || !onPath("dpkg-query", env)) {
    return `${what}: missing ${missing.join(", ")} and this system has no apt-get (Debian or Ubuntu is expected): install them with your package manager (set CHROMIUM_PATH/FIREFOX_PATH for browsers elsewhere), then run: CORS_DOCTOR_SKIP_SYSTEM_SETUP=1 ${what}`;
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const sudo = !isRoot && onPath("sudo", env);
  const canSudo = sudo && spawnSync(sudo, ["-n", "true"], { stdio: "ignore", env }).status === 0;
  if (!isRoot && !canSudo) {
    return `${what}: missing ${missing.join(", ")}; install them as root with: ${sudo ? "sudo " : "su -c '"}${installCommand}${sudo ? "" : "'"}`;
  }

  log(`${what}: installing ${missing.join(", ")} from apt (once; scripts/apt-install.sh)`);
  const installed = spawnSync("sh", [join(root, "scripts/apt-install.sh"), ...missing], { stdio: "inherit", env });
  const still = missingPackages(needs, env);
  if (installed.status !== 0 || still.length) {
    return `${what}: apt could not install ${(still.length ? still : missing).join(", ")} (see above); install them, then run: ${what}`;
  }
  return null;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const purpose = process.argv[2] ?? "test";
  let problem;
  try {
    problem = ensureSystem(purpose);
  } catch (error) {
    problem = `ensure-system: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
