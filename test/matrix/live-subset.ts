// The scenarios re-recorded by the live drift tests: one or two per main error family, kept small so each
// browser's test stays well under a minute.
import type { ChromiumVerdict } from "./record-chromium.mjs";
import type { FirefoxVerdict } from "./record-firefox.mjs";

export const LIVE_SUBSET = [
  "get-acao-exact-origin",
  "get-acao-missing",
  "get-acao-multiple-two-lines-same",
  "get-acao-mismatch-trailing-slash",
  "cred-acao-wildcard",
  "cred-acac-capital-true",
  "preflight-status-404-without-acao",
  "preflight-status-401-with-acao",
  "preflight-redirect-302-with-location",
  "acam-put-lower-case",
  "acah-missing",
  "acah-authorization-under-wildcard",
  "redirect-cross-origin-target-origin",
  "status-500-with-acao",
  "max-age-abc",
];

/** Ports and run tags change per recording; everything else must not. */
function normalize(value: string | undefined): string | undefined {
  return value?.replace(/(127\.0\.0\.1|localhost):\d+/g, "$1:PORT").replace(/\?r=[a-z0-9]+/g, "?r=RUN");
}

/** The fields of a Chromium verdict that must not drift between recordings. */
export function stableChromium(v: ChromiumVerdict | undefined) {
  if (!v) return undefined;
  return {
    blocked: v.blocked,
    errorText: v.errorText,
    corsError: v.corsError,
    failedParameter: normalize(v.failedParameter),
    console: normalize(v.console),
    cookieSent: v.cookieSent,
    preflights: v.preflights,
    requests: v.requests,
    perFetch: v.perFetch?.map((f) => ({ blocked: f.blocked, corsError: f.corsError })),
  };
}

/** The fields of a Firefox verdict that must not drift between recordings. */
export function stableFirefox(v: FirefoxVerdict | undefined) {
  if (!v) return undefined;
  return {
    blocked: v.blocked,
    reason: v.reason,
    reasons: v.reasons,
    console: normalize(v.console),
    cookieSent: v.cookieSent,
    preflights: v.preflights,
    requests: v.requests,
    perFetch: v.perFetch?.map((f) => f.blocked),
  };
}
