// The background's state machine around the live log: queues events until the state of a previous worker is
// restored, batches diagnosis and storage writes, debounces the cross-request lints, and serves panels, the
// popup and the automation hook. Browser APIs come in through `BackgroundApis` so index.ts stays the only
// file that touches `browser.*`.
import { buildHarReport } from "../core/har/write";
import type { BrowserName } from "../core/model";
import type { BackgroundToPanel, PanelToBackground, RuntimeRequest, TabSnapshot } from "../shared/protocol";
import { badgeFor, type Badge } from "../capture/badge";
import type { WebRequestEvent } from "../capture/events";
import { LiveLog, type TabCounts } from "../capture/live-log";
import { StorageWriter, type SessionArea } from "./storage-writer";

/** Events are applied in batches this often: a page firing hundreds of requests costs a few diagnoses per second. */
const FLUSH_DELAY_MS = 50;
/** Cross-request lints run over the whole tab at most this often per tab. */
const LINT_DELAY_MS = 500;

export interface PanelPort {
  postMessage(message: BackgroundToPanel): void;
}

export interface BackgroundApis {
  browser: BrowserName;
  version: string;
  session: SessionArea & { get(keys: null): Promise<Record<string, unknown>> };
  setBadge(tabId: number, badge: Badge): void;
  hasHostPermission(): Promise<boolean>;
  maxExchangesPerTab?: number;
}

export class CaptureService {
  readonly captureErrors: string[] = [];
  private readonly log: LiveLog;
  private readonly writer: StorageWriter;
  private queue: WebRequestEvent[] | null = [];
  private readonly ready: Promise<void>;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lintTimer: ReturnType<typeof setTimeout> | null = null;
  /** A lint pass is linear in the tab's log: the busier the tab, the less often (≤ 10 % of the time). */
  private lastLintMs = 0;
  private readonly subscribers = new Map<PanelPort, number>();
  private hostPermission = true;
  private readonly lastBadge = new Map<number, TabCounts>();

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
    try {
      this.log.handle(event);
    } catch (error) {
      this.reportError(`capture: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.scheduleFlush();
  }

  private async restore(): Promise<void> {
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
    this.flushTimer ??= setTimeout(() => this.flushNow(), FLUSH_DELAY_MS);
  }

  private flushNow(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const { messages, store, counts } = this.log.flush();
    this.writer.enqueue(store.set, store.remove);
    for (const [tabId, list] of messages) for (const message of list) this.send(tabId, message);
    for (const [tabId, tabCounts] of counts) this.updateBadge(tabId, tabCounts);
    if (this.log.tabsToLint().length) this.lintTimer ??= setTimeout(() => this.lintNow(), Math.max(LINT_DELAY_MS, 10 * this.lastLintMs));
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
    if (!force && last && last.blocked === counts.blocked && last.warnings === counts.warnings) return;
    this.lastBadge.set(tabId, counts);
    this.apis.setBadge(tabId, badgeFor(counts));
  }

  /** Chrome resets a tab's badge when it navigates; with "Preserve log" the counts still stand. */
  refreshBadge(tabId: number): void {
    if (this.lastBadge.has(tabId)) this.updateBadge(tabId, this.log.counts(tabId), true);
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
        this.flushNow();
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
    return this.log.snapshot(tabId, { hostPermission: this.hostPermission, captureErrors: [...this.captureErrors] });
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
    this.log.capture.removeTab(tabId);
    this.lastBadge.delete(tabId);
    this.flushNow();
  }

  // ---- one-shot messages: the popup and the automation hook (contracts §6) ----

  /** Returns undefined for messages that are not ours, so other listeners may answer them. */
  onRuntimeMessage(message: unknown): Promise<unknown> | undefined {
    const request = message as RuntimeRequest | undefined;
    if (!request || typeof request !== "object" || typeof request.tabId !== "number") return undefined;
    if (request.type === "cors-doctor:report") {
      return this.settled().then(() =>
        buildHarReport(
          this.log.reportItems(request.tabId),
          { includeSecrets: request.includeSecrets === true, version: this.apis.version },
        ),
      );
    }
    if (request.type === "cors-doctor:snapshot") return this.settled().then(() => this.snapshot(request.tabId));
    return undefined;
  }
}
