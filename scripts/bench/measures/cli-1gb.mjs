// Measure 2: `cors-doctor analyze` on a 1 GiB HAR — more than V8's longest string (2^29 − 24 characters), so
// only a streaming reader gets through. Peak RSS from the kernel (GNU time's rusage; /proc VmHWM otherwise).
import { harOfSize } from "../inputs.mjs";
import { CLI, runTimed } from "../lib.mjs";

export default {
  id: "cli-1gb",
  title: "`cors-doctor analyze` on a 1 GB HAR (larger than V8 can hold as one string)",
  baselineText: "— (reading it as one string fails)",
  targetText: "completes, streaming; peak RSS < 300 MB",
  unit: "MB",
  judge: (r) => r.extra.allCompleted && r.value.max < 300,
  judgeFigure: (r) => r.value.max,
  async run({ smoke, runs, log }) {
    const bytes = smoke ? 1 << 20 : 1 << 30;
    const file = harOfSize(bytes, log);
    // The point of the measure: what a non-streaming reader does with this file.
    const whole = await runTimed(process.execPath, ["-e", "require('fs').readFileSync(process.argv[1], 'utf8')", file]);
    const wholeFails =
      whole.code !== 0
        ? (/ERR_STRING_TOO_LONG|Cannot create a string/.exec(whole.stderr)?.[0] ?? `exit ${whole.code}`)
        : "read fine (input smaller than V8's string limit)";
    const value = [];
    const wall = [];
    let allCompleted = true;
    for (let i = 0; i < runs; i++) {
      const r = await runTimed(process.execPath, [CLI, "analyze", file], { measureRss: true });
      if (r.code !== 0 && r.code !== 1) {
        allCompleted = false;
        log(`  run ${i + 1}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
      }
      // The kernel counts in KiB; reported in MiB (as top and ps show memory), the stricter reading of "MB".
      value.push((r.peakRssKb ?? NaN) / 1024);
      wall.push(r.ms);
      log(`  run ${i + 1}: ${(r.ms / 1000).toFixed(1)} s, peak RSS ${value.at(-1).toFixed(1)} MiB, exit ${r.code}`);
    }
    const sorted = [...wall].sort((a, b) => a - b);
    const medianWall = sorted[Math.floor(sorted.length / 2)];
    return {
      value,
      detail: `${(bytes / 1048576).toFixed(0)} MiB input; wall median ${(medianWall / 1000).toFixed(1)} s (${(bytes / 1048576 / (medianWall / 1000)).toFixed(1)} MiB/s); readFileSync as one string: ${wholeFails}`,
      extra: { allCompleted, wallMs: wall, bytes, wholeStringRead: wholeFails },
    };
  },
};
