// A private copy of the built extension for one test file: other agents rebuild dist/ at any time
// (scripts/build.mjs empties the folder first), which must not pull the files from under a running browser.
import { build } from "esbuild";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assertDistFresh } from "../../../scripts/lib/dist-fresh.mjs";

const root = resolve(import.meta.dirname, "../../..");

export interface ExtensionCopy {
  dir: string;
  dispose(): void;
}

export async function copyExtension(browser: "chrome" | "firefox", options: { testHooks?: boolean } = {}): Promise<ExtensionCopy> {
  const source = join(root, "dist", browser);
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(source, "background.js")) || !existsSync(join(source, "manifest.json"))) {
    if (Date.now() > deadline) throw new Error(`${source} is not built: run npm run build`);
    await new Promise((r) => setTimeout(r, 250));
  }
  assertDistFresh(root, browser);
  const dir = mkdtempSync(join(tmpdir(), `cors-doctor-${browser}-`));
  cpSync(source, dir, { recursive: true });
  if (options.testHooks) {
    // The background again, with the test-only hook compiled in (production builds compile it out).
    const pkg = (await import(join(root, "package.json"), { with: { type: "json" } })).default as { version: string };
    await build({
      entryPoints: [join(root, "src/background/index.ts")],
      outfile: join(dir, "background.js"),
      bundle: true,
      format: "iife",
      target: browser === "chrome" ? "chrome120" : "firefox128",
      logLevel: "warning",
      define: { __BROWSER__: JSON.stringify(browser), __VERSION__: JSON.stringify(pkg.version), __TEST__: "true" },
    });
  }
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns a truthy value, at most `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
