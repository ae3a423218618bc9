// Cookies set outside the log, in CORS Doctor's own export (contracts §4: `analyze` of an export gives what the
// panel showed). A live tab names a cookie from a Set-Cookie it saw outside its log (a log-in navigation) or from the
// browser's cookie store; those sightings are not entries, so the export carries them in `log._corsDoctor`, each
// placed before the entry it preceded, and both HAR readers (whole file, streaming) hand them to the cookie rules at
// that place. Read only from a file CORS Doctor wrote, and checked like any untrusted input.
import type { CookieSighting } from "../lints/cookies";

/** A sighting as the export writes it: placed before entry `beforeEntry` (the entries' count: after all of them). */
export interface HarCookieSighting {
  beforeEntry: number;
  url: string;
  /** Set-Cookie lines, names and attributes only (values are "[redacted]" or empty). */
  setCookie: string[];
  pageOrigin?: string;
  source?: "jar";
}

const MAX_SIGHTINGS = 1000;
const MAX_LINES = 50;
const MAX_LENGTH = 4096;

const text = (v: unknown): v is string => typeof v === "string" && v.length <= MAX_LENGTH;

/** `log._corsDoctor` of a file: its well-formed sightings, within the bounds; anything else is dropped. */
export function parseHarCookieSightings(value: unknown): HarCookieSighting[] {
  const list = (value as { cookieSightings?: unknown } | null | undefined)?.cookieSightings;
  if (!Array.isArray(list)) return [];
  const out: HarCookieSighting[] = [];
  for (const item of list.slice(0, MAX_SIGHTINGS)) {
    const s = item as Partial<HarCookieSighting> | null;
    if (!s || !Number.isInteger(s.beforeEntry) || s.beforeEntry! < 0 || !text(s.url) || !Array.isArray(s.setCookie)) continue;
    const setCookie = s.setCookie.filter(text).slice(0, MAX_LINES);
    if (setCookie.length === 0) continue;
    out.push({
      beforeEntry: s.beforeEntry!,
      url: s.url,
      setCookie,
      ...(text(s.pageOrigin) ? { pageOrigin: s.pageOrigin } : {}),
      ...(s.source === "jar" ? { source: "jar" as const } : {}),
    });
  }
  return out.sort((a, b) => a.beforeEntry - b.beforeEntry);
}

/** What a sighting says, wherever it is placed (the export's entry index or the rules' exchange count). */
function sightingFields(s: Omit<CookieSighting, "before">): Omit<CookieSighting, "before"> {
  return {
    url: s.url,
    setCookie: s.setCookie,
    ...(s.pageOrigin ? { pageOrigin: s.pageOrigin } : {}),
    ...(s.source ? { source: s.source } : {}),
  };
}

/** For the whole-file reader: each sighting placed among exchanges given the first entry index of each (in order). */
export function sightingsAmongExchanges(sightings: readonly HarCookieSighting[], firstEntries: readonly number[]): CookieSighting[] {
  return sightings.map((s) => {
    let before = 0;
    while (before < firstEntries.length && firstEntries[before]! < s.beforeEntry) before++;
    return { before, ...sightingFields(s) };
  });
}

/**
 * For the writer: sightings placed among the report's items (`before` = an item position) → placed before entries,
 * given the first entry index of each item position.
 */
export function sightingsForExport(
  sightings: readonly CookieSighting[],
  firstEntryOfItem: (position: number) => number | undefined,
  entryCount: number,
): HarCookieSighting[] {
  return sightings.slice(0, MAX_SIGHTINGS).map((s) => ({ beforeEntry: firstEntryOfItem(s.before) ?? entryCount, ...sightingFields(s) }));
}
