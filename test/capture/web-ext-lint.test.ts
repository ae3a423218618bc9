// Mozilla's add-on linter on the Firefox build: the add-on must pass review tooling with 0 errors and 0 warnings.
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { copyExtension, type ExtensionCopy } from "./helpers/extension";

const root = resolve(import.meta.dirname, "../..");
let ext: ExtensionCopy;

beforeAll(async () => {
  ext = await copyExtension("firefox");
});
afterAll(() => ext?.dispose());

it("web-ext lint --source-dir dist/firefox: 0 errors, 0 warnings", async () => {
  const { stdout } = await promisify(execFile)(
    resolve(root, "node_modules/.bin/web-ext"),
    ["lint", "--source-dir", ext.dir, "--output", "json", "--no-config-discovery"],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
      timeout: 50_000,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
  const report = JSON.parse(stdout) as {
    summary: { errors: number; warnings: number };
    errors: unknown[];
    warnings: { code: string; file?: string; message: string }[];
  };
  const problems = [...report.errors, ...report.warnings].map((p) => {
    const { code, file, message } = p as { code: string; file?: string; message: string };
    return `${code} ${file ?? ""}: ${message}`;
  });
  expect(problems).toEqual([]);
  expect(report.summary).toMatchObject({ errors: 0, warnings: 0 });
});
