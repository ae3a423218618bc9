// Shared by the packaging tests: a private copy of the build, the package script, and unzipping.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { unzipFiles } from "../../scripts/package.mjs";

export const root = resolve(import.meta.dirname, "../..");
export const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string;

/**
 * A private copy of dist/: other work rebuilds dist/ at any time, which must not change the zips mid-test.
 * @returns the temp work dir, with the copy in `<work>/dist`
 */
export function copyDist(): { work: string; dist: string } {
  const work = mkdtempSync(join(tmpdir(), "cors-doctor-package-test-"));
  const dist = join(work, "dist");
  for (const browser of ["chrome", "firefox"]) {
    if (!existsSync(join(root, "dist", browser, "manifest.json"))) throw new Error("dist/ is not built: run npm run build");
    cpSync(join(root, "dist", browser), join(dist, browser), { recursive: true });
  }
  return { work, dist };
}

/** `npm run package` on the private copy (dirty trees allowed: this checkout is always being edited). */
export function packageInto(dist: string, out: string, extra: string[] = []) {
  return spawnSync(
    process.execPath,
    [join(root, "scripts/package.mjs"), "--allow-dirty", "--no-build", "--dist", dist, "--out", out, ...extra],
    {
      cwd: root,
      encoding: "utf8",
      timeout: 50_000,
    },
  );
}

export function unzipTo(zip: string, dir: string): void {
  for (const { name, data } of unzipFiles(readFileSync(zip))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

/** scripts/start*.mjs headless on an unpacked build, as on a machine without a display. */
export function startScript(script: "start.mjs" | "start-firefox.mjs", extDir: string, artifacts: string) {
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return spawnSync(
    process.execPath,
    [join(root, "scripts", script), "--no-build", "--headless", "--extension", extDir, "--artifacts", artifacts],
    {
      cwd: root,
      encoding: "utf8",
      env,
      timeout: 55_000,
    },
  );
}
