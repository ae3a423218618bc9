// Measure 6: the panel (panel.html opened as a tab) with 10,000 rows, fed by importing a generated HAR
// (live capture keeps a bounded number of exchanges per tab, so 10,000 rows only come from a file).
// Timed inside the page with performance.now():
//  - first render: from the moment the imported data is ready to the last DOM mutation of the render,
//    with layout forced in each MutationObserver callback so style/layout cost is included;
//  - filter: from the search box's input event to the last DOM mutation of the re-render (same way).
// "Data ready" is the panel's performance mark "cors-doctor:import-ready", set when the import worker's rows arrived
// and just before the state update Preact renders from. The whole path (file chosen → rows laid out) and the import's own cost (read + JSON.parse +
// diagnose, measured again in the same page with the panel's importHarText bundled) are reported beside it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { launch } from "../browser.mjs";
import { GENERATOR_VERSION, harDocument } from "../har-mix.mjs";
import { INPUTS } from "../inputs.mjs";
import { ROOT } from "../lib.mjs";

const QUIET_MS = 250;

/** Installed in the page before the import: mutation clock, change-event clock, the panel's ready mark. */
function instrument() {
  const b = (window.__bench = { t0: 0, last: 0, ready: 0, mutations: 0 });
  new MutationObserver(() => {
    void document.body.offsetHeight; // force style + layout: part of what the user waits for
    b.last = performance.now();
    b.mutations++;
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  document.addEventListener(
    "change",
    (e) => {
      if (e.target instanceof HTMLInputElement && e.target.matches("input[data-import]")) b.t0 = performance.now();
    },
    true,
  );
  new PerformanceObserver((list) => {
    for (const mark of list.getEntriesByName("cors-doctor:import-ready")) if (b.t0 && !b.ready) b.ready = mark.startTime;
  }).observe({ type: "mark" });
}

/** Resolves when rows are present and nothing has changed for QUIET_MS; bounded. */
function settled([since, quiet, timeout]) {
  const b = window.__bench;
  return new Promise((resolve, reject) => {
    const end = performance.now() + timeout;
    const tick = () => {
      const now = performance.now();
      if (b.last > since && now - b.last >= quiet && document.querySelector(".grid-window .grid-row")) resolve(b.last);
      else if (now > end) reject(new Error(`page did not settle within ${timeout} ms (last mutation ${b.last}, since ${since})`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

function listedRows() {
  const spacer = document.querySelector(".grid-spacer");
  const row = document.querySelector(".grid-window .grid-row");
  const h = parseFloat(spacer?.style.height ?? "0");
  const rh = row ? row.getBoundingClientRect().height : 0;
  return rh > 0 ? Math.round(h / rh) : 0;
}

function bundleImporter() {
  const dir = mkdtempSync(resolve(tmpdir(), "cors-doctor-bench-"));
  try {
    const out = resolve(dir, "import.js");
    execFileSync(
      resolve(ROOT, "node_modules/.bin/esbuild"),
      [
        resolve(ROOT, "src/panel/har-import.ts"),
        "--bundle",
        "--format=iife",
        "--global-name=__benchImport",
        "--target=es2022",
        `--outfile=${out}`,
        "--log-level=warning",
        '--define:__VERSION__="bench"',
        '--define:__BROWSER__="chrome"',
      ],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
    );
    // page.evaluate runs it in a function scope: publish the global explicitly.
    return `${readFileSync(out, "utf8")}\nglobalThis.__benchImport = __benchImport;`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let cached = null;

/** One browser, `runs` fresh panel tabs; both panel measures read from the same session. */
export function panelSession(opts) {
  const key = JSON.stringify([opts.smoke, opts.runs]);
  if (!cached || cached.key !== key) cached = { key, promise: runSession(opts) };
  return cached.promise;
}

async function runSession({ smoke, runs, log }) {
  const rowsWanted = smoke ? 500 : 10_000;
  // 1 % over: a few generated requests are judged not CORS by the engine (e.g. a redirect hop), the panel
  // must list at least rowsWanted.
  const har = Buffer.from(JSON.stringify(harDocument({ seed: 3, rows: Math.ceil(rowsWanted * 1.01) })));
  // Playwright refuses buffers over 50 MB for setInputFiles: hand it a file (bench/inputs/, git-ignored).
  mkdirSync(INPUTS, { recursive: true });
  const harPath = resolve(INPUTS, `panel-v${GENERATOR_VERSION}-${rowsWanted}rows-s3.har`);
  writeFileSync(harPath, har);
  const importer = bundleImporter();
  const { ctx, extId } = await launch({ extension: true });
  const out = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await ctx.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      try {
        await page.goto(`chrome-extension://${extId}/panel.html`);
        await page.waitForSelector(".toolbar", { timeout: 20_000 });
        await page.evaluate(instrument);
        await page.setInputFiles("input[data-import]", harPath);
        const last = await page.evaluate(settled, [0, QUIET_MS, 120_000]);
        const b = await page.evaluate(() => ({ ...window.__bench }));
        const rows = await page.evaluate(listedRows);
        const banner = (await page.textContent(".banner.info").catch(() => "")) ?? "";
        const listed = Number(/\((\d+) cross-origin/.exec(banner)?.[1] ?? rows);
        if (listed < rowsWanted) throw new Error(`expected ≥ ${rowsWanted} rows, the panel lists ${listed} (${banner.slice(0, 200)})`);
        // Filter: type a word that keeps part of the list, as one input event.
        const filter = await page.evaluate(
          async ([quiet]) => {
            const b = window.__bench;
            const input = document.querySelector("input[type=search]");
            const t0 = performance.now();
            input.value = "orders";
            input.dispatchEvent(new Event("input", { bubbles: true }));
            const end = t0 + 10_000;
            while (!(b.last > t0 && performance.now() - b.last >= quiet)) {
              if (performance.now() > end) throw new Error("filter did not render within 10 s");
              await new Promise((r) => setTimeout(r, 10));
            }
            return b.last - t0;
          },
          [100],
        );
        const filteredRows = await page.evaluate(listedRows);
        // The import's own cost in this page (after the measured import: the JIT is warmer, so if anything
        // this underestimates it).
        await page.evaluate(importer);
        await page.evaluate(() => {
          const el = document.createElement("input");
          el.type = "file";
          el.id = "bench-file";
          el.style.display = "none";
          document.body.append(el);
        });
        await page.setInputFiles("#bench-file", harPath);
        const cost = await page.evaluate(async () => {
          const file = document.getElementById("bench-file").files[0];
          const t0 = performance.now();
          const text = await file.text();
          const t1 = performance.now();
          const r = window.__benchImport.importHarText(text, "chrome");
          const t2 = performance.now();
          return { readMs: t1 - t0, importMs: t2 - t1, ok: r.ok };
        });
        if (errors.length) throw new Error(`panel errors: ${errors.join("; ").slice(0, 500)}`);
        const total = last - b.t0;
        const render = b.ready ? last - b.ready : total - cost.readMs - cost.importMs;
        out.push({ render, filter, total, readyHooked: Boolean(b.ready), ...cost, rows: listed, filteredRows });
        log(
          `  run ${i + 1}: first render ${render.toFixed(1)} ms${b.ready ? "" : " (estimated: total − import)"}, filter ${filter.toFixed(1)} ms (${listed} → ${filteredRows} rows); file → rows ${total.toFixed(0)} ms, of which read ${cost.readMs.toFixed(0)} + import ${cost.importMs.toFixed(0)} ms`,
        );
      } finally {
        await page.close();
      }
    }
  } finally {
    await ctx.close().catch(() => {});
  }
  return { runs: out, harBytes: har.length, rowsWanted };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function sessionDetail(s) {
  const r = s.runs;
  return `${r[0]?.rows} rows from an imported ${(s.harBytes / 1048576).toFixed(1)} MiB HAR, fresh tab per run; file chosen → rows laid out median ${median(r.map((x) => x.total)).toFixed(0)} ms, of which reading the file ${median(r.map((x) => x.readMs)).toFixed(0)} ms and the import (JSON.parse + diagnosis of every entry) ${median(r.map((x) => x.importMs)).toFixed(0)} ms; render start ${r.every((x) => x.readyHooked) ? "taken at the panel's import-ready mark (the worker's rows arrived)" : "estimated as total − read − import"}`;
}
