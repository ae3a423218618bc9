// What the page does for one scenario: the fetch URL (unique per recording run, so neither browser's
// preflight cache — keyed by URL — can carry an entry from one scenario or run into another) and the
// RequestInit, plus the function evaluated in the page that performs the fetches.

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */

/**
 * @typedef {object} FetchPlan
 * @property {string} id
 * @property {string} url
 * @property {{ method: string, headers: [string, string][], credentials: string, mode: string, redirect: string, body?: string }} init
 * @property {number} repeat
 */

/**
 * @typedef {object} FetchOutcome
 * @property {boolean} ok          the fetch promise resolved (CORS allowed it)
 * @property {number} [status]
 * @property {string} [type]       Response.type ("cors", "opaqueredirect")
 * @property {string} [error]      String(error) when it rejected
 */

/** The path that identifies a scenario's requests in URLs, logs and console lines. */
export const SCENARIO_URL_RE = /\/m\/([a-z0-9-]+)(\/hop)?\?r=/;

/**
 * @param {Scenario} scenario
 * @param {{ localhost: string, ip: string }} apiOrigins
 * @param {string} runTag
 * @returns {FetchPlan}
 */
export function planFor(scenario, apiOrigins, runTag) {
  const base = scenario.request.apiHost === "127.0.0.1" ? apiOrigins.ip : apiOrigins.localhost;
  const r = scenario.request;
  return {
    id: scenario.id,
    url: `${base}/m/${scenario.id}?r=${runTag}`,
    init: {
      method: r.method,
      headers: r.headers,
      credentials: r.credentials,
      mode: r.mode ?? "cors",
      redirect: r.redirect ?? "follow",
      ...(r.body !== undefined ? { body: r.body } : {}),
    },
    repeat: r.repeat ?? 1,
  };
}

/**
 * Evaluated inside the page: run the plan's fetches back to back (so a repeat can hit the preflight cache).
 * Self-contained: no closure over module scope.
 * @param {FetchPlan} plan
 * @returns {Promise<FetchOutcome[]>}
 */
export async function runPlanInPage(plan) {
  /** @type {FetchOutcome[]} */
  const out = [];
  for (let i = 0; i < plan.repeat; i++) {
    const headers = new Headers();
    for (const [n, v] of plan.init.headers) headers.append(n, v);
    try {
      const res = await fetch(plan.url, /** @type {RequestInit} */ ({ ...plan.init, headers }));
      try {
        await res.text();
      } catch {
        /* opaque or aborted body: the verdict is already known */
      }
      out.push({ ok: true, status: res.status, type: res.type });
    } catch (e) {
      out.push({ ok: false, error: String(e) });
    }
  }
  return out;
}

/** A fresh tag per recording run. */
export function newRunTag() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}
