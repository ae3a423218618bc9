// The matrix2 cases re-recorded by the live drift tests (one browser per file), one or two per class whose
// signal a browser update could change; kept small so each file stays under a minute or so.
import type { Scenario } from "./scenarios.mjs";
import { scenarios } from "./scenarios.mjs";

export const LIVE_SUBSET = [
  "net-refused-fetch",
  "net-tls-unknown-ca-fetch",
  "mixed-fetch-get",
  "csp-fetch-get",
  "lna-fetch-get",
  "dnr-block-get",
  "dnr-remove-acao-get",
  "corp-same-origin-nocors",
  "redirect-error-302",
  "nocors-beacon",
];

export const liveScenarios = (): Scenario[] => scenarios.filter((s) => LIVE_SUBSET.includes(s.id));

/** The Chromium signals that must not drift between recordings. */
export function stableChromium(rec: any) {
  return {
    pageOk: rec.page.ok,
    // Sorted: the order in which a preflight and its request reach CDP varies from run to run.
    requests: sorted(
      rec.requests.map((r: any) => ({
        method: r.method,
        initiator: r.initiator,
        errorText: r.errorText,
        blockedReason: r.blockedReason,
        corsError: r.corsErrorStatus?.corsError,
      })),
    ),
    issues: sorted(rec.issues.map((i: any) => i.code)),
  };
}

/**
 * Firefox signals a case shows in some runs and not in others, for the same browser and the same server. A live
 * recording may hold them or not; any other difference is still drift.
 */
export const RACY_FIREFOX_FAILURES: Record<string, string[]> = {
  // Firefox stops a redirect: 'error' fetch at the 3xx. WebDriver BiDi reported that stop as a fetchError
  // NS_BINDING_FAILED in one clean-clone CI run (2026-12-01) and in none of 30 local recordings (6 runs of the five
  // redirect-error cases): the page's outcome, its console and the wire were the same.
  "redirect-error-302": ["NS_BINDING_FAILED"],
};

/** `rec` without the failures its case is known to show only now and then (`RACY_FIREFOX_FAILURES`). */
export function withoutRacyFirefox(id: string, rec: any) {
  const racy = RACY_FIREFOX_FAILURES[id] ?? [];
  return { ...rec, failures: rec.failures.filter((f: any) => !racy.includes(f.errorText)) };
}

/** The Firefox signals that must not drift between recordings. */
export function stableFirefox(rec: any) {
  return { pageOk: rec.page.ok, failures: sorted(rec.failures.map((f: any) => f.errorText)), console: sorted(rec.console) };
}

function sorted<T>(list: T[]): T[] {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
