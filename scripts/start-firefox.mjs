#!/usr/bin/env node
// `npm run start:firefox`: build, start the playground, open Firefox ESR with CORS Doctor as a temporary add-on.
// - With a display: `web-ext run` (reloads the add-on when dist/firefox changes); open DevTools (F12), choose
//   the CORS panel, press the playground's buttons. Ctrl-C to stop.
// - Without one: headless Firefox over WebDriver BiDi; presses "Run all", prints what the page saw and the
//   add-on's diagnoses, writes artifacts/report-firefox.har, exits 0 when the add-on captured every button.
// Flags: --headless / --headed, --no-build, --port P, --extension DIR (instead of dist/firefox),
// --artifacts DIR (default artifacts/).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startPlayground } from "../playground/server.mjs";
import { checkReport, formatTable } from "../playground/report-check.mjs";
import { pageResults } from "../playground/drive.mjs";
import { ensureSystem } from "./ensure-system.mjs";
import { FIREFOX, launchFirefox, runPlaygroundInFirefox, withAutomationHook } from "../playground/firefox.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const HEADLESS_DEADLINE_MS = 90_000;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const valueOf = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
/** --extension DIR: load another unpacked build (e.g. an unzipped store package) instead of the fresh one. */
const EXT = valueOf("--extension") ? resolve(valueOf("--extension")) : join(root, "dist/firefox");
const ARTIFACTS = resolve(valueOf("--artifacts") ?? join(root, "artifacts"));
const portArg = valueOf("--port") ? Number(valueOf("--port")) : undefined;
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const headless = flag("--headless") || (!flag("--headed") && !hasDisplay);

// A fresh machine: install Firefox ESR through apt when it is missing, or say in one line how to.
const setupProblem = ensureSystem("start-firefox");
if (setupProblem) {
  console.error(setupProblem);
  process.exit(1);
}

if (!flag("--no-build")) {
  const built = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) {
    console.error("npm run start:firefox: the build failed (node scripts/build.mjs)");
    process.exit(1);
  }
}

const playground = await startPlayground(portArg ? { port: portArg } : {});
console.log(`Playground: ${playground.pageUrl}  (API ${playground.apis.localhost}, ${playground.apis.ip})`);

if (!headless) {
  const webExt = spawn(
    process.execPath,
    [
      join(root, "node_modules/web-ext/bin/web-ext.js"),
      "run",
      `--firefox=${FIREFOX}`,
      "--source-dir",
      EXT,
      "--start-url",
      playground.pageUrl,
      "--no-config-discovery",
    ],
    { cwd: root, stdio: "inherit" },
  );
  console.log("Firefox opens with CORS Doctor as a temporary add-on: press F12, choose the CORS panel, then the playground's buttons.");
  const stop = () => webExt.kill("SIGINT");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const code = await new Promise((done) => webExt.once("exit", (c) => done(c ?? 0)));
  await playground.close();
  process.exit(code);
}

const deadline = setTimeout(() => {
  console.error(`npm run start:firefox: the headless run took more than ${HEADLESS_DEADLINE_MS / 1000} s; giving up`);
  process.exit(1);
}, HEADLESS_DEADLINE_MS);

const hooked = await withAutomationHook(EXT);
let firefox;
let exitCode = 0;
try {
  const started = Date.now();
  firefox = await launchFirefox(hooked.dir);
  const { page, report } = await runPlaygroundInFirefox(firefox, playground);
  const saw = await pageResults(page);
  let har = await report();
  let check = checkReport(har, "firefox");
  const settleBy = Date.now() + 8_000;
  while (check.missing.length && Date.now() < settleBy) {
    await new Promise((r) => setTimeout(r, 250));
    har = await report();
    check = checkReport(har, "firefox");
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "report-firefox.har"), JSON.stringify(har, null, 2) + "\n");

  console.log(`\nWhat the page saw in Firefox ESR:`);
  for (const [id, text] of saw) console.log(`  ${id.padEnd(26)} ${text.replace(/\n/g, "\n  " + " ".repeat(27))}`);
  console.log(`\nCORS Doctor in Firefox ESR: ${check.rows.length} requests diagnosed\n`);
  console.log(formatTable(check.rows, "firefox", saw));
  console.log(`\nReport: ${relative(root, join(ARTIFACTS, "report-firefox.har"))}   (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  // Success here means capture worked: Firefox's webRequest hides what Chromium's shows (a blocked simple
  // request looks completed; the credentials mode of a cookie-less request is invisible), so a diagnosis
  // that differs from the Chromium expectation is reported, not fatal.
  if (check.missing.length) {
    console.error(`\nnpm run start:firefox: the add-on did not capture every button:\n  - ${check.problems.join("\n  - ")}`);
    exitCode = 1;
  } else {
    if (check.problems.length) console.log(`\nDiagnoses that differ from the Chromium expectation:\n  - ${check.problems.join("\n  - ")}`);
    console.log(`OK: every button's request was captured and diagnosed (${check.rows.length} requests).`);
  }
} catch (error) {
  console.error(`npm run start:firefox: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await firefox?.close();
  hooked.dispose();
  await playground.close();
  clearTimeout(deadline);
}
process.exit(exitCode);
