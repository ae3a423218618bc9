import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

// Browser tests share one browser per file; files run in parallel only up to the two cores we have.
export default defineConfig({
  define: { __VERSION__: JSON.stringify(pkg.version), __BROWSER__: JSON.stringify("node") },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    fileParallelism: true,
    // In CI only, a failed test gets one more try: real browsers on two shared cores occasionally miss a
    // timing. A test that fails twice still fails the run; locally every failure shows at once.
    retry: process.env.CI ? 1 : 0,
    // ...and every failed attempt prints its error, also when the retry passes.
    setupFiles: ["test/support/failed-attempts.ts"],
  },
});
