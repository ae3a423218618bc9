// The version policy (CHANGELOG.md): package.json, manifest.json (source and both builds) and the CLI's
// `--version` agree, and `npm run package` refuses a version the changelog lists as released.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { releaseProblem } from "../../scripts/package.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const version: string = JSON.parse(read("package.json")).version;

describe("one version everywhere", () => {
  beforeAll(() => {
    // `npm test` builds first (pretest); a lone run of this file builds when dist/ is missing.
    if (!fs.existsSync(path.join(ROOT, "dist/cli/cors-doctor.cjs"))) {
      const built = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, encoding: "utf8" });
      if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
    }
  }, 120_000);

  it("manifest.json matches package.json", () => {
    expect(JSON.parse(read("manifest.json")).version).toBe(version);
  });

  it("the built extensions carry it", () => {
    for (const browser of ["chrome", "firefox"]) {
      expect(JSON.parse(read(`dist/${browser}/manifest.json`)).version, browser).toBe(version);
    }
  });

  it("cors-doctor --version prints it", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "dist/cli/cors-doctor.cjs"), "--version"], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });

  it("CHANGELOG.md has a section for it that packaging accepts", () => {
    expect(read("CHANGELOG.md")).toContain(`## [${version}]`);
    expect(releaseProblem({ version, manifestVersion: version, changelog: read("CHANGELOG.md") })).toBeNull();
  });
});

describe("packaging refuses what the policy forbids", () => {
  const CHANGELOG = "# Changelog\n\n## [0.3.0] - Unreleased\n\n### Added\n- x\n\n## [0.2.0] - 2026-12-01\n\n## [0.1.0] - 2026-11-30\n";
  const ROWS: Array<{ version: string; manifestVersion?: string; changelog?: string; problem: RegExp | null }> = [
    { version: "0.3.0", problem: null },
    { version: "0.2.0", problem: /^0\.2\.0 is already released \(CHANGELOG\.md: ## \[0\.2\.0\] - 2026-12-01\): bump the version/ },
    { version: "0.1.0", problem: /^0\.1\.0 is already released/ },
    { version: "0.4.0", problem: /^CHANGELOG\.md has no section for 0\.4\.0: add "## \[0\.4\.0\] - Unreleased"/ },
    // The dot is literal: "0.2.0" does not match a section "0x2y0".
    { version: "0.2.0", changelog: "## [0x2y0] - 2026-12-01\n", problem: /no section for 0\.2\.0/ },
    { version: "0.3.0", manifestVersion: "0.2.9", problem: /^manifest\.json says 0\.2\.9 but package\.json says 0\.3\.0/ },
  ];
  for (const row of ROWS) {
    it(`${row.version}${row.manifestVersion ? ` (manifest ${row.manifestVersion})` : ""} → ${row.problem ?? "accepted"}`, () => {
      const problem = releaseProblem({
        version: row.version,
        manifestVersion: row.manifestVersion ?? row.version,
        changelog: row.changelog ?? CHANGELOG,
      });
      if (row.problem === null) expect(problem).toBeNull();
      else expect(problem).toMatch(row.problem);
    });
  }

  it("npm run package stops before building when the version is released", () => {
    // A throw-away copy of the three files the check reads, with package.mjs beside them: the real script
    // must exit 1 with the reason before it builds or writes anything.
    const dir = fs.mkdtempSync(path.join(ROOT, "node_modules/.cache-version-test-"));
    try {
      fs.mkdirSync(path.join(dir, "scripts"));
      fs.copyFileSync(path.join(ROOT, "scripts/package.mjs"), path.join(dir, "scripts/package.mjs"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ version: "0.2.0" }));
      fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ version: "0.2.0" }));
      fs.writeFileSync(path.join(dir, "CHANGELOG.md"), CHANGELOG);
      spawnSync("git", ["init", "-q"], { cwd: dir });
      const run = spawnSync(process.execPath, [path.join(dir, "scripts/package.mjs"), "--allow-dirty", "--out", path.join(dir, "out")], {
        cwd: dir,
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(/^npm run package: 0\.2\.0 is already released/);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
