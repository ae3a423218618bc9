#!/usr/bin/env node
// Record the CORS truth matrix in real browsers and write test/fixtures/matrix/{chromium,firefox}.{har,verdicts.json}.
//   node scripts/record-matrix.mjs [--browser chromium|firefox|both] [--only id,id] [--out dir]
// With --only the recorded scenarios are merged into the existing verdicts/HAR instead of replacing them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios } from "../test/matrix/scenarios.mjs";
import { recordChromium } from "../test/matrix/record-chromium.mjs";
import { recordFirefox } from "../test/matrix/record-firefox.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
/** @param {string} name */
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes("--help")) {
  console.log("usage: node scripts/record-matrix.mjs [--browser chromium|firefox|both] [--only id,id] [--out dir]");
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
const outDir = path.resolve(arg("--out") ?? path.join(root, "test/fixtures/matrix"));
const selected = only ? scenarios.filter((s) => only.includes(s.id)) : scenarios;
if (only) {
  const unknown = only.filter((id) => !scenarios.some((s) => s.id === id));
  if (unknown.length) {
    console.error(`unknown scenario ids: ${unknown.join(", ")}`);
    process.exit(2);
  }
}
fs.mkdirSync(outDir, { recursive: true });

/** @param {string} file @param {unknown} data */
const writeJson = (file, data) => fs.writeFileSync(path.join(outDir, file), `${JSON.stringify(data, null, 2)}\n`);
/** @param {string} file */
const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, file), "utf8"));
  } catch {
    return null;
  }
};

/** Merge a partial recording (--only) into the existing fixture: replace those scenarios' entries. */
function mergeHar(/** @type {any} */ oldHar, /** @type {any} */ newHar, /** @type {Set<string>} */ ids) {
  if (!oldHar) return newHar;
  const re = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;
  const keep = oldHar.log.entries.filter((/** @type {any} */ e) => !ids.has(re.exec(e.request.url)?.[1] ?? ""));
  return { log: { ...newHar.log, entries: [...keep, ...newHar.log.entries] } };
}

/** @param {string} label */
const progress = (label) => (/** @type {number} */ done, /** @type {number} */ total) => {
  if (done % 50 === 0 || done === total) process.stderr.write(`${label}: ${done}/${total}\n`);
};

const ids = new Set(selected.map((s) => s.id));
if (which === "chromium" || which === "both") {
  const t0 = Date.now();
  const { har, verdicts } = await recordChromium({ scenarios: selected, onProgress: progress("chromium") });
  if (only) {
    const old = readJson("chromium.verdicts.json");
    if (old) verdicts.scenarios = { ...old.scenarios, ...verdicts.scenarios };
  }
  writeJson("chromium.har", only ? mergeHar(readJson("chromium.har"), har, ids) : har);
  writeJson("chromium.verdicts.json", verdicts);
  const blocked = Object.values(verdicts.scenarios).filter((v) => v.blocked).length;
  console.log(
    `chromium ${verdicts.version}: ${selected.length} scenarios recorded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${blocked}/${Object.keys(verdicts.scenarios).length} blocked in the fixture`,
  );
}
if (which === "firefox" || which === "both") {
  const t0 = Date.now();
  const { har, verdicts } = await recordFirefox({ scenarios: selected, onProgress: progress("firefox") });
  if (only) {
    const old = readJson("firefox.verdicts.json");
    if (old) verdicts.scenarios = { ...old.scenarios, ...verdicts.scenarios };
  }
  writeJson("firefox.har", only ? mergeHar(readJson("firefox.har"), har, ids) : har);
  writeJson("firefox.verdicts.json", verdicts);
  const blocked = Object.values(verdicts.scenarios).filter((v) => v.blocked).length;
  console.log(
    `firefox ${verdicts.version}: ${selected.length} scenarios recorded in ${((Date.now() - t0) / 1000).toFixed(1)} s; ${blocked}/${Object.keys(verdicts.scenarios).length} blocked in the fixture`,
  );
}
