#!/usr/bin/env node
// Record the matrix2 cases (test/matrix2/scenarios.mjs: https on real host names, failures that are not CORS checks,
// cookies, another extension, other initiators) in the real Chromium and Firefox ESR, with the built CORS Doctor
// (npm run build first) and the test-only declarativeNetRequest blocker loaded, and write
// test/fixtures/matrix2/{chromium,firefox}.{har,verdicts.json}.
//   node scripts/record-matrix2.mjs [--browser chromium|firefox|both] [--only id,id] [--out dir]
// With --only the recorded cases are merged into the existing fixtures. Loopback only; a few minutes per browser.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios } from "../test/matrix2/scenarios.mjs";
import { recordChromium } from "../test/matrix2/record-chromium.mjs";
import { recordFirefox } from "../test/matrix2/record-firefox.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const arg = (/** @type {string} */ name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes("--help")) {
  console.log("usage: node scripts/record-matrix2.mjs [--browser chromium|firefox|both] [--only id,id] [--out dir]");
  process.exit(0);
}
const which = arg("--browser") ?? "both";
if (!["chromium", "firefox", "both"].includes(which)) {
  console.error(`unknown --browser ${which}`);
  process.exit(2);
}
const only = arg("--only")
  ?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = (only ?? []).filter((id) => !scenarios.some((s) => s.id === id));
if (unknown.length) {
  console.error(`unknown case ids: ${unknown.join(", ")}`);
  process.exit(2);
}
const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
const outDir = path.resolve(arg("--out") ?? path.join(root, "test/fixtures/matrix2"));
fs.mkdirSync(outDir, { recursive: true });
const writeJson = (/** @type {string} */ file, /** @type {unknown} */ data) =>
  fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(data, null, 1)}\n`);
const readJson = (/** @type {string} */ file) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, file), "utf8"));
  } catch {
    return null;
  }
};
const ids = new Set(selected.map((s) => s.id));
const RE = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;

/** @param {string} name @param {typeof recordChromium | typeof recordFirefox} record */
async function one(name, record) {
  const t0 = Date.now();
  const { har, verdicts } = await record({
    scenarios: selected,
    onProgress: (done, total) => {
      if (done % 25 === 0 || done === total) process.stderr.write(`${name}: ${done}/${total}\n`);
    },
  });
  let outHar = har;
  if (only) {
    const old = readJson(`${name}.verdicts.json`);
    if (old) verdicts.cases = { ...old.cases, ...verdicts.cases };
    const oldHar = readJson(`${name}.har`);
    if (oldHar) {
      const keep = oldHar.log.entries.filter((/** @type {any} */ e) => !ids.has(RE.exec(e.request.url)?.[1] ?? ""));
      outHar = { log: { ...har.log, entries: [...keep, ...har.log.entries] } };
    }
  }
  writeJson(`${name}.har`, outHar);
  writeJson(`${name}.verdicts.json`, verdicts);
  const failed = Object.values(verdicts.cases).filter((c) => !c.page.ok).length;
  console.log(
    `${name} ${verdicts.version}: ${selected.length} cases in ${((Date.now() - t0) / 1000).toFixed(1)} s; the page failed in ${failed}/${Object.keys(verdicts.cases).length}`,
  );
}

if (which === "chromium" || which === "both") await one("chromium", recordChromium);
if (which === "firefox" || which === "both") await one("firefox", recordFirefox);
