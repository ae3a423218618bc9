// Capture plus diagnosis: the state the background serves to the panel, the badge, storage and the automation
// hook. Each exchange is diagnosed on its own as soon as it changes (cheap, one exchange); the lints that need the
// whole log (an origin reflected for two origins, a missing Vary) run over the tab in a separate, debounced pass.
// Live diagnoses carry no fix recipes: with them a diagnosis weighs ~16 KB and costs ~1 ms (a 2000-request tab
// would be a 32 MB snapshot); the report, built on demand, re-diagnoses with fixes, and a view can do the same
// for the one exchange it details (the engine is pure).
import { diagnoseExchange, diagnoseLog } from "../core/diagnose";
import type { BrowserName, CorsDiagnosis, Exchange } from "../core/model";
import type { BackgroundToPanel, CapturedExchange, TabSnapshot } from "../shared/protocol";
import { Capture, type CaptureOptions } from "./capture";
import type { WebRequestEvent } from "./events";
import { recordId, toExchange, type RequestRecord } from "./record";

const LIVE = (browser: BrowserName) => ({ browser, fixes: false });

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
  private diagnoses = new Map<string, { revision: string; diagnosis: CorsDiagnosis }>();
  /** Tabs whose log changed since their last cross-request lint pass. */
  private lintPending = new Set<number>();

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

  /** Applies what capture changed since the last flush: diagnoses the changed exchanges and says who must hear of it. */
  flush(): FlushResult {
    const changes = this.capture.drain();
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
        if (!record || record.role !== "actual") continue;
        // Capture says it changed: rebuild whatever the revision says.
        this.exchanges.delete(requestId);
        this.diagnoses.delete(requestId);
        const exchange = this.exchangeOf(record);
        const diagnosis = this.diagnosisOf(record, exchange);
        items.push(this.item(record, exchange, diagnosis));
      }
      if (items.length) {
        items.sort((a, b) => a.seq - b.seq);
        out.push({ type: "upsert", tabId, items, evicted });
        this.lintPending.add(tabId);
      }
      if (out.length) messages.set(tabId, out);
      counts.set(tabId, this.counts(tabId));
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
    const diagnoses = diagnoseLog(exchanges, LIVE(this.browser));
    const changed: CapturedExchange[] = [];
    records.forEach((record, i) => {
      const diagnosis = this.withPairing(record, diagnoses[i]!);
      const before = this.diagnoses.get(record.requestId)?.diagnosis;
      this.diagnoses.set(record.requestId, { revision: this.revisionOf(record), diagnosis });
      if (before && JSON.stringify(before) === JSON.stringify(diagnosis)) return;
      changed.push(this.item(record, exchanges[i]!, diagnosis));
    });
    if (!changed.length) return null;
    return { type: "upsert", tabId, items: changed, evicted: this.capture.tabState(tabId).evicted };
  }

  items(tabId: number): CapturedExchange[] {
    return this.capture.exchangesOf(tabId).map((record) => {
      const exchange = this.exchangeOf(record);
      return this.item(record, exchange, this.diagnosisOf(record, exchange));
    });
  }

  /** The tab's exchanges diagnosed in full (cross-request lints and fix recipes), for the exported report. */
  reportItems(tabId: number): { exchange: Exchange; diagnosis: CorsDiagnosis }[] {
    const records = this.capture.exchangesOf(tabId);
    const exchanges = records.map((r) => this.exchangeOf(r));
    const diagnoses = diagnoseLog(exchanges, { browser: this.browser });
    return records.map((record, i) => ({ exchange: exchanges[i]!, diagnosis: this.withPairing(record, diagnoses[i]!) }));
  }

  snapshot(tabId: number, extra: Pick<TabSnapshot, "hostPermission" | "captureErrors">): TabSnapshot {
    const { evicted, preserveLog } = this.capture.tabState(tabId);
    return { tabId, items: this.items(tabId), evicted, preserveLog, ...extra };
  }

  counts(tabId: number): TabCounts {
    let blocked = 0;
    let warnings = 0;
    for (const record of this.capture.exchangesOf(tabId)) {
      const diagnosis = this.diagnoses.get(record.requestId)?.diagnosis;
      if (!diagnosis) continue;
      if (diagnosis.verdict === "blocked") blocked++;
      else if (diagnosis.findings.some((f) => f.severity !== "info")) warnings++;
    }
    return { blocked, warnings };
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
    const exchange = toExchange(record, (id) => this.capture.record(id), this.browser);
    this.exchanges.set(record.requestId, { revision, exchange });
    return exchange;
  }

  private diagnosisOf(record: RequestRecord, exchange: Exchange): CorsDiagnosis {
    const revision = this.revisionOf(record);
    const cached = this.diagnoses.get(record.requestId);
    if (cached && cached.revision === revision) return cached.diagnosis;
    const diagnosis = this.withPairing(record, diagnoseExchange(exchange, LIVE(this.browser)));
    this.diagnoses.set(record.requestId, { revision, diagnosis });
    return diagnosis;
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

  private forgetTab(tabId: number): void {
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
