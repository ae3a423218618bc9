// Export the tab's report as HAR (contracts §4): redacted unless the user chose to include secrets, in which
// case the file name says so too.
import { placeAmong } from "../capture/cookie-sightings";
import { buildHarReport } from "../core/har/write";
import type { CapturedExchange, CookieSightingOfTab } from "../shared/protocol";

export function reportFileName(items: CapturedExchange[], includeSecrets: boolean, now = new Date()): string {
  let host = "report";
  try {
    const origin = items[0]?.exchange.initiatorOrigin;
    if (origin) host = new URL(origin).hostname.replace(/[^A-Za-z0-9.-]/g, "_") || host;
  } catch {
    /* keep "report" */
  }
  const stamp = now.toISOString().replace(/[:]/g, "-").replace(/\..*$/, "");
  return `cors-doctor-${host}-${stamp}${includeSecrets ? "-WITH-SECRETS" : ""}.har`;
}

export function reportText(
  items: CapturedExchange[],
  includeSecrets: boolean,
  version: string,
  sightings: CookieSightingOfTab[] = [],
): string {
  const sorted = [...items].sort((a, b) => a.seq - b.seq);
  // Each sighting goes before the first exchange captured after it, as the background's own report places them.
  const cookieSightings = placeAmong(
    sightings,
    sorted.map((item) => item.seq),
  );
  const report = buildHarReport(
    sorted.map((item) => ({ exchange: item.exchange, diagnosis: item.diagnosis })),
    { includeSecrets, version, cookieSightings },
  );
  return JSON.stringify(report, null, 2);
}
