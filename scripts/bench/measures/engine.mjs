// Measure 3: exchanges diagnosed per second by diagnoseExchange on one core, warm, in-process.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { ROOT } from "../lib.mjs";

export default {
  id: "engine",
  title:
    "engine: exchanges diagnosed per second, one core (diagnoseExchange, warm; fix recipes rendered on demand, as the CLI's JSON and live capture do)",
  baselineText: "—",
  targetText: "≥ 200,000/s",
  unit: "/s",
  higherIsBetter: true,
  judge: (r) => r.value.median >= 200_000,
  async run({ smoke, runs, log }) {
    const dir = mkdtempSync(resolve(tmpdir(), "cors-doctor-bench-"));
    try {
      const out = resolve(dir, "engine.mjs");
      // esbuild's API would do as well; the CLI keeps this module free of a build-time import.
      execFileSync(
        resolve(ROOT, "node_modules/.bin/esbuild"),
        [
          resolve(ROOT, "scripts/bench/engine-entry.mjs"),
          "--bundle",
          "--platform=node",
          "--format=esm",
          "--target=node20",
          `--outfile=${out}`,
          "--log-level=warning",
          '--define:__VERSION__="bench"',
        ],
        { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
      );
      // One core, literally: the JS runs on one thread anyway; pinning also keeps GC helper threads there.
      const pin = existsSync("/usr/bin/taskset") ? ["/usr/bin/taskset", ["-c", "0", process.execPath]] : [process.execPath, []];
      const entries = smoke ? 2000 : 20000;
      const minMs = smoke ? 150 : 1500;
      log(
        `  ${entries} generated HAR entries → exchanges, ${runs} timed passes of ≥ ${minMs} ms${pin[0].includes("taskset") ? " (taskset -c 0)" : ""}`,
      );
      const r = spawnSync(pin[0], [...pin[1], out, String(entries), String(runs), String(minMs)], {
        encoding: "utf8",
        timeout: 10 * 60_000,
      });
      if (r.status !== 0) throw new Error(`engine bench failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
      const result = JSON.parse(r.stdout.trim().split("\n").pop());
      const mid = (xs) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]).toLocaleString("en-US");
      return {
        value: result.ratesNoFixes,
        detail: `${result.exchanges} exchanges per pass (${result.composition.allowed} allowed, ${result.composition.blocked} blocked, ${result.composition["not-cors"]} not-cors), \`{ fixes: false }\`; per CPU second of the process (less disturbed by other load) median ${mid(result.ratesCpuNoFixes)}/s; with every finding's fourteen recipes rendered as well (\`diagnoseExchange\`'s default) median ${mid(result.rates)}/s (wall)`,
        extra: result,
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
