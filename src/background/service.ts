// The background's state machine around the live log: queues events until the state of a previous worker is
// restored, batches diagnosis and storage writes, debounces the cross-request lints, and serves panels, the
// popup and the automation hook. Browser APIs come in through `BackgroundApis` so index.ts stays the only
// file that touches `browser.*`.
import { buildHarReport } from "../core/har/write";
import type { BrowserName } from "../core/model";
import type { BackgroundToPanel, PanelToBackground, RuntimeRequest, TabSnapshot } from "../shared/protocol";
import type { ArmReason } from "../capture/arming";
import { badgeFor, type Badge } from "../capture/badge";
import type { WebRequestDetails, WebRequestEvent } from "../capture/events";
import { wantsCookieJar } from "../capture/cookie-jar";
import { isNavigation, scopeOf } from "../capture/scope";
import { originOf } from "../core/origin";
import { parsePageReport, type PageReport } from "../capture/page-reports";
import { LiveLog, type TabCounts } from "../capture/live-log";
import { StorageWriter, type SessionArea } from "./storage-writer";

/** Events are applied in batches this often while a panel is open: a page firing hundreds of requests costs a few diagnoses per second. */
const FLUSH_DELAY_MS = 50;
/**
 * …and this often while no panel is open (the timer serves every tab), when only the badge shows them: fewer passes over the tab's log, and fewer
 * requests diagnosed while still in flight (issue 16, the Firefox armed bench). storage.session is written at this
 * pace anyway (PERSIST_EVERY_MS).
 */
const FLUSH_DELAY_UNSEEN_MS = 250;
/**
 * The views hear of changes every 50 ms; storage.session at most every 250 ms while traffic flows (each write is a
 * round trip to the browser, and a record written once instead of at each event of its request): a worker killed
 * mid-capture loses at most that much more. Any other flush (a panel's request, a report, a closed tab) writes at once.
 */
const PERSIST_EVERY_MS = 250;
/** Cross-request lints run over the whole tab at most this often per tab while a panel is open. */
const LINT_DELAY_MS = 500;
/** …and this often while none is: then only the badge's warning count waits for them. */
const LINT_DELAY_UNSEEN_MS = 2_000;

export interface PanelPort {
  postMessage(message: BackgroundToPanel): void;
}

export interface BackgroundApis {
  browser: BrowserName;
  version: string;
  session: SessionArea & { get(keys: null): Promise<Record<string, unknown>> };
  /** `previous`: what the tab's badge shows now (only what differs is set); none after a navigation reset it. */
  setBadge(tabId: number, badge: Badge, previous?: Badge): void;
  hasHostPermission(): Promise<boolean>;
  maxExchangesPerTab?: number;
  /** Which tabs are armed (src/background/armed-tabs.ts); without it every tab counts as armed. */
  arming?: { isArmed(tabId: number): boolean; reason(tabId: number): ArmReason | null; readonly ready: Promise<void> };
  /** A panel subscribed to a tab: opening the panel on a tab arms it. */
  onPanelSubscribe?(tabId: number): void;
  /** The page-side observer of an armed tab says a service worker controls (or is registered by) its page. */
  onServiceWorker?(tabId: number, pageOrigin: string): void;
  /** The browser's cookie store for a URL, as the tab sees it (src/background/cookie-jar.ts): the cookies API's answer. */
  readCookies?(url: string, tabId: number): Promise<unknown>;
}

/** Cookie-store reads in flight at once: a page looping on a 401 does not queue thousands of them. */
const MAX_COOKIE_READS = 4;

/** Service-worker requests followed in full (`onWorkerEvent`), at most this many remembered at once. */
const MAX_FOLLOWED_WORKER_REQUESTS = 2_000;

export class CaptureService {
  readonly captureErrors: string[] = [];
  private readonly log: LiveLog;
  private readonly writer: StorageWriter;
  private queue: WebRequestEvent[] | null = [];
  private readonly ready: Promise<void>;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** When storage.session was last handed the capture's changes, and the timer of the next write when one is due. */
  private persistedAt = 0;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private lintTimer: ReturnType<typeof setTimeout> | null = null;
  /** A lint pass is linear in the tab's log: the busier the tab, the less often (≤ 10 % of the time). */
  private lastLintMs = 0;
  private readonly subscribers = new Map<PanelPort, number>();
  private hostPermission = true;
  private readonly lastBadge = new Map<number, { counts: TabCounts; badge: Badge }>();
  /** Cross-origin requests that failed in unarmed tabs since their page loaded: the light mode's badge. */
  private readonly unarmedFailures = new Map<number, number>();
  /** Service-worker requests whose events the worker listeners deliver: their failure is not listed twice. */
  private readonly followedWorkerRequests = new Set<string>();
  private cookieReads = 0;

  constructor(private readonly apis: BackgroundApis) {
    this.log = new LiveLog({ browser: apis.browser, ...(apis.maxExchangesPerTab ? { maxExchangesPerTab: apis.maxExchangesPerTab } : {}) });
    this.writer = new StorageWriter(apis.session, (message) => this.reportError(message));
    this.ready = this.restore();
  }

  /** Called synchronously from the webRequest listeners. */
  onEvent(event: WebRequestEvent): void {
    if (this.queue) {
      this.queue.push(event);
      return;
    }
    // Only armed tabs are captured. Their own listener sets deliver nothing else, but one set listens to every
    // tab with "all tabs" (a tab the user switched off is dropped here) and while a restarted worker restores
    // the armed set (events are queued until then, and sorted out here).
    const arming = this.apis.arming;
    if (arming && event.details.tabId >= 0 && !arming.isArmed(event.details.tabId)) return;
    try {
      this.log.handle(event);
    } catch (error) {
      this.reportError(`capture: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (wantsCookieJar(event)) this.readCookieJar(event.details);
    this.scheduleFlush();
  }

  /**
   * A cross-origin 401/403 of an armed tab: what the browser's cookie store holds for its URL is the evidence of a
   * cookie the request went without, when the tab never saw it set (log-in in another tab, or before arming).
   */
  private readCookieJar(details: WebRequestEvent["details"]): void {
    if (!this.apis.readCookies || this.cookieReads >= MAX_COOKIE_READS) return;
    this.cookieReads++;
    void this.apis
      .readCookies(details.url, details.tabId)
      .then((answer) => {
        if (this.log.noteCookieJar(details.requestId, answer)) this.scheduleFlush();
      })
      .catch((error: unknown) => this.reportError(`cookies: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => this.cookieReads--);
  }

  private async restore(): Promise<void> {
    // Queued events are sorted by arming: it must be restored first.
    await this.apis.arming?.ready;
    try {
      this.log.restore(await this.apis.session.get(null));
    } catch (error) {
      this.reportError(`restoring the capture from storage.session failed: ${String(error)}`);
    }
    const queued = this.queue ?? [];
    this.queue = null;
    for (const event of queued) this.onEvent(event);
    this.hostPermission = await this.apis.hasHostPermission().catch(() => true);
    this.flushNow();
  }

  reportError(message: string): void {
    if (this.captureErrors.length < 50 && !this.captureErrors.includes(message)) this.captureErrors.push(message);
  }

  // ---- batching ----

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flushNow(false), this.subscribers.size ? FLUSH_DELAY_MS : FLUSH_DELAY_UNSEEN_MS);
  }

  /** `now`: write storage.session at once; otherwise only when the last write is PERSIST_EVERY_MS old. */
  private flushNow(now = true): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const sinceWrite = Date.now() - this.persistedAt;
    const persist = now || sinceWrite >= PERSIST_EVERY_MS;
    const { messages, store, counts } = this.log.flush(persist);
    if (persist) {
      this.persistedAt = Date.now();
      if (this.persistTimer) clearTimeout(this.persistTimer);
      this.persistTimer = null;
      this.writer.enqueue(store.set, store.remove);
    } else if (this.log.capture.hasUnpersisted()) {
      this.persistTimer ??= setTimeout(() => {
        this.persistTimer = null;
        this.flushNow();
      }, PERSIST_EVERY_MS - sinceWrite);
    }
    for (const [tabId, list] of messages) for (const message of list) this.send(tabId, message);
    for (const [tabId, tabCounts] of counts) this.updateBadge(tabId, tabCounts);
    if (this.log.tabsToLint().length) {
      const delay = this.subscribers.size ? LINT_DELAY_MS : LINT_DELAY_UNSEEN_MS;
      this.lintTimer ??= setTimeout(() => this.lintNow(), Math.max(delay, 10 * this.lastLintMs));
    }
  }

  private lintNow(): void {
    if (this.lintTimer) clearTimeout(this.lintTimer);
    this.lintTimer = null;
    const started = Date.now();
    for (const tabId of this.log.tabsToLint()) {
      const message = this.log.lint(tabId);
      if (message) this.send(tabId, message);
      this.updateBadge(tabId, this.log.counts(tabId));
    }
    this.lastLintMs = Date.now() - started;
  }

  /** Brings everything up to date before answering a request: pending events, diagnoses, lints, storage. */
  private async settled(): Promise<void> {
    await this.ready;
    this.flushNow();
    this.lintNow();
    await this.writer.idle();
  }

  private updateBadge(tabId: number, counts: TabCounts, force = false): void {
    const last = this.lastBadge.get(tabId);
    if (!force && last && last.counts.blocked === counts.blocked && last.counts.warnings === counts.warnings) return;
    const badge = badgeFor(counts, this.armingOf(tabId));
    this.lastBadge.set(tabId, { counts, badge });
    this.apis.setBadge(tabId, badge, force ? undefined : last?.badge);
  }

  private armingOf(tabId: number): { armed: boolean; failures: number } {
    return { armed: this.apis.arming?.isArmed(tabId) ?? true, failures: this.unarmedFailures.get(tabId) ?? 0 };
  }

  /** Chrome resets a tab's badge when it navigates; with "Preserve log" the counts still stand. */
  refreshBadge(tabId: number): void {
    this.updateBadge(tabId, this.log.counts(tabId), true);
  }

  /** The tab was armed or disarmed: its badge says so at once. */
  async onArmingChanged(tabId: number): Promise<void> {
    await this.ready;
    if (this.apis.arming?.isArmed(tabId)) this.unarmedFailures.delete(tabId);
    this.refreshBadge(tabId);
    for (const [port, subscribed] of this.subscribers)
      if (subscribed === tabId) port.postMessage({ type: "snapshot", snapshot: this.snapshot(tabId) });
  }

  /**
   * The light mode (issue 16): in a tab that is not armed only failures reach the background, and only to be
   * counted, so the badge can suggest arming the tab. Cancelled requests and navigations are not CORS failures.
   */
  onLightError(details: WebRequestDetails): void {
    const tabId = details.tabId;
    if (tabId < 0 || (this.apis.arming?.isArmed(tabId) ?? true)) return;
    if (isNavigation(details.type) || details.error === "net::ERR_ABORTED" || details.error === "NS_BINDING_ABORTED") return;
    if (scopeOf(details) !== "cross-origin") return;
    this.unarmedFailures.set(tabId, (this.unarmedFailures.get(tabId) ?? 0) + 1);
    this.updateBadge(tabId, this.log.counts(tabId), true);
  }

  /**
   * What the page-side observer of an armed tab reported (src/content/relay.ts). The reports are the page's word:
   * parsed as untrusted input, and used only for tabs that are armed now. `browser`: they come from precise mode
   * (src/background/precise.ts), which alone may send Chromium's own reasons (kind "browser").
   */
  onPageReports(tabId: number, reports: unknown, { browser = false }: { browser?: boolean } = {}): void {
    if (tabId < 0 || !Array.isArray(reports) || (this.apis.arming && !this.apis.arming.isArmed(tabId))) return;
    const parsed = reports
      .slice(0, 200)
      .map((report) => parsePageReport(report, { browser }))
      .filter((r): r is PageReport => r !== null);
    const worker = parsed.find((r) => r.kind === "service-worker");
    const workerOrigin = worker ? originOf(worker.pageUrl) : null;
    if (workerOrigin && workerOrigin !== "null") this.apis.onServiceWorker?.(tabId, workerOrigin);
    const observations = parsed.filter((r) => r.kind !== "service-worker");
    if (!this.log.addPageReports(tabId, observations)) return;
    this.scheduleFlush();
    // A failure no webRequest event explains is judged once the grace period is over (LiveLog.takeRefused looks at
    // failures and beacons only: a batch of responses, what a busy page mostly sends, needs no second flush).
    if (observations.some((r) => r.outcome === "network-error" || r.kind === "beacon"))
      setTimeout(() => this.flushNow(), LiveLog.refusedGraceMs + FLUSH_DELAY_MS);
  }

  /**
   * A request of a site's service worker failed (webRequest gives it no tab: `tabId` −1). A per-tab webRequest
   * filter cannot select such requests (`tabId: -1` means "any tab" in Chromium's filter), so the full listeners never
   * see them; the light error listener does. The failure is listed in the armed tabs showing the worker's origin,
   * with what that event carries (URL, method, the error) and no headers.
   */
  onWorkerFailure(details: WebRequestDetails, tabs: number[]): void {
    if (details.tabId >= 0 || isNavigation(details.type)) return;
    // Followed in full by the worker listeners: their own ErrorOccurred lists it, with its headers.
    if (this.followedWorkerRequests.delete(details.requestId)) return;
    for (const tabId of tabs) {
      const requestId = `sw${details.requestId}:${tabId}`;
      const at = { ...details, requestId, tabId };
      this.onEvent({ event: "BeforeRequest", details: { ...at, timeStamp: details.timeStamp } });
      this.onEvent({ event: "ErrorOccurred", details: at });
    }
  }

  /**
   * An event of a site's service worker (`tabId` −1), delivered by the worker listeners that run while an armed
   * tab's page has a service worker (src/background/listeners.ts `followWorkers`): captured in full, preflight and
   * headers included, in the armed tabs showing the worker's origin, under the same request id `onWorkerFailure` uses.
   */
  onWorkerEvent(event: WebRequestEvent, tabs: number[]): void {
    const details = event.details;
    if (details.tabId >= 0 || isNavigation(details.type) || !tabs.length) return;
    if (event.event === "BeforeRequest") {
      if (this.followedWorkerRequests.size >= MAX_FOLLOWED_WORKER_REQUESTS) this.followedWorkerRequests.clear();
      this.followedWorkerRequests.add(details.requestId);
    } else if (event.event === "Completed") this.followedWorkerRequests.delete(details.requestId);
    for (const tabId of tabs) this.onEvent({ ...event, details: { ...details, requestId: `sw${details.requestId}:${tabId}`, tabId } });
  }

  /** A main-frame request of the tab started: the new page's failures are counted afresh. */
  onNavigation(tabId: number): void {
    if (this.unarmedFailures.delete(tabId)) this.updateBadge(tabId, this.log.counts(tabId), true);
  }

  // ---- panels ----

  private send(tabId: number, message: BackgroundToPanel): void {
    for (const [port, subscribed] of this.subscribers) {
      if (subscribed !== tabId) continue;
      try {
        port.postMessage(message);
      } catch {
        this.subscribers.delete(port);
      }
    }
  }

  async onPanelMessage(port: PanelPort, message: PanelToBackground): Promise<void> {
    await this.ready;
    switch (message.type) {
      case "subscribe":
        // Opening the panel on a tab arms it, until the user turns it off (issue 16).
        this.apis.onPanelSubscribe?.(message.tabId);
        this.flushNow();
        // Lints may be waiting on the slower pace kept while no panel was open: the snapshot has them.
        this.lintNow();
        this.subscribers.set(port, message.tabId);
        port.postMessage({ type: "snapshot", snapshot: this.snapshot(message.tabId) });
        break;
      case "clear":
        this.flushNow();
        this.log.capture.clear(message.tabId);
        this.flushNow();
        break;
      case "set-preserve-log":
        this.log.capture.setPreserveLog(message.tabId, message.value);
        this.flushNow();
        break;
    }
  }

  onPanelDisconnect(port: PanelPort): void {
    this.subscribers.delete(port);
  }

  snapshot(tabId: number): TabSnapshot {
    const arming = this.apis.arming ? { armed: this.apis.arming.isArmed(tabId), reason: this.apis.arming.reason(tabId) } : undefined;
    return {
      ...this.log.snapshot(tabId, { hostPermission: this.hostPermission, captureErrors: [...this.captureErrors] }),
      ...(arming ? { arming } : {}),
    };
  }

  /** Host permissions changed (granted from the popup, or revoked): tell every open panel. */
  async onPermissionsChanged(): Promise<void> {
    await this.ready;
    this.hostPermission = await this.apis.hasHostPermission().catch(() => true);
    for (const [port, tabId] of this.subscribers) port.postMessage({ type: "snapshot", snapshot: this.snapshot(tabId) });
  }

  async onTabRemoved(tabId: number): Promise<void> {
    await this.ready;
    this.flushNow();
    this.log.removeTab(tabId);
    this.lastBadge.delete(tabId);
    this.unarmedFailures.delete(tabId);
    this.flushNow();
  }

  // ---- one-shot messages: the popup and the automation hook (contracts §6) ----

  /** Returns undefined for messages that are not ours, so other listeners may answer them. */
  onRuntimeMessage(message: unknown): Promise<unknown> | undefined {
    const request = message as RuntimeRequest | undefined;
    if (!request || typeof request !== "object" || typeof request.tabId !== "number") return undefined;
    if (request.type === "cors-doctor:report") {
      return this.settled().then(() => {
        const { items, cookieSightings } = this.log.report(request.tabId);
        return buildHarReport(items, { includeSecrets: request.includeSecrets === true, version: this.apis.version, cookieSightings });
      });
    }
    if (request.type === "cors-doctor:snapshot") return this.settled().then(() => this.snapshot(request.tabId));
    return undefined;
  }
}
