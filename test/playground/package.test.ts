// `npm run package`: the zips are reproducible (two runs, byte-identical) and hold what the stores need; the
// store gate: `web-ext lint` reports 0 errors and 0 warnings. (package-install.test.ts loads the zips.)
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintFirefox, unzipFiles, zipFiles } from "../../scripts/package.mjs";
import { copyDist, packageInto as packageWith, root, version } from "./helpers";

const { work, dist } = copyDist();
const packageInto = (out: string, extra: string[] = []) => packageWith(dist, out, extra);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("zip writer", () => {
  it("round-trips names and bytes, sorted by path, whatever the input order", () => {
    const files = [
      { name: "b/x.txt", data: Buffer.from("x".repeat(1000)) },
      { name: "a.json", data: Buffer.from("{}") },
      { name: "ünïcode.txt", data: Buffer.from([0, 1, 2, 255]) },
    ];
    const zip = zipFiles(files);
    expect(zipFiles([...files].reverse()).equals(zip)).toBe(true);
    const back = unzipFiles(zip);
    expect(back.map((f) => f.name)).toEqual(["a.json", "b/x.txt", "ünïcode.txt"]);
    for (const f of files) expect(back.find((b) => b.name === f.name)?.data.equals(f.data)).toBe(true);
  });

  it.skipIf(!existsSync("/usr/bin/python3"))(
    "is read by another implementation (Python's zipfile) with the right content (needs python3)",
    () => {
      const dir = mkdtempSync(join(work, "py-"));
      const zipPath = join(dir, "t.zip");
      writeFileSync(
        zipPath,
        zipFiles([
          { name: "manifest.json", data: Buffer.from('{"a":1}') },
          { name: "d/e.txt", data: Buffer.from("hello ".repeat(50)) },
        ]),
      );
      const py = spawnSync(
        "/usr/bin/python3",
        [
          "-c",
          "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read('d/e.txt').decode().count('hello'), [i.date_time for i in z.infolist()][0])",
          zipPath,
        ],
        { encoding: "utf8" },
      );
      expect(py.stderr).toBe("");
      expect(py.stdout.trim()).toBe("50 (1980, 1, 1, 0, 0, 0)");
    },
  );
});

describe("npm run package", () => {
  const outA = join(work, "a");
  const outB = join(work, "b");
  const names = [`cors-doctor-chrome-${version}.zip`, `cors-doctor-firefox-${version}.zip`, `cors-doctor-source-${version}.zip`];

  it("refuses a dirty tree unless told otherwise", () => {
    const dirty = spawnSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).stdout.trim() !== "";
    const run = spawnSync(
      process.execPath,
      [join(root, "scripts/package.mjs"), "--no-build", "--dist", dist, "--out", join(work, "refused")],
      { cwd: root, encoding: "utf8", timeout: 50_000 },
    );
    if (dirty) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("the working tree is not clean");
      expect(existsSync(join(work, "refused"))).toBe(false);
    } else {
      expect(run.status, run.stderr).not.toBe(1);
    }
  });

  it("gives byte-identical zips on two runs", () => {
    // Both runs package the same commit: commits may land in this checkout between the two.
    const commit = spawnSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim();
    const a = packageInto(outA, ["--skip-lint", "--source-ref", commit]);
    expect(a.status, a.stderr).toBe(0);
    const b = packageInto(outB, ["--skip-lint", "--source-ref", commit]);
    expect(b.status, b.stderr).toBe(0);
    for (const name of names) {
      expect(readFileSync(join(outA, name)).equals(readFileSync(join(outB, name))), name).toBe(true);
    }
  }, 60_000);

  it("puts the manifest at the root of each store zip and the build steps in the source zip", () => {
    for (const browser of ["chrome", "firefox"]) {
      const files = unzipFiles(readFileSync(join(outA, `cors-doctor-${browser}-${version}.zip`)));
      const manifest = JSON.parse(files.find((f) => f.name === "manifest.json")!.data.toString());
      expect(manifest.version).toBe(version);
      expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(["background.js", "panel.html", "devtools.html"]));
      expect(Boolean(manifest.browser_specific_settings), browser).toBe(browser === "firefox");
    }
    const source = unzipFiles(readFileSync(join(outA, `cors-doctor-source-${version}.zip`)));
    const readme = source.find((f) => f.name === "SOURCE-README.md")!.data.toString();
    expect(readme).toContain("npm ci\nnpm run build");
    expect(source.map((f) => f.name)).toEqual(
      expect.arrayContaining(["package.json", "package-lock.json", "scripts/build.mjs", "manifest.json"]),
    );
    expect(source.some((f) => f.name.startsWith("node_modules/") || f.name.startsWith("dist/"))).toBe(false);
  });

  it("passes web-ext lint with 0 errors and 0 warnings (the AMO gate)", () => {
    const lint = lintFirefox(join(dist, "firefox"));
    expect(lint.problems).toEqual([]);
    expect([lint.errors, lint.warnings]).toEqual([0, 0]);
  }, 30_000);
});
