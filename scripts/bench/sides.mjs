// What the browser benches share: several browsers ("sides") kept open side by side and timed on the same workload
// in alternating order, and the rows read from those runs (each side against a baseline side of the same runs).

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** "1.23×": the ratio of side `a`'s median to side `b`'s in `xs` (times or CPU by side). */
export const ratio = (xs, a, b) => `${(median(xs[a]) / median(xs[b])).toFixed(2)}×`;

/**
 * `runs` rounds over `names`, each round in a rotated order so load on the shared machine falls on every side alike;
 * `runOne(name, round)` returns { ms, cpuMs }. Returns { times, cpu } by side, and logs each round.
 */
export async function alternate(names, runs, log, runOne) {
  const times = Object.fromEntries(names.map((s) => [s, []]));
  const cpu = Object.fromEntries(names.map((s) => [s, []]));
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i) % names.length];
      const r = await runOne(name, i);
      times[name].push(r.ms);
      cpu[name].push(r.cpuMs);
    }
    log(`  run ${i + 1}: ${names.map((s) => `${s} ${times[s].at(-1).toFixed(0)} ms (CPU ${cpu[s].at(-1).toFixed(0)} ms)`).join(", ")}`);
  }
  return { times, cpu };
}

/**
 * A row of a session of runs (`session(opts)` resolves to { times, cpu } by side, and what `detail` reads): `side` against `base`, met when both the
 * page's wall time and the whole browser's CPU are within `target`, or a reference row (no target). `detail(runs)`
 * writes the detail line.
 */
export function sideMeasure(session, { id, title, baselineText, targetText, side, base, target, detail }) {
  return {
    id,
    title,
    baselineText,
    targetText,
    unit: "ms",
    ...(target === undefined ? { reference: true, judge: () => true } : { judge: (r) => r.ratio <= target && r.cpuRatio <= target }),
    async run(opts) {
      const runs = await session(opts);
      return {
        value: runs.times[side],
        baseline: runs.times[base],
        cpuRatio: median(runs.cpu[side]) / median(runs.cpu[base]),
        detail: detail(runs),
      };
    },
  };
}
