// What both matrix2 recorders share: the CA and servers, the URLs of a case, the setup steps (cookies), the
// extension report of a case, and the shape of the recorded verdicts.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeLocalCa, MATRIX2_HOSTS } from "../../scripts/make-local-ca.mjs";
import { startMatrix2Servers } from "./server.mjs";
import { urlsFor } from "./page-actions.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/** @typedef {import("./page-actions.mjs").PageAction} PageAction */
/** @typedef {import("./page-actions.mjs").PageOutcome} PageOutcome */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DNR_EXTENSION = path.join(ROOT, "test/fixtures/matrix2/dnr-extension");
export const HOSTS = MATRIX2_HOSTS;
/** The scenario a URL belongs to (the v1 matrix uses the same path shape, so its HAR builder applies). */
export const SCENARIO_URL_RE = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;

/** A fresh work dir with the CA (a few seconds of openssl) and the servers. */
export async function startEnvironment() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cors-matrix2-"));
  const ca = makeLocalCa(path.join(work, "ca"));
  const servers = await startMatrix2Servers({ ca });
  return {
    work,
    ca,
    servers,
    async close() {
      await servers.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startEnvironment>>} Environment */

/** The page URL of a case. */
export function pageUrlOf(/** @type {Environment} */ env, /** @type {Scenario} */ s) {
  return `${env.servers.origin(s.page.server ?? "main", s.page.host ?? "app.test")}/p/${s.id}`;
}

/** @returns {PageAction} */
export function actionOf(/** @type {Environment} */ env, /** @type {Scenario} */ s, /** @type {string} */ run) {
  const a = s.action;
  const pageOrigin = env.servers.origin(s.page.server ?? "main", s.page.host ?? "app.test");
  const base = env.servers.origin(a.server ?? "main", a.host ?? "api.test");
  const frameOrigin = env.servers.origin("main", "other.test");
  const urls = urlsFor(s, base, pageOrigin, frameOrigin, run);
  /** @type {any} */
  const init = { ...(a.init ?? {}) };
  if (init.integrity === "sha256-{bodySha256}") {
    init.integrity = `sha256-${crypto
      .createHash("sha256")
      .update(s.server.actual.body ?? "")
      .digest("base64")}`;
  }
  return {
    id: s.id,
    kind: a.kind,
    ...urls,
    init,
    crossOrigin: a.crossOrigin,
    integrity: a.integrity,
    readHeader: a.readHeader,
    abortAfterMs: a.abortAfterMs,
  };
}

/** Run tags keep the browsers' caches (preflight, HTTP) out of the experiment. */
export function newRunTag() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The extension's report entries for one case, reduced to what the agreement test compares.
 * @param {any} report HAR-style report (contracts §4)
 * @param {string} id
 */
export function extensionEntriesOf(report, id) {
  const entries = /** @type {any[]} */ (report?.log?.entries ?? []);
  return entries
    .filter((e) => SCENARIO_URL_RE.exec(String(e?.request?.url ?? ""))?.[1] === id)
    .map((e) => ({
      method: e.request.method,
      url: shortUrl(e.request.url),
      resourceType: e._resourceType,
      status: e.response?.status ?? 0,
      error: e.response?._error,
      role: e._cors?.role,
      verdict: e._cors?.verdict,
      blockedBy: e._cors?.blockedBy ? pick(e._cors.blockedBy, ["id", "chromeCorsError", "firefoxReason", "failedParameter"]) : null,
      findings: (e._cors?.findings ?? []).map((/** @type {any} */ f) => f.id),
    }));
}

/** @param {any} o @param {string[]} keys */
function pick(o, keys) {
  /** @type {Record<string, unknown>} */
  const out = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** host:port/path?query with the port and the run tag replaced: what stays the same between recordings. */
export function shortUrl(/** @type {string} */ url) {
  return String(url)
    .replace(/^(\w+:\/\/[^/:]+):\d+/, "$1:PORT")
    .replace(/\?r=[a-z0-9]+/, "?r=RUN");
}

/**
 * Poll the extension's report until the case's entries are there and stable, bounded.
 * @param {() => Promise<any>} getReport
 * @param {string} id
 * @param {number} [maxMs]
 */
export async function settleExtensionEntries(getReport, id, maxMs = 2500) {
  const deadline = Date.now() + maxMs;
  let last = "";
  let stableSince = 0;
  /** @type {any[]} */
  let entries = [];
  for (;;) {
    try {
      entries = extensionEntriesOf(await getReport(), id);
    } catch {
      entries = [];
    }
    const key = JSON.stringify(entries);
    if (entries.length && key === last) {
      if (Date.now() - stableSince >= 300) return entries;
    } else {
      last = key;
      stableSince = Date.now();
    }
    if (Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The wire: what the servers saw for a case (method, host, and whether a Cookie came along). */
export function wireOf(/** @type {Environment} */ env, /** @type {string} */ id) {
  return env.servers.log
    .filter((e) => e.scenario === id)
    .map((e) => {
      const headers = e.rawHeaders;
      const cookie = headers.find((_, i) => i % 2 === 0 && headers[i].toLowerCase() === "cookie")
        ? headers[headers.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === "cookie") + 1]
        : undefined;
      return `${e.method} ${e.hop ? "hop" : "start"} ${e.sent.status}${
        cookie
          ? ` cookie:${cookie
              .split(/;\s*/)
              .map((c) => c.split("=")[0])
              .sort()
              .join(",")}`
          : ""
      }`;
    });
}
