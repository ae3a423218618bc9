// Capture plus diagnosis: the state the background serves to the panel, the badge, storage and the automation
// hook. Each exchange is diagnosed on its own as soon as it changes (cheap, one exchange); the lints that need the
// whole log (an origin reflected for two origins, a missing Vary) run over the tab in a separate, debounced pass.
// Live diagnoses carry no fix recipes: with them a diagnosis weighs ~16 KB and costs ~1 ms (a 2000-request tab
// would be a 32 MB snapshot); the report, built on demand, re-diagnoses with fixes, and a view can do the same
// for the one exchange it details (the engine is pure).
import { diagnoseExchange, diagnoseLog, withLogLints } from "../core/diagnose";
import type { CookieSighting } from "../core/lints/cookies";
import type { BrowserName, CorsDiagnosis, Exchange } from "../core/model";
import type { BackgroundToPanel, CapturedExchange, TabSnapshot } from "../shared/protocol";
import { blocksAnyMode } from "../core/checks/not-cors";
import { Capture, seenOnlyFailing, type CaptureOptions } from "./capture";
import type { WebRequestEvent } from "./events";
import { PageReports, REFUSED_GRACE_MS, withPageEvidence, type PageReport } from "./page-reports";
import { recordId, toExchange, type RequestRecord } from "./record";

const LIVE = (browser: BrowserName) => ({ browser, fixes: false });
/** Refused-before-the-network requests kept per tab (they cost no storage, but memory is bounded too). */
const MAX_REFUSED_PER_TAB = 200;

/**
 * A request seen only at its failure (capture.ts `failedUnseen`) has no headers: the engine's words for it assume
 * headers were captured and passed every check ("changing the server's CORS configuration will not help"), which
 * is not what happened. Say what is known, what is most likely, and how to learn the rest.
 */
function withCaptureLimits(record: RequestRecord, diagnosis: CorsDiagnosis): CorsDiagnosis {
  if (!seenOnlyFailing(record) || !diagnosis.blockedBy) return diagnosis;
  const { type } = record;
  const error = record.error ?? "an error";
  // A policy of every mode (CORP/COEP, ORB, Local Network Access) is named by the error itself, and Chromium may have
  // named the CORS error (precise mode): the engine's words stand; only the missing headers are said.
  if (blocksAnyMode(error) || diagnosis.blockedBy.chromeCorsError) {
    return {
      ...diagnosis,
      assumptions: [...(diagnosis.assumptions ?? []), `only the failure of this ${type} was captured (no request or response headers)`],
    };
  }
  const { fixes, ...blockedBy } = diagnosis.blockedBy;
  void fixes;
  return {
    ...diagnosis,
    blockedBy: {
      ...blockedBy,
      title: `The ${type} failed (${error}), most likely refused by CORS; its headers were not captured`,
      detail: `Only this request's failure was captured: in an armed tab, CORS Doctor follows images, scripts, stylesheets and media only when they fail, so the page stays fast, and no header of this request or of its response is known. Chromium fails a cross-origin ${type} with ${error} when it was loaded in CORS mode (a crossorigin attribute, or a module script) and the response did not pass the CORS check, most often because Access-Control-Allow-Origin is missing or names another origin; a load without crossorigin is never checked by CORS. Reload the page: the tab now captures every request type with its headers, and the exact reason will show.`,
    },
    assumptions: [
      `only the failure of this ${type} was captured (no request or response headers): a CORS failure is inferred from ${error}, the reason is unknown`,
    ],
  };
}

export interface LiveLogOptions extends CaptureOptions {
  browser: BrowserName;
}

export interface TabCounts {
  blocked: number;
  warnings: number;
}

export interface FlushResult {
  /** Messages for the panels subscribed to each tab, in order. */
  messages: Map<number, BackgroundToPanel[]>;
  store: { set: Record<string, unknown>; remove: string[] };
  /** Badge counts of the tabs whose log changed. */
  counts: Map<number, TabCounts>;
}

export class LiveLog {
  readonly capture: Capture;
  private readonly browser: BrowserName;
  /** Derived from a record at a revision (see `revisionOf`): rebuilt when the record has moved on. */
  private exchanges = new Map<string, { revision: string; exchange: Exchange }>();
  /** `base`: the engine's diagnosis of the exchange alone, which each lint pass starts from instead of diagnosing again. */
  private diagnoses = new Map<string, { revision: string; diagnosis: CorsDiagnosis; base: CorsDiagnosis }>();
  /** Tabs whose log changed since their last cross-request lint pass. */
  private lintPending = new Set<number>();
  /** What the page-side observer reported, per tab (src/content/page-world.ts). */
  private readonly pages = new PageReports();
  /**
   * Requests the browser refused before any webRequest event (mixed content, the page's CSP), known only from the
   * page: kept in memory per tab, bounded; a restarted worker forgets them (the page's failures are not replayed).
   */
  private readonly refused = new Map<number, CapturedExchange[]>();
  /** Tabs with page reports that may still turn out to be refused requests. */
  private readonly pagesPending = new Set<number>();

  constructor(options: LiveLogOptions) {
    this.browser = options.browser;
    this.capture = new Capture(options);
  }

  handle(event: WebRequestEvent): void {
    this.capture.handle(event);
  }

  restore(items: Record<string, unknown>): void {
    this.capture.restore(items);
  }

  /**
   * Applies what capture changed since the last flush: diagnoses the changed exchanges and says who must hear of it.
   * `persist`: whether this flush also hands over the storage.session writes (see Capture.drain).
   */
  flush(persist = true): FlushResult {
    const changes = this.capture.drain(persist);
    const messages = new Map<number, BackgroundToPanel[]>();
    const counts = new Map<number, TabCounts>();
    for (const [tabId, tab] of changes.tabs) {
      const out: BackgroundToPanel[] = [];
      if (tab.cleared) {
        this.forgetTab(tabId);
        out.push({ type: "cleared", tabId });
      }
      const evicted = this.capture.tabState(tabId).evicted;
      if (tab.removed.length) {
        for (const id of tab.removed) {
          this.exchanges.delete(id.slice(1));
          this.diagnoses.delete(id.slice(1));
        }
        out.push({ type: "remove", tabId, ids: tab.removed, evicted });
      }
      const items: CapturedExchange[] = [];
      for (const requestId of tab.upserted) {
        const record = this.capture.record(requestId);
        if (record?.role !== "actual") continue;
        // Capture says it changed: rebuild whatever the revision says.
        this.exchanges.delete(requestId);
        this.diagnoses.delete(requestId);
        const exchange = this.exchangeOf(record);
        const diagnosis = this.diagnosisOf(record, exchange);
        items.push(this.item(record, exchange, diagnosis));
      }
      items.push(...this.takeRefused(tabId));
      if (items.length) {
        items.sort((a, b) => a.seq - b.seq);
        out.push({ type: "upsert", tabId, items, evicted });
        this.lintPending.add(tabId);
      }
      if (out.length) messages.set(tabId, out);
      counts.set(tabId, this.counts(tabId));
    }
    for (const tabId of [...this.pagesPending]) {
      if (changes.tabs.has(tabId)) continue;
      const items = this.takeRefused(tabId);
      if (!items.length) continue;
      messages.set(tabId, [{ type: "upsert", tabId, items, evicted: this.capture.tabState(tabId).evicted }]);
      counts.set(tabId, this.counts(tabId));
    }
    // A panel keeps the tab's cookie sightings for its export: they travel with the tab's next upsert.
    for (const tabId of this.capture.cookieSightings.takeChanged()) {
      const out = messages.get(tabId) ?? [];
      const cookieSightings = this.capture.cookieSightings.stored(tabId) ?? [];
      const upsert = out.find((m) => m.type === "upsert");
      if (upsert?.type === "upsert") upsert.cookieSightings = cookieSightings;
      else out.push({ type: "upsert", tabId, items: [], evicted: this.capture.tabState(tabId).evicted, cookieSightings });
      messages.set(tabId, out);
    }
    return { messages, store: changes.store, counts };
  }

  /** Tabs waiting for a cross-request lint pass. */
  tabsToLint(): number[] {
    return [...this.lintPending];
  }

  /**
   * Re-diagnoses the whole tab with the cross-request lints and returns the exchanges whose diagnosis changed
   * (null when none did). Run debounced: it is linear in the tab's log.
   */
  lint(tabId: number): BackgroundToPanel | null {
    this.lintPending.delete(tabId);
    const records = this.capture.exchangesOf(tabId);
    const exchanges = records.map((r) => this.exchangeOf(r));
    const bases = records.map((r, i) => this.baseOf(r, exchanges[i]!));
    const diagnoses = withLogLints(exchanges, bases, { ...LIVE(this.browser), cookiesOutsideLog: this.cookiesOutsideLog(tabId, records) });
    const changed: CapturedExchange[] = [];
    records.forEach((record, i) => {
      const diagnosis = withCaptureLimits(record, this.withPairing(record, diagnoses[i]!));
      const before = this.diagnoses.get(record.requestId)?.diagnosis;
      this.diagnoses.set(record.requestId, { revision: this.revisionOf(record), diagnosis, base: bases[i]! });
      if (before && sameJson(before, diagnosis)) return;
      changed.push(this.item(record, exchanges[i]!, diagnosis));
    });
    if (!changed.length) return null;
    return { type: "upsert", tabId, items: changed, evicted: this.capture.tabState(tabId).evicted };
  }

  items(tabId: number): CapturedExchange[] {
    const captured = this.capture.exchangesOf(tabId).map((record) => {
      const exchange = this.exchangeOf(record);
      return this.item(record, exchange, this.diagnosisOf(record, exchange));
    });
    return this.withRefused(tabId, captured);
  }

  /** The cookie store's answer for an exchange's 401/403 (Capture.noteCookieJar): the tab's lints run again when it adds something. */
  noteCookieJar(requestId: string, answer: unknown): boolean {
    const tabId = this.capture.noteCookieJar(requestId, answer);
    if (tabId === null) return false;
    this.lintPending.add(tabId);
    return true;
  }

  /**
   * Reports from the tab's page-side observer (already parsed at the edge). A report that completes a captured
   * request makes its exchange rebuild; a failure no captured request explains is looked at once the grace
   * period is over (`takeRefused`). Returns whether anything may change after that period.
   */
  addPageReports(tabId: number, reports: PageReport[]): boolean {
    if (!reports.length) return false;
    // Indexed once per batch (a batch holds up to 200 reports); a list grows in place, never copied.
    const byUrl = new Map<string, RequestRecord[]>();
    for (const record of this.capture.exchangesOf(tabId)) {
      const url = record.hops[0]!.url;
      const list = byUrl.get(url);
      if (list) list.push(record);
      else byUrl.set(url, [record]);
    }
    for (const report of reports) {
      this.pages.add(tabId, report);
      for (const record of byUrl.get(report.url) ?? []) {
        this.exchanges.delete(record.requestId);
        this.diagnoses.delete(record.requestId);
        this.capture.markChanged(record.requestId);
      }
    }
    this.pagesPending.add(tabId);
    return true;
  }

  /** The grace period after which a page failure with no captured request is taken as refused before the network. */
  static readonly refusedGraceMs = REFUSED_GRACE_MS;

  /**
   * The exported report's content: the tab's exchanges diagnosed in full (cross-request lints and fix recipes), in
   * capture order, and its cookie sightings placed among them (the export's `log._corsDoctor`).
   */
  report(tabId: number): { items: { exchange: Exchange; diagnosis: CorsDiagnosis }[]; cookieSightings: CookieSighting[] } {
    const records = this.capture.exchangesOf(tabId);
    const refused = this.refused.get(tabId) ?? [];
    const exchanges = [...records.map((r) => this.exchangeOf(r)), ...refused.map((r) => r.exchange)];
    const diagnoses = diagnoseLog(exchanges, { browser: this.browser, cookiesOutsideLog: this.cookiesOutsideLog(tabId, records) });
    const items = [
      ...records.map((record, i) => ({
        seq: record.seq,
        exchange: exchanges[i]!,
        diagnosis: withCaptureLimits(record, this.withPairing(record, diagnoses[i]!)),
      })),
      ...refused.map((r, i) => ({ seq: r.seq, exchange: r.exchange, diagnosis: diagnoses[records.length + i]! })),
    ].sort((a, b) => a.seq - b.seq);
    return {
      items: items.map(({ exchange, diagnosis }) => ({ exchange, diagnosis })),
      cookieSightings: this.capture.cookieSightings.placedIn(
        tabId,
        items.map((item) => item.seq),
      ),
    };
  }

  snapshot(tabId: number, extra: Pick<TabSnapshot, "hostPermission" | "captureErrors">): TabSnapshot {
    const { evicted, preserveLog } = this.capture.tabState(tabId);
    const cookieSightings = this.capture.cookieSightings.stored(tabId);
    return { tabId, items: this.items(tabId), evicted, preserveLog, ...(cookieSightings ? { cookieSightings } : {}), ...extra };
  }

  counts(tabId: number): TabCounts {
    let blocked = (this.refused.get(tabId) ?? []).filter((r) => r.diagnosis.verdict === "blocked").length;
    let warnings = 0;
    for (const record of this.capture.exchangesOf(tabId)) {
      const diagnosis = this.diagnoses.get(record.requestId)?.diagnosis;
      if (!diagnosis) continue;
      if (diagnosis.verdict === "blocked") blocked++;
      else if (diagnosis.findings.some((f) => f.severity !== "info")) warnings++;
    }
    return { blocked, warnings };
  }

  /** The cookies set outside the tab's log, each placed among its records (lints/cookies.ts reads them in order). */
  private cookiesOutsideLog(tabId: number, records: readonly RequestRecord[]) {
    return this.capture.cookieSightings.placedIn(
      tabId,
      records.map((r) => r.seq),
    );
  }

  /** The record's revision with its preflights': an exchange is built from all of them. */
  private revisionOf(record: RequestRecord): string {
    let revision = String(record.rev ?? 0);
    for (const id of Object.values(record.preflights ?? {})) revision += `,${id}@${this.capture.record(id)?.rev ?? 0}`;
    return `${record.state}:${revision}`;
  }

  private exchangeOf(record: RequestRecord): Exchange {
    const revision = this.revisionOf(record);
    const cached = this.exchanges.get(record.requestId);
    if (cached && cached.revision === revision) return cached.exchange;
    const first = record.hops[0]!;
    const evidence = this.pages.evidenceFor(record.tabId, first.method, first.url, first.timings.start);
    const exchange = withPageEvidence(
      toExchange(record, (id) => this.capture.record(id), this.browser),
      evidence,
    );
    this.exchanges.set(record.requestId, { revision, exchange });
    return exchange;
  }

  private diagnosisOf(record: RequestRecord, exchange: Exchange): CorsDiagnosis {
    return this.diagnosed(record, exchange).diagnosis;
  }

  /** The engine's diagnosis of the exchange alone (no cross-request lints), which each lint pass starts from. */
  private baseOf(record: RequestRecord, exchange: Exchange): CorsDiagnosis {
    return this.diagnosed(record, exchange).base;
  }

  /** The record's diagnoses at its revision, made once. */
  private diagnosed(record: RequestRecord, exchange: Exchange): { revision: string; diagnosis: CorsDiagnosis; base: CorsDiagnosis } {
    const revision = this.revisionOf(record);
    const cached = this.diagnoses.get(record.requestId);
    if (cached && cached.revision === revision) return cached;
    const base = diagnoseExchange(exchange, LIVE(this.browser));
    const entry = { revision, diagnosis: withCaptureLimits(record, this.withPairing(record, base)), base };
    this.diagnoses.set(record.requestId, entry);
    return entry;
  }

  /** The engine sees the preflight inside the exchange; the record id that pairs them is known only here. */
  private withPairing(record: RequestRecord, diagnosis: CorsDiagnosis): CorsDiagnosis {
    const preflights = Object.values(record.preflights ?? {});
    return { ...diagnosis, pairedWith: preflights.length ? recordId(preflights[0]!) : null };
  }

  private item(record: RequestRecord, exchange: Exchange, diagnosis: CorsDiagnosis): CapturedExchange {
    return {
      id: recordId(record.requestId),
      seq: record.seq,
      tabId: record.tabId,
      exchange,
      diagnosis,
      complete: record.state !== "in-flight",
    };
  }

  /** Page failures of the tab that no captured request explains, now past the grace period: new items. */
  private takeRefused(tabId: number): CapturedExchange[] {
    if (!this.pagesPending.has(tabId)) return [];
    const now = Date.now();
    const seen = this.capture.exchangesOf(tabId);
    const captured = (url: string, method: string, at: number) =>
      seen.some((r) => r.hops[0]!.url === url && r.hops[0]!.method === method && Math.abs(r.hops[0]!.timings.start - at) < 10_000);
    const dropped = (url: string, at: number) => this.capture.droppedFailures.errorOf(tabId, url, at);
    const exchanges = this.pages.takeRefused(tabId, now, captured, dropped);
    if (!this.pages.hasPending(tabId)) this.pagesPending.delete(tabId);
    if (!exchanges.length) return [];
    const list = this.refused.get(tabId) ?? [];
    const items = exchanges.map((exchange) => {
      const seq = this.capture.nextSeq();
      return {
        id: `p${seq}`,
        seq,
        tabId,
        exchange,
        diagnosis: diagnoseExchange(exchange, LIVE(this.browser)),
        complete: true,
      } satisfies CapturedExchange;
    });
    list.push(...items);
    // Bounded like the captured log: the oldest go first.
    if (list.length > MAX_REFUSED_PER_TAB) list.splice(0, list.length - MAX_REFUSED_PER_TAB);
    this.refused.set(tabId, list);
    this.lintPending.add(tabId);
    return items;
  }

  private withRefused(tabId: number, captured: CapturedExchange[]): CapturedExchange[] {
    const refused = this.refused.get(tabId);
    if (!refused?.length) return captured;
    return [...captured, ...refused].sort((a, b) => a.seq - b.seq);
  }

  /** The tab is gone: nothing of it is kept. */
  removeTab(tabId: number): void {
    this.capture.removeTab(tabId);
    this.refused.delete(tabId);
    this.pages.forgetTab(tabId);
    this.pagesPending.delete(tabId);
  }

  private forgetTab(tabId: number): void {
    if (!this.capture.tabState(tabId).preserveLog) this.refused.delete(tabId);
    for (const [requestId, exchange] of this.exchanges) {
      void exchange;
      if (!this.capture.record(requestId)) {
        this.exchanges.delete(requestId);
        this.diagnoses.delete(requestId);
      }
    }
    this.lintPending.delete(tabId);
  }
}

/**
 * Whether two JSON-like values would serialize alike, key order aside (an `undefined` property is absent, as in
 * JSON): what the lint pass compares for each exchange of the tab, without building two strings for each.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key) || x[key] === undefined) continue;
    count++;
    if (!Object.hasOwn(y, key) || !sameJson(x[key], y[key])) return false;
  }
  for (const key in y) if (Object.hasOwn(y, key) && y[key] !== undefined) count--;
  return count === 0;
}
