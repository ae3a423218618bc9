// The packaged zips' content — unzipped, as a store installs it — loads in Chromium and in Firefox ESR and
// captures the playground's requests (scripts/start*.mjs --extension <unzipped>, headless).
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzipFiles } from "../../scripts/package.mjs";
import { copyDist, packageInto, startScript, unzipTo, version } from "./helpers";

const { work, dist } = copyDist();
const out = join(work, "zips");
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  // The lint gate has its own test (package.test.ts); here only the zips' content matters.
  const run = packageInto(dist, out, ["--skip-lint"]);
  if (run.status !== 0) throw new Error(`npm run package failed:\n${run.stdout}\n${run.stderr}`);
}, 50_000);

describe("packaged zips install and capture", () => {
  it("the Chrome zip, unzipped, loads in Chromium and captures the playground", () => {
    const dir = join(work, "chrome-unzipped");
    unzipTo(join(out, `cors-doctor-chrome-${version}.zip`), dir);
    const run = startScript("start.mjs", dir, join(work, "artifacts"));
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("OK: every button captured and diagnosed as expected");
    expect(run.stdout).toMatch(/^no-allow-origin\s+GET\s+\S+\s+blocked\s+acao-missing/m);
  }, 55_000);

  it("the Firefox zip, unzipped, installs in Firefox ESR and captures the playground", () => {
    const dir = join(work, "firefox-unzipped");
    unzipTo(join(out, `cors-doctor-firefox-${version}.zip`), dir);
    // Its manifest is the Firefox one (background.scripts, gecko id), not Chrome's.
    const manifest = JSON.parse(
      unzipFiles(readFileSync(join(out, `cors-doctor-firefox-${version}.zip`)))
        .find((f) => f.name === "manifest.json")!
        .data.toString(),
    );
    expect(manifest.background.scripts).toEqual(["background.js"]);
    const run = startScript("start-firefox.mjs", dir, join(work, "artifacts"));
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/OK: every button's request was captured and diagnosed \(\d+ requests\)/);
    expect(run.stdout).toMatch(/^no-allow-origin\s+GET\s+\S+\s+blocked\s+acao-missing\s+CORSMissingAllowOrigin2/m);
    // The playground's session cookie reached the credentialed request (that is how the add-on knows the
    // credentials mode in Firefox), and the exported report carries its name, not its value.
    expect(run.stdout).toMatch(/^wildcard-with-credentials\s+GET\s+\S+\s+blocked\s+acao-wildcard-with-credentials/m);
    const har = readFileSync(join(work, "artifacts/report-firefox.har"), "utf8");
    expect(har).toContain("playground_session");
    expect(har).not.toContain("demo-session");
  }, 55_000);
});
