// The webRequest listeners, the one place where Chromium and Firefox differ in capture:
// - Chromium shows preflights and the Origin/Access-Control-* request headers only with "extraHeaders"
//   (browser-recipes §2); Firefox shows them without it and throws on the unknown enum value.
// - Firefox's onErrorOccurred.addListener rejects a third argument, even `undefined` (§5): call it with two.
// Every registration is attempted on its own and every failure is reported: a missing listener must never
// mean silently capturing nothing.
//
// Two kinds (issue 16, measured in scripts/bench/alternatives.mjs): every request that matches a listener
// costs a round trip to the background, and in Chromium one listener with "extraHeaders" anywhere sends every
// request of every tab through the header client. So:
// - the light listeners, always on and registered in the first turn: main-frame requests only (to arm a tab
//   by site before its page loads) and errors without "extraHeaders" (a request that succeeds never reaches
//   the background);
// - the capture listeners, the seven below, added per armed tab (filter `tabId`) at run time and removed when
//   the tab is disarmed, or once for every tab when the user turns "all tabs" on. In Chromium they listen only to
//   the request types where CORS decides the outcome (FULL_CAPTURE_TYPES); the bulk of a page (images, scripts,
//   stylesheets, media) reaches the background only when it fails, through the light error listener, and a tab
//   where such a failure was seen is widened to every type so that a reload shows its headers;
// - the worker set, only while an armed tab's page has a service worker: no tab filter, for the requests
//   of sites' service workers, which webRequest gives no tab (`followWorkers`).
import type { WebRequestDetails, WebRequestEvent, WebRequestEventName } from "../capture/events";

type Listener = (details: never) => void;
interface EventLike {
  addListener(callback: Listener, filter: RequestFilter, extraInfoSpec?: string[]): void;
  removeListener(callback: Listener): void;
}
interface RequestFilter {
  urls: string[];
  tabId?: number;
  types?: string[];
}

const ALL_URLS = ["<all_urls>"];

/**
 * The request types an armed tab's capture listeners follow in Chromium: fetch/XHR and their preflights (both are
 * "xmlhttprequest", browser-recipes §2), fonts (always CORS mode), pings and beacons, "other" (preloads, manifests),
 * and the main frame (a navigation clears the log). Every other type is CORS only with a `crossorigin` attribute or
 * as a module script, and Chromium fails such a load with net::ERR_FAILED, which the light error listener sees.
 * Firefox is not restricted: it reports a CORS-blocked load as completed (browser-recipes §5), not as an error.
 */
export const FULL_CAPTURE_TYPES = ["main_frame", "xmlhttprequest", "font", "ping", "other"];

/** The request types this browser's webRequest knows (its ResourceType enum), or null when it does not say. */
function knownResourceTypes(webRequest: object | null | undefined): string[] | null {
  const known = (webRequest as Record<string, unknown> | null | undefined)?.ResourceType;
  return typeof known === "object" && known !== null ? Object.values(known).map(String) : null;
}

/** FULL_CAPTURE_TYPES as far as this browser knows them: an unknown value in a filter makes addListener throw. */
function knownCaptureTypes(webRequest: object): string[] {
  const values = knownResourceTypes(webRequest);
  return values ? FULL_CAPTURE_TYPES.filter((t) => values.includes(t)) : FULL_CAPTURE_TYPES;
}

/** The types filter of the capture listeners in this browser, or null for every type (Firefox). */
export function fullCaptureTypes(webRequest: object): string[] | null {
  // Chromium is recognised by "extraHeaders", as everywhere else in this file.
  if (!webRequest || !acceptsExtraHeaders(webRequest, "OnBeforeSendHeadersOptions")) return null;
  return knownCaptureTypes(webRequest);
}

/**
 * Each event with what it must report, and the Chromium enum that says whether it accepts "extraHeaders".
 * Headers are asked for once per hop, where they are final: request headers on SendHeaders (after every
 * extension changed them; onBeforeSendHeaders would repeat them), response headers on HeadersReceived and
 * BeforeRedirect. ResponseStarted and Completed repeat them and cost an IPC copy per request: not asked.
 */
const EVENTS: { name: WebRequestEventName; spec: string[]; optionsEnum: string }[] = [
  { name: "BeforeRequest", spec: [], optionsEnum: "OnBeforeRequestOptions" },
  { name: "SendHeaders", spec: ["requestHeaders"], optionsEnum: "OnSendHeadersOptions" },
  { name: "HeadersReceived", spec: ["responseHeaders"], optionsEnum: "OnHeadersReceivedOptions" },
  { name: "BeforeRedirect", spec: ["responseHeaders"], optionsEnum: "OnBeforeRedirectOptions" },
  { name: "ResponseStarted", spec: [], optionsEnum: "OnResponseStartedOptions" },
  { name: "Completed", spec: [], optionsEnum: "OnCompletedOptions" },
  { name: "ErrorOccurred", spec: [], optionsEnum: "OnErrorOccurredOptions" },
];

/** Whether this webRequest takes "extraHeaders" for an event (Chromium ≥ 72 does; Firefox has no such value). */
export function acceptsExtraHeaders(webRequest: object, optionsEnum: string): boolean {
  const values = (webRequest as Record<string, unknown>)[optionsEnum];
  return typeof values === "object" && values !== null && Object.values(values).includes("extraHeaders");
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function add(event: EventLike | undefined, callback: Listener, filter: RequestFilter, spec: string[]): void {
  if (!event) throw new Error("not available");
  if (spec.length) event.addListener(callback, filter, spec);
  else event.addListener(callback, filter);
}

export interface LightHandlers {
  /** A main-frame request started or was redirected: the tab is about to show a page of this URL. */
  onNavigation(details: WebRequestDetails): void;
  /** A request of any tab failed. */
  onError(details: WebRequestDetails): void;
}

/**
 * Must run in the first turn of the background script: MV3 only delivers events that woke the worker to
 * listeners registered synchronously at start-up. Returns the registration failures, as readable lines.
 */
export function registerLightListeners(webRequest: object, handlers: LightHandlers): string[] {
  if (!webRequest) return ['webRequest is not available (is the "webRequest" permission granted?)'];
  const api = webRequest as Record<string, EventLike | undefined>;
  const errors: string[] = [];
  try {
    add(api.onBeforeRequest, handlers.onNavigation as Listener, { urls: ALL_URLS, types: ["main_frame"] }, []);
  } catch (error) {
    errors.push(`webRequest.onBeforeRequest (main frames): ${message(error)}`);
  }
  try {
    add(api.onErrorOccurred, handlers.onError as Listener, { urls: ALL_URLS }, []);
  } catch (error) {
    errors.push(`webRequest.onErrorOccurred: ${message(error)}`);
  }
  return errors;
}

interface ListenerSet {
  callbacks: [EventLike, Listener][];
}

/** Types capture never keeps (navigations, WebSockets: src/capture/scope.ts): no reason to listen to them. */
const NEVER_CAPTURED = ["sub_frame", "outermost_frame", "websocket"];

/**
 * The seven capture listeners, one set per armed tab (or one for all tabs). Adding or removing a set is a few
 * IPC messages; the browser stops sending the tab's requests to the background as soon as its set is gone.
 */
export class CaptureListeners {
  private readonly sets = new Map<number | "all", ListenerSet>();
  /** Widened tabs (see `widen`): a second set per tab, for the types the first one leaves out ("all": a new worker's first turn). */
  private readonly restSets = new Map<number | "all", ListenerSet>();
  private readonly extraHeaders: boolean;
  private readonly api: Record<string, EventLike | undefined>;
  /** The types filter (Chromium), null for every type (Firefox). */
  readonly types: string[] | null;
  /** The types the filter leaves out and capture could keep, for widened tabs. */
  private readonly restTypes: string[];
  /** The service-worker set (`followWorkers`), when on. */
  private workerSet: ListenerSet | null = null;

  constructor(
    webRequest: object,
    private readonly onEvent: (event: WebRequestEvent) => void,
    private readonly reportError: (message: string) => void,
    /** Told the widened tabs after each change, to keep them across a worker restart. */
    private readonly onWidened: (tabs: number[]) => void = () => {},
  ) {
    this.api = (webRequest ?? {}) as Record<string, EventLike | undefined>;
    // Feature detection as in browser-recipes §2: if onBeforeSendHeaders accepts it, use it wherever accepted.
    this.extraHeaders = !!webRequest && acceptsExtraHeaders(webRequest, "OnBeforeSendHeadersOptions");
    this.types = fullCaptureTypes(webRequest);
    this.restTypes = (knownResourceTypes(webRequest) ?? []).filter((t) => !this.types?.includes(t) && !NEVER_CAPTURED.includes(t));
    if (webRequest && !this.extraHeaders && typeof __BROWSER__ !== "undefined" && __BROWSER__ === "chrome") {
      reportError('webRequest "extraHeaders" is not supported: preflights and the Origin header are invisible, CORS diagnosis is partial');
    }
  }

  /** Which sets are registered: tab ids, and "all" for every tab. */
  registered(): (number | "all")[] {
    return [...this.sets.keys()];
  }

  /** Tabs widened to every request type. */
  widened(): number[] {
    const tabs: number[] = [];
    for (const key of this.restSets.keys()) if (key !== "all") tabs.push(key);
    return tabs;
  }

  has(key: number | "all"): boolean {
    return this.sets.has(key);
  }

  /**
   * Whether the tab's capture listeners follow every request of this type from its start. Not so for the types a
   * widened tab added late: its requests then in flight show only their end (capture.ts sorts out the overlap).
   */
  covers(tabId: number, type: string): boolean {
    if (!this.sets.has(tabId) && !this.sets.has("all")) return false;
    return this.types === null || this.types.includes(type);
  }

  /**
   * The tab's capture follows every request type from now on, until `narrow` (the tab is disarmed): a failure of a
   * type seen only by the error listener has no headers, and the next load of the page should show them.
   */
  widen(key: number | "all"): void {
    if (this.types === null || !this.restTypes.length || this.restSets.has(key)) return;
    this.restSets.set(key, this.register({ urls: ALL_URLS, ...(key === "all" ? {} : { tabId: key }), types: this.restTypes }));
    if (key !== "all") this.onWidened(this.widened());
  }

  narrow(key: number | "all"): void {
    const set = this.restSets.get(key);
    if (!set) return;
    this.restSets.delete(key);
    this.unregister(set);
    if (key !== "all") this.onWidened(this.widened());
  }

  add(key: number | "all"): void {
    if (this.sets.has(key) || !this.api.onBeforeRequest) return;
    const filter: RequestFilter = {
      urls: ALL_URLS,
      ...(key === "all" ? {} : { tabId: key }),
      ...(this.types ? { types: this.types } : {}),
    };
    this.sets.set(key, this.register(filter));
  }

  /**
   * While on, one more set follows the requests of sites' service workers (both browsers): webRequest gives them
   * `tabId` −1, which a filter cannot select (−1 there means every tab), so this set has no tab filter and every
   * tab's fetch/XHR, fonts and pings reach the background while it is on; `onWorkerEvent` gets only the workers'
   * (the rest are dropped at once). The price is paid only while an armed tab's page has a service worker.
   */
  followWorkers(on: boolean, onWorkerEvent: (event: WebRequestEvent) => void): void {
    if (!on) {
      if (this.workerSet) this.unregister(this.workerSet);
      this.workerSet = null;
      return;
    }
    if (this.workerSet || !this.api.onBeforeRequest) return;
    // Firefox follows every type in a tab (see FULL_CAPTURE_TYPES); a worker's requests are fetches all the same.
    const types = (this.types ?? knownCaptureTypes(this.api)).filter((t) => t !== "main_frame");
    this.workerSet = this.register({ urls: ALL_URLS, types }, (event) => {
      if (event.details.tabId < 0) onWorkerEvent(event);
    });
  }

  /** Whether the service-worker set is registered. */
  followsWorkers(): boolean {
    return this.workerSet !== null;
  }

  remove(key: number | "all"): void {
    if (key !== "all") this.narrow(key);
    const set = this.sets.get(key);
    if (!set) return;
    this.sets.delete(key);
    this.unregister(set);
  }

  private register(filter: RequestFilter, deliver: (event: WebRequestEvent) => void = this.onEvent): ListenerSet {
    const set: ListenerSet = { callbacks: [] };
    for (const { name, spec, optionsEnum } of EVENTS) {
      const event = this.api[`on${name}`];
      const callback = ((details: WebRequestDetails) => deliver({ event: name, details })) as Listener;
      try {
        const full = this.extraHeaders && acceptsExtraHeaders(this.api, optionsEnum) ? [...spec, "extraHeaders"] : spec;
        add(event, callback, filter, full);
        set.callbacks.push([event!, callback]);
      } catch (error) {
        this.reportError(`webRequest.on${name}: ${message(error)}`);
      }
    }
    return set;
  }

  private unregister(set: ListenerSet): void {
    for (const [event, callback] of set.callbacks) {
      try {
        event.removeListener(callback);
      } catch (error) {
        this.reportError(`webRequest removeListener: ${message(error)}`);
      }
    }
  }
}
