// Loaders for the recorded truth matrix (test/fixtures/matrix), for the engine accuracy test:
// each returns the browser's HAR, its verdicts and the scenario table that produced them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { scenarios, type Scenario } from "./scenarios.mjs";
import type { ChromiumVerdicts } from "./record-chromium.mjs";
import type { FirefoxVerdicts } from "./record-firefox.mjs";

export type { Scenario } from "./scenarios.mjs";
export type { ChromiumVerdict, ChromiumVerdicts } from "./record-chromium.mjs";
export type { FirefoxVerdict, FirefoxVerdicts } from "./record-firefox.mjs";

export const MATRIX_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/matrix");

/** A HAR 1.2 document as the recorders write it (kept loose: the engine's HAR parser is the strict reader). */
export interface MatrixHar {
  log: { version: string; creator: { name: string; version: string }; pages: unknown[]; entries: any[] };
}

/** The scenario id an entry belongs to (its URL path is /m/<id> or /m/<id>/hop). */
export function scenarioIdOfUrl(url: string): string | null {
  return /\/m\/([a-z0-9-]+)(\/hop)?\?r=/.exec(url)?.[1] ?? null;
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(MATRIX_DIR, file), "utf8")) as T;
}

export function loadChromiumMatrix(): { har: MatrixHar; verdicts: ChromiumVerdicts; scenarios: Scenario[] } {
  return { har: readJson<MatrixHar>("chromium.har"), verdicts: readJson<ChromiumVerdicts>("chromium.verdicts.json"), scenarios };
}

export function loadFirefoxMatrix(): { har: MatrixHar; verdicts: FirefoxVerdicts; scenarios: Scenario[] } {
  return { har: readJson<MatrixHar>("firefox.har"), verdicts: readJson<FirefoxVerdicts>("firefox.verdicts.json"), scenarios };
}

/** HAR entries of one scenario, in HAR order (preflights and redirect hops included). */
export function entriesOf(har: MatrixHar, id: string): any[] {
  return har.log.entries.filter((e) => scenarioIdOfUrl(String(e?.request?.url ?? "")) === id);
}
