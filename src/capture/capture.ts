// webRequest events → per-tab request records, with preflights folded into the actual request they precede.
// Pure and synchronous: the background feeds it events and drains what changed (for the panel, the badge
// and storage.session); tests feed it the recorded event sequences of Chromium and Firefox.
import { blocksAnyMode, firefoxOrbBlocked } from "../core/checks/not-cors";
import { getAll } from "../core/headers";
import { originOf } from "../core/origin";
import type { WebRequestDetails, WebRequestEvent } from "./events";
import { Deque } from "./deque";
import { headerValue, toHeaderLines } from "./headers";
import { jarGroups } from "./cookie-jar";
import { CookieSightings, type Seen } from "./cookie-sightings";
import { DroppedFailures } from "./dropped-failures";
import { currentHop, recordId, type Hop, type RequestRecord } from "./record";
import { initiatorOriginOf, isCorsByType, scopeOf } from "./scope";

export const DEFAULT_MAX_EXCHANGES_PER_TAB = 2000;
/** How far back a worker's request looks for the page's intercepted request it stands for (newest first). */
const FOLD_LOOKBACK = 50;

/** Requests of a site's service worker, listed in a tab under `sw<id>:<tab>` (src/background/service.ts). */
function isWorkerRecord(requestId: string): boolean {
  return requestId.startsWith("sw");
}

/** Requests removed while in flight (evicted, cleared): their later events must not bring them back. */
const MAX_FORGOTTEN = 4096;
/**
 * Ends kept for a start that may still come (`endedBeforeHeaders`): whole records, and the reordering they wait out
 * spans tens of milliseconds, so the most recent few hundred are plenty.
 */
const MAX_ENDED_BEFORE_HEADERS = 256;
/** How far back a preflight looks for its actual request: it starts right after it (browser-recipes §2). */
const PAIRING_WINDOW = 64;
/**
 * How Chromium fails a load whose CORS check failed (browser-recipes §2). A load without `crossorigin` is not
 * checked by CORS, so a request seen only at its failure is kept when it failed this way, and only then.
 */
const CORS_FAILURE_ERROR = "net::ERR_FAILED";

/**
 * storage.session holds 10 MB and Chromium counts its serialised size, ~3× the JSON for objects of many small
 * strings: records are therefore stored as JSON text (size ≈ length), and the oldest stop being persisted once
 * this many characters are stored (they stay in memory; only a worker restart would lose them).
 */
export const DEFAULT_STORAGE_BUDGET = 8_000_000;

export interface CaptureOptions {
  maxExchangesPerTab?: number;
  storageBudget?: number;
}

interface TabLog {
  /** Actual requests, oldest first. */
  order: Deque<string>;
  /** Preflights shown on their own because no request was waiting for them (see `adoptOrphanPreflight`). */
  orphanPreflights: string[];
  evicted: number;
  preserveLog: boolean;
}

export interface TabChanges {
  /** requestIds of actual requests whose exchange changed (new, updated, or their preflight changed). */
  upserted: Set<string>;
  /** Record ids ("r123") of exchanges that left the log (evicted). */
  removed: string[];
  /** The log was emptied (user clear, navigation) before the upserts. */
  cleared: boolean;
}

export interface CaptureChanges {
  tabs: Map<number, TabChanges>;
  /** storage.session writes: keys to set and keys to remove. */
  store: { set: Record<string, unknown>; remove: string[] };
}

/** What is written to storage.session, one key per record so a change rewrites only that record. */
export const STORE_PREFIX = { record: "rec:", tab: "tab:", meta: "meta" } as const;

interface StoredTab {
  evicted: number;
  preserveLog: boolean;
  /** Set-Cookie lines from outside the log (cookie-sightings.ts): names and attributes only. */
  cookies?: Seen[];
}

interface StoredMeta {
  seq: number;
  forgotten: string[];
}

/**
 * A record made from a failure alone (`failedUnseen`): an actual request of a type that is CORS only with
 * `crossorigin`, whose request headers were never seen (a candidate becomes actual only once its Origin is seen).
 */
export function seenOnlyFailing(record: RequestRecord): boolean {
  return record.role === "actual" && !isCorsByType(record.type) && record.hops[0]?.requestHeaders === undefined;
}

/** Firefox's ORB fails a no-cors load with a bare NS_ERROR_FAILURE: the response it got tells (checks/not-cors.ts). */
function silentOrb(record: RequestRecord, error: string): boolean {
  const hop = record.hops[record.hops.length - 1]!;
  return firefoxOrbBlocked(record.type, error, hop.statusCode, headerValue(hop.responseHeaders, "content-type"));
}

export class Capture {
  readonly maxExchangesPerTab: number;
  private readonly storageBudget: number;
  /** Characters stored per record key, to keep storage.session within its quota. */
  private storedSize = new Map<string, number>();
  private storedTotal = 0;
  private records = new Map<string, RequestRecord>();
  private tabs = new Map<number, TabLog>();
  private forgotten = new Set<string>();
  /** Recent requests whose headers showed a no-cors load (no Origin): never kept from their failure alone. */
  private noCors = new Set<string>();
  /**
   * Candidates (an image, a script: CORS only with Origin) that ended before any request header was seen, kept a while
   * by requestId. A worker woken by a page's loads can be handed a request's end before its start (measured in
   * Chromium: a module script's HeadersReceived and ErrorOccurred 15 ms before its BeforeRequest and SendHeaders,
   * test/capture/chromium-arming.test.ts): the late start finds the end again instead of beginning a request that
   * never ends.
   */
  private endedBeforeHeaders = new Map<string, RequestRecord>();
  /** Set-Cookie lines from outside each tab's log (its navigations, what a clear dropped), kept across navigations. */
  readonly cookieSightings = new CookieSightings();
  /** Cross-origin loads that failed before their headers and were not kept (their mode unknown). */
  readonly droppedFailures = new DroppedFailures();
  /** Start order for requestIds that are not numbers (both browsers number them in start order). */
  private seq = 0;
  /** The highest start order of any record so far (see `nextSeq`). */
  private highestSeq = 0;

  private changedTabs = new Map<number, TabChanges>();
  private dirtyRecords = new Set<string>();
  private deletedRecords = new Set<string>();
  private dirtyTabMeta = new Set<number>();
  private deletedTabMeta = new Set<number>();
  private metaDirty = false;

  constructor(options: CaptureOptions = {}) {
    this.maxExchangesPerTab = options.maxExchangesPerTab ?? DEFAULT_MAX_EXCHANGES_PER_TAB;
    this.storageBudget = options.storageBudget ?? DEFAULT_STORAGE_BUDGET;
  }

  // ---- events ----

  handle({ event, details: d, errorOnly }: WebRequestEvent): void {
    if (errorOnly) {
      this.failedUnseen(d);
      return;
    }
    if (
      event === "HeadersReceived" &&
      d.type === "main_frame" &&
      this.cookieSightings.noteNavigation(d, Math.max(this.seq, this.highestSeq))
    ) {
      this.tabLog(d.tabId);
      this.dirtyTabMeta.add(d.tabId);
    }
    if (event === "ResponseStarted" && d.type === "main_frame" && d.tabId >= 0) {
      // The new document is about to commit (first response byte): DevTools clears its log here too.
      this.navigated(d.tabId, d.timeStamp);
      return;
    }
    let record = this.records.get(d.requestId);
    if (!record) {
      if (this.forgotten.has(d.requestId)) return;
      record = this.lateStart(event, d) ?? this.begin(event, d);
      if (!record) return;
    } else if (event === "BeforeRequest") {
      const hop = currentHop(record);
      // The same requestId at a new URL is the next hop of a redirect. The same URL again is the event
      // delivered a second time to a restarted worker whose state was restored: nothing to add.
      if (hop.redirectUrl === undefined && hop.url === d.url) return;
      record.hops.push(this.newHop(d));
      if (record.role === "actual") this.adoptOrphanPreflight(record, record.hops.length - 1);
    }
    this.apply(record, event, d);
    // Once a worker's request has ended, the page's request it answered has surely been reported (it came first).
    if (record.state !== "in-flight" && record.role === "actual" && isWorkerRecord(record.requestId))
      this.foldInterceptedPageRequest(record);
  }

  /** The candidate that ended before its start arrived (`endedBeforeHeaders`), back in the records for the start's events. */
  private lateStart(event: WebRequestEvent["event"], d: WebRequestDetails): RequestRecord | undefined {
    if (event !== "BeforeRequest" && event !== "BeforeSendHeaders" && event !== "SendHeaders") return undefined;
    const record = this.endedBeforeHeaders.get(d.requestId);
    if (!record || currentHop(record).url !== d.url) return undefined;
    this.endedBeforeHeaders.delete(d.requestId);
    this.records.set(d.requestId, record);
    return record;
  }

  /** Creates the record on the first event seen for a requestId (normally BeforeRequest; any event after a lost one). */
  private begin(event: WebRequestEvent["event"], d: WebRequestDetails): RequestRecord | undefined {
    const scope = scopeOf(d);
    if (scope === "same-origin") {
      // A same-origin fetch redirected to another origin is a CORS request from the next hop on.
      if (event !== "BeforeRedirect" || !isCorsByType(d.type) || !d.redirectUrl) return undefined;
      const target = originOf(d.redirectUrl);
      const initiator = initiatorOriginOf(d);
      if (target === null || target === initiator) return undefined;
    } else if (scope === "ignore") {
      return undefined;
    }
    const role = d.method === "OPTIONS" ? "pending-options" : isCorsByType(d.type) ? "actual" : "candidate";
    const record = this.newRecord(d, role);
    if (role === "actual") {
      this.addToLog(record);
      this.adoptOrphanPreflight(record, 0);
    }
    return record;
  }

  /**
   * A request of a type the tab's capture listeners leave out (Chromium: images, scripts, stylesheets, media), seen
   * only at its failure: kept when it can be a CORS failure (a cross-origin load failed with Chromium's CORS error),
   * as an actual request with no headers (`seenOnlyFailing`; live-log.ts says what that leaves unknown).
   */
  private failedUnseen(d: WebRequestDetails): void {
    if (this.records.has(d.requestId) || this.forgotten.has(d.requestId) || this.noCors.has(d.requestId)) return;
    // A policy of every mode (CORP/COEP, ORB, Local Network Access) stops a no-cors load too: listed as well.
    if (d.error === undefined || scopeOf(d) !== "cross-origin") return;
    if (d.error !== CORS_FAILURE_ERROR && !blocksAnyMode(d.error)) {
      this.droppedFailures.note(d);
      return;
    }
    const record = this.newRecord(d, "actual");
    this.addToLog(record);
    this.apply(record, "ErrorOccurred", d);
  }

  /** A new in-flight record from the first event seen of its request, kept by requestId. */
  private newRecord(d: WebRequestDetails, role: RequestRecord["role"]): RequestRecord {
    const record: RequestRecord = {
      requestId: d.requestId,
      tabId: d.tabId,
      frameId: d.frameId,
      ...(d.documentId !== undefined ? { documentId: d.documentId } : {}),
      type: d.type,
      initiatorOrigin: initiatorOriginOf(d),
      role,
      seq: this.startOrder(d.requestId),
      hops: [this.newHop(d)],
      state: "in-flight",
    };
    this.metaDirty = true;
    this.records.set(record.requestId, record);
    return record;
  }

  /**
   * Chromium and Firefox number requests from one counter in start order (browser-recipes §2, §5: PUT 7 then its
   * OPTIONS 8). Unlike a counter of ours, that order holds across worker restarts, even when a stopping worker
   * and its successor both saw events of the same scenario.
   */
  private startOrder(requestId: string): number {
    if (/^\d{1,15}$/.test(requestId)) return this.noteSeq(Number(requestId));
    // A site's service-worker request listed in a tab (`sw<id>:<tab>`): its id comes from the same counter.
    const worker = /^sw(\d{1,15}):\d+$/.exec(requestId);
    if (worker) return this.noteSeq(Number(worker[1]));
    this.metaDirty = true;
    return this.noteSeq(++this.seq);
  }

  private noteSeq(seq: number): number {
    if (seq > this.highestSeq) this.highestSeq = seq;
    return seq;
  }

  private newHop(d: WebRequestDetails): Hop {
    return { url: d.url, method: d.method, tick: d.timeStamp, timings: { start: d.timeStamp } };
  }

  private apply(record: RequestRecord, event: WebRequestEvent["event"], d: WebRequestDetails): void {
    const hop = currentHop(record);
    switch (event) {
      case "BeforeRequest":
        break;
      case "BeforeSendHeaders":
      case "SendHeaders": {
        // SendHeaders has the headers as finally sent (after other extensions); BeforeSendHeaders is kept
        // when SendHeaders never comes (Chromium fakes or skips it for requests blocked before sending).
        const headers = toHeaderLines(d.requestHeaders);
        if (headers) hop.requestHeaders = headers;
        hop.timings.sendHeaders ??= d.timeStamp;
        if (headers) this.classify(record, headers);
        break;
      }
      case "HeadersReceived":
        this.takeResponse(hop, d);
        hop.timings.headersReceived = d.timeStamp;
        break;
      case "BeforeRedirect":
        this.takeResponse(hop, d);
        if (d.redirectUrl) hop.redirectUrl = d.redirectUrl;
        hop.timings.end = d.timeStamp;
        break;
      case "ResponseStarted":
        this.takeResponse(hop, d);
        hop.timings.responseStarted = d.timeStamp;
        break;
      case "Completed":
        this.takeResponse(hop, d);
        hop.timings.end = d.timeStamp;
        record.state = "completed";
        break;
      case "ErrorOccurred":
        hop.timings.end = d.timeStamp;
        record.state = "failed";
        record.error = d.error ?? "unknown error";
        break;
    }
    if (d.ip !== undefined) hop.ip = d.ip;
    if (d.fromCache !== undefined) hop.fromCache = d.fromCache;
    if (record.state !== "in-flight") this.settle(record);
    record.rev = (record.rev ?? 0) + 1;
    this.touch(record);
  }

  private takeResponse(hop: Hop, d: WebRequestDetails): void {
    if (d.statusCode !== undefined && d.statusCode > 0) hop.statusCode = d.statusCode;
    if (d.statusLine !== undefined) hop.statusLine = d.statusLine;
    const headers = toHeaderLines(d.responseHeaders);
    if (headers) hop.responseHeaders = headers;
  }

  /** Request headers decide what an OPTIONS or a font/script/image request is. */
  private classify(record: RequestRecord, headers: NonNullable<Hop["requestHeaders"]>): void {
    if (record.role === "pending-options") {
      // Fetch, CORS-preflight fetch step 2-4: a preflight is an OPTIONS with Access-Control-Request-Method.
      const requestMethod = headerValue(headers, "access-control-request-method");
      if (requestMethod !== undefined) this.pairPreflight(record, requestMethod);
      else this.promote(record);
    } else if (record.role === "candidate") {
      // Fetch sends Origin on every CORS-mode request: a no-cors image or script has none and is not CORS.
      if (headerValue(headers, "origin") !== undefined) this.promote(record);
    } else if (
      record.role === "actual" &&
      record.preflightFor === undefined &&
      record.hops.length === 1 &&
      record.hops[0]!.method === "OPTIONS"
    ) {
      this.lateOptionsHeaders(record, headers);
    }
  }

  /**
   * An OPTIONS that ended before its request headers arrived was listed on its own (`settle`): a restarting worker
   * can handle a request's SendHeaders after its end. When the late headers say it was a preflight, it becomes an
   * orphan preflight like any other: folded into its request now if that is already known, or when it comes.
   */
  private lateOptionsHeaders(record: RequestRecord, headers: NonNullable<Hop["requestHeaders"]>): void {
    if (headerValue(headers, "access-control-request-method") === undefined) return;
    const log = this.tabLog(record.tabId);
    if (log.orphanPreflights.includes(record.requestId)) return;
    this.noteOrphanPreflight(record);
    // Collected first: adopting takes an orphan out of the order being walked.
    for (const id of [...log.order.newest(PAIRING_WINDOW)]) {
      const actual = this.records.get(id);
      if (!actual || actual === record || actual.role !== "actual") continue;
      for (let i = 0; i < actual.hops.length; i++) this.adoptOrphanPreflight(actual, i);
      if (record.role === "preflight") return;
    }
  }

  /** A request ended before its headers were seen: settle what it is with what is known. */
  private settle(record: RequestRecord): void {
    if (record.role === "pending-options") {
      // Without request headers (e.g. Chromium without extraHeaders, or failed before sending), an OPTIONS
      // that follows a waiting request to the same URL is taken as its preflight.
      this.pairPreflight(record, undefined);
    } else if (record.role === "candidate") {
      // A no-cors load (an <img>, a plain <script>) stopped by a policy of every mode (CORP/COEP, ORB, Local Network
      // Access) is listed: that failure is what the user came for. Any other no-cors load is not CORS: dropped.
      if (record.state === "failed" && record.error !== undefined && (blocksAnyMode(record.error) || silentOrb(record, record.error))) {
        this.promote(record);
        return;
      }
      this.records.delete(record.requestId);
      // Its headers said no-cors: the same failure seen again by the error listener (a widened tab) is not CORS.
      if (record.hops.some((hop) => hop.requestHeaders !== undefined)) {
        this.noteNoCors(record.requestId);
        return;
      }
      // Ended before its headers: they may still come (a woken worker's order).
      this.endedBeforeHeaders.set(record.requestId, record);
      if (this.endedBeforeHeaders.size > MAX_ENDED_BEFORE_HEADERS)
        this.endedBeforeHeaders.delete(this.endedBeforeHeaders.keys().next().value!);
      // Failed before its headers: nothing says which mode it was in, the page may.
      if (record.state === "failed" && record.error !== undefined) {
        const hop = record.hops[record.hops.length - 1]!;
        this.droppedFailures.note({
          tabId: record.tabId,
          url: hop.url,
          error: record.error,
          timeStamp: hop.timings.end ?? hop.timings.start,
        });
      }
    }
  }

  private noteNoCors(requestId: string): void {
    this.noCors.add(requestId);
    if (this.noCors.size > MAX_FORGOTTEN) this.noCors.delete(this.noCors.values().next().value!);
  }

  private promote(record: RequestRecord): void {
    record.role = "actual";
    this.addToLog(record);
  }

  private pairPreflight(preflight: RequestRecord, requestMethod: string | undefined): void {
    const log = this.tabs.get(preflight.tabId);
    const pfHop = preflight.hops[0]!;
    let best: { record: RequestRecord; index: number; tick: number } | undefined;
    // The browser's clock orders hops and preflights whichever worker instance saw them; within the same
    // millisecond, the preflight's requestId comes right after its request's (a redirect hop keeps the
    // request's older id, so only the clock can order it).
    // A request's first hop is also ordered by its requestId, which holds when the request's BeforeRequest was
    // lost (a restarting worker can miss it): its record then starts at a later event, after the preflight.
    const startedBefore = (actual: RequestRecord, index: number, hop: Hop) =>
      (index === 0 && actual.seq < preflight.seq) || hop.tick < pfHop.tick || (hop.tick === pfHop.tick && index > 0);
    // The hop had no response yet when the preflight started. The browser's clock says so whatever order the
    // events arrived in (a restarting worker can see a request's response before its preflight's headers).
    const unanswered = (hop: Hop) => {
      const answeredAt = hop.timings.headersReceived ?? hop.timings.responseStarted ?? hop.timings.end;
      return hop.statusCode === undefined || (answeredAt !== undefined && answeredAt >= pfHop.tick);
    };
    const later = (actual: RequestRecord, hop: Hop) =>
      !best || hop.tick > best.tick || (hop.tick === best.tick && actual.seq > best.record.seq);
    if (log) {
      for (const id of log.order.newest(PAIRING_WINDOW)) {
        const actual = this.records.get(id);
        if (!actual || actual.frameId !== preflight.frameId) continue;
        if (actual.documentId && preflight.documentId && actual.documentId !== preflight.documentId) continue;
        // The hop the preflight precedes started before it and has no response yet.
        for (let i = actual.hops.length - 1; i >= 0; i--) {
          const hop = actual.hops[i]!;
          if (!startedBefore(actual, i, hop)) continue;
          if (
            hop.url === pfHop.url &&
            (requestMethod === undefined || hop.method === requestMethod) &&
            actual.preflights?.[i] === undefined &&
            unanswered(hop) &&
            later(actual, hop)
          ) {
            best = { record: actual, index: i, tick: hop.tick };
          }
          break;
        }
      }
    }
    if (best) {
      preflight.role = "preflight";
      preflight.preflightFor = { requestId: best.record.requestId, hop: best.index };
      (best.record.preflights ??= {})[best.index] = preflight.requestId;
      this.touch(best.record);
      return;
    }
    if (requestMethod === undefined && preflight.state === "in-flight") return;
    // A preflight whose request is unknown (or an OPTIONS of the page itself): shown on its own, never lost.
    this.promote(preflight);
    if (requestMethod !== undefined) this.noteOrphanPreflight(preflight);
  }

  /** A preflight listed on its own, kept (the last 32 per tab) for its request to adopt (`adoptOrphanPreflight`). */
  private noteOrphanPreflight(preflight: RequestRecord): void {
    const orphans = this.tabLog(preflight.tabId).orphanPreflights;
    orphans.push(preflight.requestId);
    if (orphans.length > 32) orphans.shift();
  }

  /**
   * The preflight of a request may be seen before the request itself: when the request's BeforeRequest was lost,
   * or delivered late, as happens while a stopped service worker starts again (events of different listeners are
   * not guaranteed to arrive in order then). It was shown on its own; fold it back into its request so the request
   * is listed once, with its preflight. Only a preflight that started after the hop can be its preflight.
   */
  private adoptOrphanPreflight(actual: RequestRecord, index: number): void {
    const log = this.tabLog(actual.tabId);
    if (!log.orphanPreflights.length || actual.preflights?.[index] !== undefined) return;
    const hop = actual.hops[index]!;
    const previous = index > 0 ? actual.hops[index - 1]! : undefined;
    const at = log.orphanPreflights.findIndex((id) => {
      const orphan = this.records.get(id);
      const oHop = orphan?.hops[0];
      return (
        orphan !== undefined &&
        oHop !== undefined &&
        orphan.seq > actual.seq &&
        (previous === undefined || oHop.tick >= previous.tick) &&
        orphan.frameId === actual.frameId &&
        oHop.url === hop.url &&
        headerValue(oHop.requestHeaders, "access-control-request-method") === hop.method
      );
    });
    if (at < 0) return;
    const [id] = log.orphanPreflights.splice(at, 1);
    const orphan = this.records.get(id!)!;
    log.order.remove(orphan.requestId);
    const changes = this.changesOf(actual.tabId);
    changes.upserted.delete(orphan.requestId);
    changes.removed.push(recordId(orphan.requestId));
    orphan.role = "preflight";
    orphan.preflightFor = { requestId: actual.requestId, hop: index };
    (actual.preflights ??= {})[index] = orphan.requestId;
    this.touch(orphan);
  }

  private addToLog(record: RequestRecord): void {
    const log = this.tabLog(record.tabId);
    log.order.insertSorted(record.requestId, (a, b) => (this.records.get(a)?.seq ?? 0) < (this.records.get(b)?.seq ?? 0));
    this.changesOf(record.tabId).upserted.add(record.requestId);
    while (log.order.length > this.maxExchangesPerTab) {
      const oldest = log.order.shift()!;
      log.evicted++;
      this.dirtyTabMeta.add(record.tabId);
      this.leftLog(record.tabId, oldest);
    }
  }

  /** An exchange taken out of the tab's order (evicted, or folded into another): forgotten, and the panels told. */
  private leftLog(tabId: number, requestId: string): void {
    this.forget(requestId);
    const changes = this.changesOf(tabId);
    changes.upserted.delete(requestId);
    changes.removed.push(recordId(requestId));
  }

  /**
   * Firefox reports a page's request that the page's service worker intercepts as a request of the tab with no
   * request headers, no response and no end (measured: the worker answers it; webRequest never sends it), and the
   * worker's own request for the same URL apart (no tab: listed in the tab as `sw…`). Chromium reports only the
   * worker's. So when a worker's request arrives, the page's headerless, unanswered request for the same URL and
   * method before it is the same fetch, seen from the page: once the worker's request has ended, the page's leaves the
   * log, and the worker's row (which the page's report of the outcome matches too, by URL) stands for both. A request
   * that sent its headers went to the network itself: never folded.
   */
  private foldInterceptedPageRequest(worker: RequestRecord): void {
    const log = this.tabs.get(worker.tabId);
    if (!log) return;
    const hop = worker.hops[0]!;
    for (const id of log.order.newest(FOLD_LOOKBACK)) {
      const page = this.records.get(id);
      if (!page || isWorkerRecord(id) || page.role !== "actual" || page.state !== "in-flight") continue;
      const first = page.hops[0]!;
      // Started before the worker's (a worker's record has no start order comparable to the tab's: its time is).
      if (first.tick > hop.tick) continue;
      if (first.url !== hop.url || first.method !== hop.method || page.hops.length !== 1) continue;
      if (first.requestHeaders?.length || first.statusCode !== undefined) continue;
      log.order.remove(id);
      this.leftLog(worker.tabId, id);
      return;
    }
  }

  /** Drops an actual request and its preflights; those still in flight are remembered so their late events are ignored. */
  private forget(requestId: string): void {
    const record = this.records.get(requestId);
    if (!record) return;
    const ids = [requestId, ...Object.values(record.preflights ?? {})];
    for (const id of ids) {
      const r = this.records.get(id);
      if (r && r.state === "in-flight") this.remember(id);
      this.records.delete(id);
      this.dirtyRecords.delete(id);
      this.deletedRecords.add(id);
    }
  }

  private remember(requestId: string): void {
    this.forgotten.add(requestId);
    if (this.forgotten.size > MAX_FORGOTTEN) this.forgotten.delete(this.forgotten.values().next().value!);
    this.metaDirty = true;
  }

  private touch(record: RequestRecord): void {
    if (!this.records.has(record.requestId)) return;
    if (record.role === "candidate") return; // not kept across restarts: cheap, and not shown anyway
    this.dirtyRecords.add(record.requestId);
    this.deletedRecords.delete(record.requestId);
    if (record.role === "actual") this.changesOf(record.tabId).upserted.add(record.requestId);
    if (record.role === "preflight" && record.preflightFor) {
      const actual = this.records.get(record.preflightFor.requestId);
      if (actual) this.changesOf(actual.tabId).upserted.add(actual.requestId);
    }
  }

  /** Something outside webRequest (the page-side observer) completed this record: its exchange must be rebuilt. */
  markChanged(requestId: string): void {
    const record = this.records.get(requestId);
    if (record?.role === "actual") this.changesOf(record.tabId).upserted.add(requestId);
  }

  /** A start order for an exchange capture did not see (refused before the network), after everything seen so far. */
  nextSeq(): number {
    this.seq = Math.max(this.seq, this.highestSeq) + 1;
    this.highestSeq = this.seq;
    this.metaDirty = true;
    return this.seq;
  }

  // ---- user commands and tab lifecycle ----

  /**
   * Navigation of the tab's main frame, its response started at `at`: like DevTools, the log starts over unless
   * "Preserve log" is on. Requests that started at `at` or later are the new page's and stay: a worker woken by the
   * navigation is handed the events of the new page's first requests before the navigation's own (measured in
   * Chromium under load: a reload's main-frame events came 10 ms after its subresources', test/capture/capture.test.ts).
   */
  navigated(tabId: number, at = Infinity): void {
    const log = this.tabs.get(tabId);
    const keep = (record: RequestRecord) => (record.hops[0]?.timings.start ?? -Infinity) >= at;
    if (log && !log.preserveLog) this.clear(tabId, keep);
    else if (!log) this.forgetEndedBeforeHeaders(tabId, keep);
  }

  /** A cleared page's requests whose start is still to come (`endedBeforeHeaders`) are forgotten, like those cleared in flight. */
  private forgetEndedBeforeHeaders(tabId: number, keep: (record: RequestRecord) => boolean): void {
    for (const [id, record] of this.endedBeforeHeaders) {
      if (record.tabId !== tabId || keep(record)) continue;
      this.endedBeforeHeaders.delete(id);
      this.remember(id);
    }
  }

  /** Empties the tab's log, but for the records `keep` says are not of it (the next page's, see `navigated`). */
  clear(tabId: number, keep: (record: RequestRecord) => boolean = () => false): void {
    const log = this.tabs.get(tabId);
    const listed = new Set(log?.order.toArray());
    const kept: RequestRecord[] = [];
    this.forgetEndedBeforeHeaders(tabId, keep);
    for (const record of [...this.records.values()]) {
      if (record.tabId !== tabId) continue;
      if (keep(record)) {
        kept.push(record);
        continue;
      }
      if (this.cookieSightings.noteDropped(record)) this.dirtyTabMeta.add(tabId);
      if (record.state === "in-flight") this.remember(record.requestId);
      this.records.delete(record.requestId);
      this.dirtyRecords.delete(record.requestId);
      if (record.role !== "candidate") this.deletedRecords.add(record.requestId);
    }
    if (log) {
      log.order.clear();
      log.evicted = 0;
      this.dirtyTabMeta.add(tabId);
    }
    const changes = this.changesOf(tabId);
    changes.cleared = true;
    changes.upserted.clear();
    changes.removed = [];
    for (const record of kept) if (listed.has(record.requestId)) this.addToLog(record);
  }

  /**
   * What the browser's cookie store held for an exchange's URL when its 401/403 arrived (the background read it:
   * src/background/cookie-jar.ts), kept with the tab's cookie sightings just before that exchange. Returns the tab
   * when something new was kept (its lints must run again), null otherwise (the record is gone, or nothing new).
   */
  noteCookieJar(requestId: string, answer: unknown): number | null {
    const record = this.records.get(requestId);
    if (record?.role !== "actual") return null;
    // A request that carried a token: the server is not waiting for a cookie, and naming one would mislead.
    if (record.hops.some((hop) => headerValue(hop.requestHeaders, "authorization") !== undefined)) return null;
    // Cookies the exchange's own responses set: it cannot have gone without them.
    const own = new Set<string>();
    for (const hop of record.hops)
      for (const block of getAll(hop.responseHeaders, "set-cookie"))
        for (const line of block.split("\n")) own.add(line.slice(0, Math.max(0, line.indexOf("="))).trim());
    const url = currentHop(record).url;
    if (!this.cookieSightings.noteJar(record.tabId, record.seq, url, jarGroups(answer, own))) return null;
    this.dirtyTabMeta.add(record.tabId);
    return record.tabId;
  }

  setPreserveLog(tabId: number, value: boolean): void {
    this.tabLog(tabId).preserveLog = value;
    this.dirtyTabMeta.add(tabId);
  }

  /** The tab was closed: nothing of it is kept. */
  removeTab(tabId: number): void {
    this.clear(tabId);
    this.cookieSightings.removeTab(tabId);
    this.droppedFailures.removeTab(tabId);
    this.tabs.delete(tabId);
    this.changedTabs.delete(tabId);
    this.dirtyTabMeta.delete(tabId);
    this.deletedTabMeta.add(tabId);
  }

  // ---- queries ----

  record(requestId: string): RequestRecord | undefined {
    return this.records.get(requestId);
  }

  /** The tab's actual requests, oldest first. */
  exchangesOf(tabId: number): RequestRecord[] {
    const log = this.tabs.get(tabId);
    if (!log) return [];
    const out: RequestRecord[] = [];
    for (const id of log.order.toArray()) {
      const r = this.records.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  tabState(tabId: number): { evicted: number; preserveLog: boolean } {
    const log = this.tabs.get(tabId);
    return { evicted: log?.evicted ?? 0, preserveLog: log?.preserveLog ?? false };
  }

  tabIds(): number[] {
    return [...this.tabs.keys()];
  }

  // ---- change tracking and persistence ----

  /**
   * Everything that changed since the last drain: for the views (per tab) and, with `persist` (the default), for
   * storage.session. Without it the storage side keeps accumulating for a later drain (a record changed several
   * times in between is serialized once).
   */
  drain(persist = true): CaptureChanges {
    const tabs = this.changedTabs;
    this.changedTabs = new Map();
    if (!persist) return { tabs, store: { set: {}, remove: [] } };
    const set: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const id of this.deletedRecords) {
      remove.push(STORE_PREFIX.record + id);
      this.setStoredSize(id, 0);
    }
    for (const id of this.dirtyRecords) {
      const r = this.records.get(id);
      if (!r) continue;
      const text = JSON.stringify(r);
      set[STORE_PREFIX.record + id] = text;
      this.setStoredSize(id, text.length + id.length + STORE_PREFIX.record.length);
    }
    if (this.storedTotal > this.storageBudget) {
      for (const id of this.trimStored()) {
        delete set[STORE_PREFIX.record + id];
        remove.push(STORE_PREFIX.record + id);
      }
    }
    for (const tabId of this.dirtyTabMeta) {
      const log = this.tabs.get(tabId);
      const cookies = this.cookieSightings.stored(tabId);
      if (log)
        set[STORE_PREFIX.tab + tabId] = {
          evicted: log.evicted,
          preserveLog: log.preserveLog,
          ...(cookies ? { cookies } : {}),
        } satisfies StoredTab;
    }
    for (const tabId of this.deletedTabMeta) remove.push(STORE_PREFIX.tab + tabId);
    if (this.metaDirty || Object.keys(set).length || remove.length) {
      set[STORE_PREFIX.meta] = { seq: this.seq, forgotten: [...this.forgotten] } satisfies StoredMeta;
    }
    this.dirtyRecords = new Set();
    this.deletedRecords = new Set();
    this.dirtyTabMeta = new Set();
    this.deletedTabMeta = new Set();
    this.metaDirty = false;
    return { tabs, store: { set, remove } };
  }

  /** Whether storage.session is behind what capture holds (a drain without `persist` left it so). */
  hasUnpersisted(): boolean {
    return (
      this.dirtyRecords.size > 0 ||
      this.deletedRecords.size > 0 ||
      this.dirtyTabMeta.size > 0 ||
      this.deletedTabMeta.size > 0 ||
      this.metaDirty
    );
  }

  private setStoredSize(requestId: string, size: number): void {
    this.storedTotal += size - (this.storedSize.get(requestId) ?? 0);
    if (size) this.storedSize.set(requestId, size);
    else this.storedSize.delete(requestId);
  }

  /** Stops persisting the oldest exchanges (with their preflights) until storage is back under 90 % of the budget. */
  private trimStored(): string[] {
    const actuals = [...this.storedSize.keys()]
      .map((id) => this.records.get(id))
      .filter((r): r is RequestRecord => r !== undefined && r.role === "actual")
      .sort((a, b) => a.seq - b.seq);
    const dropped: string[] = [];
    for (const actual of actuals) {
      if (this.storedTotal <= this.storageBudget * 0.9) break;
      for (const id of [actual.requestId, ...Object.values(actual.preflights ?? {})]) {
        if (!this.storedSize.has(id)) continue;
        this.setStoredSize(id, 0);
        dropped.push(id);
      }
    }
    return dropped;
  }

  /**
   * Rebuilds the state written by `drain` (storage.session after the worker was stopped). Idempotent: records
   * are keyed by requestId, so restoring twice or receiving an event already applied adds nothing.
   */
  restore(items: Record<string, unknown>): void {
    const meta = items[STORE_PREFIX.meta] as StoredMeta | undefined;
    if (meta) {
      this.seq = Math.max(this.seq, meta.seq);
      for (const id of meta.forgotten ?? []) this.forgotten.add(id);
    }
    for (const [key, value] of Object.entries(items)) {
      if (key.startsWith(STORE_PREFIX.tab)) {
        const tabId = Number(key.slice(STORE_PREFIX.tab.length));
        const stored = value as StoredTab;
        const log = this.tabLog(tabId);
        log.evicted = Math.max(log.evicted, stored.evicted);
        log.preserveLog = stored.preserveLog;
        if (!this.cookieSightings.stored(tabId)) this.cookieSightings.restore(tabId, stored.cookies);
      }
    }
    const restored = Object.entries(items)
      .filter(([key]) => key.startsWith(STORE_PREFIX.record))
      .map(([key, value]) => {
        const text = typeof value === "string" ? value : JSON.stringify(value);
        this.setStoredSize(key.slice(STORE_PREFIX.record.length), text.length + key.length);
        return JSON.parse(text) as RequestRecord;
      })
      .filter((r) => !this.records.has(r.requestId))
      .sort((a, b) => a.seq - b.seq);
    for (const r of restored) {
      this.records.set(r.requestId, r);
      this.noteSeq(r.seq);
      if (r.role === "actual") {
        this.addToLog(r);
        const hop = r.hops[0]!;
        if (hop.method === "OPTIONS" && headerValue(hop.requestHeaders, "access-control-request-method") !== undefined) {
          this.tabLog(r.tabId).orphanPreflights.push(r.requestId);
        }
      }
    }
  }

  // ---- helpers ----

  private tabLog(tabId: number): TabLog {
    let log = this.tabs.get(tabId);
    if (!log) {
      log = { order: new Deque(), orphanPreflights: [], evicted: 0, preserveLog: false };
      this.tabs.set(tabId, log);
    }
    return log;
  }

  private changesOf(tabId: number): TabChanges {
    let changes = this.changedTabs.get(tabId);
    if (!changes) {
      changes = { upserted: new Set(), removed: [], cleared: false };
      this.changedTabs.set(tabId, changes);
    }
    return changes;
  }
}
