// CI gives a failed test one more try (vitest.config.ts), and a retry that passes hides the first attempt's error:
// the flake is then known to have happened, but not why. Every failed attempt's errors are printed here, on stderr.
import { afterEach } from "vitest";

afterEach(({ task }) => {
  if (task.result?.state !== "fail") return;
  for (const error of task.result.errors ?? []) console.error(`[failed attempt] ${task.name}: ${error.message}`);
});
