// HAR document → one diagnosis per entry: parse at the edge, rebuild exchanges, run the engine once
// over the whole log (cross-request lints need every exchange), then split back per entry.
import { diagnoseLog, type DiagnoseOptions } from "../diagnose";
import type { CorsDiagnosis, Exchange } from "../model";
import { sightingsAmongExchanges, type HarCookieSighting } from "./cookie-sightings";
import { parseHar, harEntriesToExchanges, HarError } from "./read";
import { entryDiagnoses, withReaderAssumptions } from "./roles";
import type { HarEntryLike, HarExchangeGroup } from "./types";

export interface HarEntryResult {
  index: number;
  url: string;
  method: string;
  /** 0 when the request got no response. */
  status: number;
  diagnosis: CorsDiagnosis;
  /** The exchange the entry belongs to (shared by its preflight and redirect entries). */
  exchange: Exchange;
}

export interface HarAnalysis {
  entries: HarEntryResult[];
  exchanges: HarExchangeGroup[];
  /** One per exchange, same order as `exchanges`. */
  diagnoses: CorsDiagnosis[];
  creator: string | undefined;
  /** The cookies our own export says were set outside its log (`log._corsDoctor`), as read; empty for other files. */
  cookieSightings: HarCookieSighting[];
}

/** Entry id of a leg's request or preflight, from the refs the grouper set (HAR entry indices). */
export function groupEntryOf(group: HarExchangeGroup) {
  return (legIndex: number, part: "preflight" | "request"): number | undefined => {
    const leg = group.exchange.legs[legIndex];
    const ref = part === "request" ? leg?.ref : leg?.preflight?.ref;
    return typeof ref === "number" ? ref : undefined;
  };
}

/** The index of a group's first entry (its preflight's, when it has one). */
export function firstEntryOf(group: Pick<HarExchangeGroup, "entryIndices" | "preflightIndices" | "twinIndices">): number {
  let first = Number.POSITIVE_INFINITY;
  for (const i of group.entryIndices) if (i < first) first = i;
  for (const i of group.preflightIndices) if (i < first) first = i;
  for (const [, twin] of group.twinIndices ?? []) if (twin < first) first = twin;
  return first;
}

/** Per-entry rows for already diagnosed groups (also used by the streaming CLI path, batch by batch). */
export function entryResults(
  entries: (index: number) => HarEntryLike,
  groups: HarExchangeGroup[],
  diagnoses: CorsDiagnosis[],
): HarEntryResult[] {
  const rows: HarEntryResult[] = [];
  groups.forEach((group, i) => {
    const perEntry = entryDiagnoses(group.exchange, withReaderAssumptions(diagnoses[i]!, group.assumptions), groupEntryOf(group));
    // A second record of a request (group.ts `twinOf`) says what the request's own record says.
    for (const [request, twin] of group.twinIndices ?? []) {
      const diagnosis = perEntry.get(request);
      if (diagnosis) perEntry.set(twin, diagnosis);
    }
    for (const [index, diagnosis] of perEntry) {
      const entry = entries(index);
      rows.push({
        index,
        url: entry.request.url,
        method: entry.request.method,
        status: entry.response?.status ?? 0,
        diagnosis,
        exchange: group.exchange,
      });
    }
  });
  return rows.sort((a, b) => a.index - b.index);
}

/** Throws `HarError` for input that is not a HAR log; never for odd entries inside a valid one. */
export function analyzeHar(value: unknown, options: DiagnoseOptions = {}): HarAnalysis {
  const har = parseHar(value);
  const exchanges = harEntriesToExchanges(har.entries, { creator: har.creator, pages: har.pages });
  // Cookies our own export says were set outside the log, each placed before the exchange it preceded.
  const outside = har.cookieSightings ? sightingsAmongExchanges(har.cookieSightings, exchanges.map(firstEntryOf)) : [];
  const diagnoses = diagnoseLog(
    exchanges.map((g) => g.exchange),
    outside.length ? { ...options, cookiesOutsideLog: [...(options.cookiesOutsideLog ?? []), ...outside] } : options,
  ).map((d, i) => withReaderAssumptions(d, exchanges[i]!.assumptions));
  const entries = entryResults((i) => har.entries[i]!, exchanges, diagnoses);
  if (entries.length !== har.entries.length)
    throw new HarError(`internal: ${har.entries.length - entries.length} entries were not grouped`);
  return { entries, exchanges, diagnoses, creator: har.creator, cookieSightings: har.cookieSightings ?? [] };
}
