// The README cannot rot: every command in it (each line of its shell blocks, each inline command) is either
// run here, or run by a named test or by CI (checked: that file really runs it), or exempt with the reason
// written next to it. A command added to the README without a row here fails this test, and so does a row
// whose command left the README. The README also claims no store listing.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandsOf } from "./readme-commands";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const CLI = path.join(ROOT, "dist/cli/cors-doctor.cjs");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The built CLI, as `cors-doctor` (what `npm link` puts on PATH). */
function cli(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
}

/** The same, without blocking this process (the loopback API below answers from it). */
function cliAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** A loopback stand-in for the README's https://api.example.com: CORS for https://app.example.com only. */
let api: http.Server;
let apiOrigin = "";
beforeAll(async () => {
  if (!fs.existsSync(CLI)) {
    const built = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
  }
  api = http.createServer((req, res) => {
    if (req.headers.origin === "https://app.example.com") {
      res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Methods", "GET, PUT");
      res.setHeader("Access-Control-Allow-Headers", "Content-Type");
    }
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, { "Content-Type": "application/json" });
    res.end(req.method === "OPTIONS" ? undefined : '{"items":[]}');
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 120_000);
afterAll(() => new Promise<void>((r) => api?.close(() => r())));

/** README placeholders → what this test uses: a recorded Chrome HAR, the loopback API above. */
function concrete(command: string): string[] {
  const words = command.match(/"[^"]*"|\S+/g)!.map((w) => w.replace(/^"(.*)"$/, "$1"));
  return words
    .slice(1)
    .map((w) => (w === "session.har" ? "test/fixtures/devtools/chrome-devtools.har" : w.replace("https://api.example.com", apiOrigin)));
}

type Row = { run: (command: string) => void | Promise<void> } | { test: string; runs: RegExp } | { exempt: string; check?: () => void };

const npmScript = (name: string) => () => {
  expect(PKG.scripts[name], `package.json has no "${name}" script`).toBeTruthy();
  const file = /^node (\S+)/.exec(PKG.scripts[name])?.[1];
  if (file) expect(fs.existsSync(path.join(ROOT, file)), file).toBe(true);
};

/** Every README command, and how it is proven. */
const ROWS: Record<string, Row> = {
  // --- run by CI and the newcomer: .ci/run is exactly these two (test/setup/ensure-system.test.ts checks it)
  "npm ci": { test: ".ci/run", runs: /^npm ci\b/m },
  "npm test": { test: ".ci/run", runs: /^npm test$/m },
  "npm run build": { test: "package.json", runs: /"pretest": "[^"]*&& npm run build"/ },
  "CORS_DOCTOR_SKIP_SYSTEM_SETUP=1 npm test": { test: "test/setup/ensure-system.test.ts", runs: /CORS_DOCTOR_SKIP_SYSTEM_SETUP: "1"/ },
  // --- the product
  "npm start": { test: "test/playground/start.test.ts", runs: /scripts\/start\.mjs/ },
  "npm start -- --headless": { test: "test/interop/playground-export.test.ts", runs: /"--headless"/ },
  "npm run start:firefox": { test: "test/playground/package-install.test.ts", runs: /startScript\("start-firefox\.mjs"/ },
  "npm run package": { test: "test/playground/helpers.ts", runs: /scripts\/package\.mjs/ },
  "node playground/server.mjs [--port P]": {
    run: async () => {
      for (const args of [[], ["--port", "0"]]) {
        // --port 0 is refused (ports are 1–65535); the bare form picks free ports.
        if (args.length) {
          const refused = spawnSync(process.execPath, ["playground/server.mjs", ...args], { cwd: ROOT, encoding: "utf8", timeout: 20_000 });
          expect(refused.status).toBe(2);
          expect(refused.stderr).toMatch(/--port needs a port number/);
          continue;
        }
        const child = spawn(process.execPath, ["playground/server.mjs"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
        try {
          const url = await new Promise<string>((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20_000);
            child.stdout!.on("data", (d) => {
              out += d;
              const m = /playground: (http:\/\/127\.0\.0\.1:\d+\/?)/.exec(out);
              if (m) {
                clearTimeout(timer);
                resolve(m[1]!);
              }
            });
          });
          const page = await fetch(url);
          expect(page.status).toBe(200);
          expect(await page.text()).toMatch(/<button/);
        } finally {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          await exited;
        }
        expect(child.exitCode).toBe(0);
      }
    },
  },
  // --- the command line, run here against the built CLI
  "node dist/cli/cors-doctor.cjs": {
    run: () => {
      const r = spawnSync(process.execPath, [CLI], { encoding: "utf8", timeout: 30_000 });
      expect(r.status).toBe(2); // no command: the usage on stderr
      // Bare, it prints the usage written from the top-level option table (with the version) and exits 2.
      expect(r.stderr).toMatch(/^Usage: cors-doctor <command>/);
      expect(r.stderr).toContain(`cors-doctor ${PKG.version} — `);
    },
  },
  "cors-doctor --help": {
    run: () =>
      expect(cli(["--help"])).toMatchObject({ status: 0, stdout: expect.stringMatching(/cors-doctor analyze .*\n.*cors-doctor probe /) }),
  },
  "cors-doctor probe --help": {
    run: () => expect(cli(["probe", "--help"])).toMatchObject({ status: 0, stdout: expect.stringMatching(/--origin <origin>/) }),
  },
  "cors-doctor analyze session.har --stack express": {
    run: (command) => {
      const r = cli(concrete(command));
      expect(r.status).toBe(1); // the recorded HAR has blocked requests
      expect(r.stdout).toMatch(/^BLOCKED GET /m);
      expect(r.stdout).toMatch(/import cors from "cors";/); // the whole Express recipe
    },
  },
  "cors-doctor analyze": { run: () => expect(cli(["analyze", "test/fixtures/devtools/firefox-devtools.har"]).status).toBe(1) },
  "cors-doctor analyze --json": {
    run: () => {
      const r = cli(["analyze", "test/fixtures/devtools/chrome-devtools.har", "--json"]);
      expect(JSON.parse(r.stdout)).toMatchObject({ tool: "cors-doctor", summary: { blocked: 3 } });
    },
  },
  'cors-doctor probe https://api.example.com/items --origin https://app.example.com --method PUT --header "Content-Type: application/json"':
    {
      run: async (command) => {
        const r = await cliAsync(concrete(command));
        expect(r.status, r.stdout + r.stderr).toBe(0);
        expect(r.stdout).toMatch(/PUT/);
      },
    },
  "cors-doctor probe https://api.example.com/items --origin https://app.example.com --audit --json": {
    run: async (command) => {
      const r = await cliAsync(concrete(command));
      const report = JSON.parse(r.stdout);
      expect(report.diagnosis.verdict).toBe("allowed");
      expect(report.audit.length).toBeGreaterThan(3);
      expect(report.audit.filter((a: any) => a.finding)).toEqual([]); // exact-origin allow-list: nothing hostile trusted
      expect(r.status).toBe(0);
    },
  },
  // --- exempt, each with why, and what is checked instead
  "cors-doctor": {
    exempt: "the command's name (what `npm link` installs), not a command line",
    check: () => expect(PKG.bin["cors-doctor"]).toBe("dist/cli/cors-doctor.cjs"),
  },
  "npm link": {
    exempt: "changes the machine's global npm prefix; it links package.json's bin",
    check: () => expect(fs.existsSync(CLI)).toBe(true),
  },
  "npm run record": {
    exempt: "re-records the truth matrix in both browsers (many minutes) and rewrites committed fixtures",
    check: npmScript("record"),
  },
  "npm run record:matrix2": {
    exempt: "re-records the https matrix of failures that look like CORS in both browsers (many minutes) and rewrites committed fixtures",
    check: npmScript("record:matrix2"),
  },
  "npm run record:devtools": {
    exempt: "re-records the DevTools fixtures and rewrites committed files",
    check: npmScript("record:devtools"),
  },
  "node scripts/record-firefox-failures-har.mjs": {
    exempt: "re-records Firefox's own HAR export of requests that got no response and rewrites the committed fixture",
    check: () => expect(fs.existsSync(path.join(ROOT, "scripts/record-firefox-failures-har.mjs"))).toBe(true),
  },
  "npm run screenshots": { exempt: "rewrites the committed README screenshots", check: npmScript("screenshots") },
  "npm run bench": {
    exempt: "the full benchmark takes many minutes of both cores; test/bench/smoke.test.ts runs its smoke version",
    check: npmScript("bench"),
  },
  "node scripts/gen-har.mjs --size 100MB --with-content": {
    exempt: "writes 100 MB; the check runs the same generator at 1 MB",
    check: () => {
      const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-gen-")), "content.har");
      const run = spawnSync(process.execPath, [path.join(ROOT, "scripts/gen-har.mjs"), "--size", "1MB", "--with-content", "--out", out], {
        encoding: "utf8",
      });
      expect(run.status, run.stderr).toBe(0);
      const entries = JSON.parse(fs.readFileSync(out, "utf8")).log.entries as { response: { content: { text?: string } } }[];
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
      const bodies = entries.reduce((n, e) => n + (e.response.content.text?.length ?? 0), 0);
      // "response bodies most of its bytes", as the README says of the reference row.
      expect(bodies).toBeGreaterThan(0.6 * (1 << 20));
    },
  },
  "npm run fuzz": { exempt: "10⁶ fresh random cases; npm test runs the fixed-seed 10⁵ (test/fuzz)", check: npmScript("fuzz") },
  "FUZZ_SEED=<seed> npx vitest run test/fuzz": {
    exempt: "needs a seed from a failure; npm test runs test/fuzz",
    check: () => expect(fs.existsSync(path.join(ROOT, "test/fuzz"))).toBe(true),
  },
  "npx vitest run test/<folder>": {
    exempt: "a pattern; npm test runs every folder. The folders the README names exist",
    check: () => {
      for (const m of README.matchAll(/npx vitest run (test\/[\w-]+)/g)) expect(fs.existsSync(path.join(ROOT, m[1]!)), m[1]).toBe(true);
    },
  },
  "sh scripts/fresh-machine-check.sh": {
    exempt:
      "builds a Debian root with debootstrap and runs the Quick start in it (downloads hundreds of MB, tens of minutes, root); run by hand before a release",
    check: () => expect(spawnSync("sh", ["-n", path.join(ROOT, "scripts/fresh-machine-check.sh")]).status).toBe(0),
  },
  "apt-get install debootstrap": {
    exempt: "installs a system package; only fresh-machine-check.sh needs it, and names it when missing",
    check: () => expect(read("scripts/fresh-machine-check.sh")).toContain("apt-get install -y debootstrap"),
  },
};

const inReadme = [...new Set(commandsOf(README).map((c) => c.command))];

describe("README commands", () => {
  it("every command in the README has a row here, and every row is still in the README", () => {
    expect(
      inReadme.filter((c) => !(c in ROWS)),
      "README commands nobody runs: add a row",
    ).toEqual([]);
    expect(
      Object.keys(ROWS).filter((c) => !inReadme.includes(c)),
      "rows for commands the README dropped",
    ).toEqual([]);
  });

  it("every `npm run X` names a script of package.json", () => {
    for (const c of inReadme) {
      const m = /^npm run ([\w:-]+)/.exec(c);
      if (m) expect(PKG.scripts[m[1]!], c).toBeTruthy();
    }
  });

  for (const command of inReadme) {
    const row = ROWS[command];
    if (!row) continue;
    if ("run" in row) {
      it(`runs: ${command}`, () => row.run(command), 90_000);
    } else if ("test" in row) {
      it(`run by ${row.test}: ${command}`, () => {
        expect(read(row.test)).toMatch(row.runs);
      });
    } else {
      it(`exempt (${row.exempt}): ${command}`, () => {
        expect(row.exempt.length).toBeGreaterThan(10);
        row.check?.();
      });
    }
  }
});

describe("README claims", () => {
  it("names no store listing: the extension is not published", () => {
    expect(README).not.toMatch(/search for "?CORS Doctor"?/i);
    expect(README).toMatch(/\*\*not published\*\* in the Chrome Web Store or on addons\.mozilla\.org/);
  });

  it("the Quick start is npm ci, npm start, npm test", () => {
    const quick = README.slice(README.indexOf("### Quick start"), README.indexOf("### Quick start") + 1500);
    const block = commandsOf(quick)
      .filter((c) => c.kind === "block")
      .map((c) => c.command);
    expect(block.slice(0, 3)).toEqual(["npm ci", "npm start", "npm test"]);
  });

  it("links only to files that exist", () => {
    for (const m of README.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)) expect(fs.existsSync(path.join(ROOT, m[1]!)), m[1]).toBe(true);
  });
});

describe("CONTRIBUTING.md commands", () => {
  const contributing = read("CONTRIBUTING.md");
  const commands = [...new Set(commandsOf(contributing).map((c) => c.command))];

  it("name npm scripts, test paths and files that exist", () => {
    expect(commands.length).toBeGreaterThan(5);
    for (const c of commands) {
      const script = /^npm run ([\w:-]+)/.exec(c);
      if (script) expect(PKG.scripts[script[1]!], c).toBeTruthy();
      const vitest = /^npx vitest run (.+)$/.exec(c);
      if (vitest) for (const p of vitest[1]!.split(/\s+/)) expect(fs.existsSync(path.join(ROOT, p)), c).toBe(true);
      expect(
        /^(npm (ci|test|run [\w:-]+)|npx (vitest run .+|tsc -p \.)|cors-doctor --version)$/.test(c),
        `unexpected command in CONTRIBUTING.md: ${c}`,
      ).toBe(true);
    }
  });

  it("points to files that exist", () => {
    for (const m of contributing.matchAll(/`((?:src|test|scripts|docs)\/[\w./-]+|\.ci\/run|\.github\/[\w./-]+)`/g)) {
      expect(fs.existsSync(path.join(ROOT, m[1]!)), m[1]).toBe(true);
    }
  });
});
