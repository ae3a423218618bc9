#!/usr/bin/env node
// `node scripts/bench/alternatives.mjs [--runs N] [--n FETCHES] [--only fetches|realistic] [--sides "a;b"]`: the measurements behind
// the arming design (issue 16), not part of `npm run bench`. Every side is a Chromium kept open for the whole
// run; runs alternate the sides in a rotating order (load on the shared machine falls on all alike); each
// figure is the median over runs and is shown as a ratio to the side without any extension.
import { loadavg } from "node:os";
import { launch } from "./browser.mjs";
import { stats } from "./lib.mjs";
import { startServer } from "./server.mjs";
import { VARIANTS, grantOptional, writeVariant } from "./variants.mjs";
import { fetchRun, realisticRun } from "./workloads.mjs";
import { setSites } from "./measures/fetch-overhead.mjs";

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const runs = Number(opt("--runs", "5"));
const only = opt("--only", "fetches,realistic").split(",");
const fetches = Number(opt("--n", "2000"));

const FETCH_SIDES = [
  "no extension",
  "permission only",
  "optional permission, not granted",
  "error-only listener",
  "error-only listener, extraHeaders",
  "7 listeners for another tab",
  "7 listeners for another tab, no extraHeaders",
  "7 listeners, this tab",
  "7 listeners, all tabs",
];
const REAL_SIDES = [
  "no extension",
  "error-only listener",
  "7 listeners, this tab (realistic)",
  "7 listeners, this tab, CORS types only (realistic)",
  "7 listeners, all tabs",
];

async function compare(title, sides, once) {
  const server = await startServer();
  const open = [];
  try {
    for (const name of sides) {
      if (name === "no extension") open.push({ name, side: await launch({ extension: false }) });
      else if (name.startsWith("CORS Doctor")) {
        // "CORS Doctor, unarmed @/path": another build of the extension (an A/B of two builds in the same runs).
        const dir = name.includes(" @") ? name.slice(name.indexOf(" @") + 2) : undefined;
        const side = await launch({ extension: true, dir });
        // "CORS Doctor, unarmed": the site list emptied, so the bench page (127.0.0.1) is not armed.
        if (name.includes("unarmed")) await setSites(side.ctx, side.extId, []);
        open.push({ name, side });
      } else {
        const variant = writeVariant(name);
        const side = await launch({ extension: true, dir: variant.dir });
        open.push({ name, side, variant });
        if (VARIANTS[name].grantPage) await grantOptional(side);
      }
    }
    const times = new Map(sides.map((s) => [s, []]));
    const cpus = new Map(sides.map((s) => [s, []]));
    for (let i = 0; i < runs; i++) {
      const order = open.map((_, k) => open[(k + i) % open.length]);
      for (const { name, side } of order) {
        const r = await once(side, server, `${i}`);
        times.get(name).push(r.ms);
        cpus.get(name).push(r.cpuMs);
      }
      process.stderr.write(
        `  ${title} run ${i + 1}: ${open.map(({ name }) => `${name} ${times.get(name).at(-1).toFixed(0)} ms/${cpus.get(name).at(-1).toFixed(0)} cpu`).join(", ")}\n`,
      );
    }
    const base = stats(times.get("no extension")).median;
    const cpuBase = stats(cpus.get("no extension")).median;
    console.log(
      `\n${title} (${runs} runs, medians; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(
          " ",
        )})\n| side | wall ms median (min – max) | wall ratio | browser CPU ms median (min – max) | CPU ratio |\n|---|---|---|---|---|`,
    );
    for (const name of sides) {
      const s = stats(times.get(name));
      const c = stats(cpus.get(name));
      console.log(
        `| ${name} | ${s.median.toFixed(0)} (${s.min.toFixed(0)} – ${s.max.toFixed(0)}) | ${(s.median / base).toFixed(3)}× | ${c.median.toFixed(0)} (${c.min.toFixed(0)} – ${c.max.toFixed(0)}) | ${(c.median / cpuBase).toFixed(3)}× |`,
      );
    }
  } finally {
    for (const { side, variant } of open) {
      await side.ctx.close().catch(() => {});
      variant?.dispose();
    }
    await server.close();
  }
}

if (only.includes("fetches"))
  await compare(`${fetches} fetches from 127.0.0.1 to localhost`, opt("--sides", null)?.split(";") ?? FETCH_SIDES, (side, server, tag) =>
    fetchRun(side, server, fetches, tag),
  );
if (only.includes("realistic"))
  await compare("realistic page, time to the last API response", opt("--sides", null)?.split(";") ?? REAL_SIDES, (side, server, tag) =>
    realisticRun(side, server, tag),
  );
void VARIANTS;
