import { defineConfig } from "vitest/config";

// Browser tests share one browser per file; files run in parallel only up to the two cores we have.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    fileParallelism: true,
  },
});
