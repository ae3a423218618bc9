// The background worker (Chromium service worker, Firefox event page): wiring only. Everything registered
// here is registered in the first turn, as MV3 requires for events that wake the worker.
import browser, { type Runtime } from "webextension-polyfill";
import { HOST_PERMISSIONS } from "../shared/permissions";
import {
  DEVTOOLS_REPORTS_MESSAGE,
  PAGE_REPORTS_MESSAGE,
  PANEL_PORT,
  PRECISE_MESSAGE,
  type PanelToBackground,
  type PreciseRequest,
  type PreciseStatus,
} from "../shared/protocol";
import type { Badge } from "../capture/badge";
import type { WebRequestEvent } from "../capture/events";
import { initiatorOriginOf, scopeOf } from "../capture/scope";
import { originOf } from "../core/origin";
import { ArmedTabs, readMirror } from "./armed-tabs";
import { cookieJarReader } from "./cookie-jar";
import { CaptureListeners, registerLightListeners } from "./listeners";
import { matchPatternsForSites, PageObserverInjector, type ScriptingApi } from "./page-observer";
import { type DebuggerApi, PreciseMode } from "./precise";
import { type AskerLike, askerIsPrivate, isPrivateEvent, memorySession, PrivateTabs } from "./private";
import { isTrustedSender } from "./sender";
import { WorkerTabs } from "./worker-tabs";
import { CaptureService } from "./service";
import { installTestHook } from "./test-hook";

/** esbuild define: true only in test builds (test/capture/helpers/extension.ts), false in scripts/build.mjs. */
declare const __TEST__: boolean;

const browserName = __BROWSER__ === "firefox" ? "firefox" : "chrome";
/** Firefox's event page is a document with a synchronous localStorage; Chromium's service worker has none. */
const mirror = typeof localStorage === "undefined" ? null : localStorage;

const armedTabs = new ArmedTabs({
  session: browser.storage.session as unknown as ConstructorParameters<typeof ArmedTabs>[0]["session"],
  local: browser.storage.local as unknown as ConstructorParameters<typeof ArmedTabs>[0]["local"],
  mirror,
  queryTabs: () => browser.tabs.query({}),
  // Both browsers stop an idle background (Chromium after 30 s, Firefox's event page after 30 s by default), and
  // neither wakes it reliably for listeners added at run time: while a tab is armed, an API call now and then
  // keeps it running (each resets the idle timer). Test builds tick faster: Firefox's test profile suspends after 1.5 s.
  keepAlive: () => void browser.runtime.getPlatformInfo().catch(() => {}),
  keepAliveMs: __TEST__ ? 700 : 20_000,
  reportError: (message) => service.reportError(message),
});

type Session = ConstructorParameters<typeof CaptureService>[0]["session"];
/** Chrome ("incognito": "split"): true in the private windows' own background instance (src/background/private.ts). */
const incognitoInstance = (browser.extension as { inIncognitoContext?: boolean } | undefined)?.inIncognitoContext === true;

const makeService = (session: Session) =>
  new CaptureService({
    browser: browserName,
    version: __VERSION__,
    session,
    hasHostPermission: () => browser.permissions.contains(HOST_PERMISSIONS),
    setBadge: (tabId: number, badge: Badge, previous?: Badge) => {
      // The tab may be gone by the time the badge changes: nothing to show then. Each part is set only when it
      // changed (a busy tab's count changes many times a second; each call is a round trip to the browser).
      const ignore = () => {};
      if (badge.text !== previous?.text) browser.action.setBadgeText({ tabId, text: badge.text }).catch(ignore);
      if (badge.text && (!previous?.text || badge.color !== previous.color))
        browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(ignore);
      if (badge.title !== previous?.title) browser.action.setTitle({ tabId, title: badge.title }).catch(ignore);
    },
    arming: armedTabs,
    onPanelSubscribe: (tabId) => armedTabs.setUser(tabId, true),
    onServiceWorker: (tabId, origin) => {
      workerTabs.add(tabId, origin);
      syncWorkerListeners();
    },
    readCookies: cookieJarReader(
      browser.cookies as unknown as Parameters<typeof cookieJarReader>[0],
      browser.tabs,
      __BROWSER__ === "firefox",
    ),
  });

// Normal tabs: storage.session, so the capture survives the worker being stopped. Private tabs: memory only.
const service = makeService(incognitoInstance ? memorySession() : (browser.storage.session as unknown as Session));
const privateService = __BROWSER__ === "firefox" ? makeService(memorySession()) : null;
const privateTabs = new PrivateTabs((tabId) => browser.tabs.get(tabId).then((tab) => tab.incognito === true));
const services = privateService ? [service, privateService] : [service];
/** The capture that answers a page about a tab: a Firefox private tab's (memory-only) only to a page in a private window. */
const serviceFor = async (tabId: number, asker: AskerLike | undefined, message: unknown) =>
  privateService && askerIsPrivate(asker, message) && (await privateTabs.isPrivate(tabId)) ? privateService : service;
/** The capture an event belongs to: Firefox marks a private window's events. */
const serviceOfEvent = (details: WebRequestEvent["details"]) => {
  if (!privateService || !isPrivateEvent(details)) return service;
  privateTabs.note(details.tabId, true);
  return privateService;
};
const reportError = (message: string) => services.forEach((s) => s.reportError(message));
/** The capture a site's service-worker request belongs to (no tab: only Firefox's private mark tells). */
const workerServiceOf = (details: WebRequestEvent["details"]) => (privateService && isPrivateEvent(details) ? privateService : service);

/**
 * storage.session key of the widened tabs (see `CaptureListeners.widen`): Chromium stops an idle worker after 30 s,
 * and a developer who fixed the server meanwhile reloads to see the headers the widening promised.
 */
const WIDENED_KEY = "capture:widened";
/** Until the stored list is read, a widening is not written: it would overwrite the tabs the last worker kept. */
let widenedRestored = false;
const storeWidened = (tabs: number[]) => {
  if (!widenedRestored) return;
  browser.storage.session.set({ [WIDENED_KEY]: tabs }).catch((e: unknown) => reportError(`storage.session: ${String(e)}`));
};
// The capture listeners follow arming: one set per armed tab, or one for every tab with "all tabs".
const capture = new CaptureListeners(
  browser.webRequest,
  (event) => serviceOfEvent(event.details).onEvent(event),
  reportError,
  storeWidened,
);
/**
 * Armed tabs whose page has a service worker (src/background/worker-tabs.ts): while there is one, the worker listeners
 * follow sites' service-worker requests, which webRequest gives no tab, and list them in full in the tabs showing
 * the worker's origin.
 */
const workerTabs = new WorkerTabs(
  browser.storage.session as unknown as ConstructorParameters<typeof WorkerTabs>[0],
  (tabId) => armedTabs.isArmed(tabId),
  reportError,
);
function syncWorkerListeners(): void {
  capture.followWorkers(workerTabs.wanted(), (event) => {
    const origin = initiatorOriginOf(event.details);
    workerServiceOf(event.details).onWorkerEvent(event, workerTabs.showing(armedTabs.armedTabsShowing(origin), origin));
  });
}
function syncCaptureListeners(): void {
  const wanted = new Set<number | "all">(armedTabs.allTabs ? ["all"] : armedTabs.armedTabs());
  // Add before removing: switching between "all tabs" and per-tab sets never leaves a gap.
  for (const key of wanted) capture.add(key);
  for (const key of capture.registered()) if (!wanted.has(key)) capture.remove(key);
  for (const tabId of capture.widened()) if (!armedTabs.isArmed(tabId)) capture.narrow(tabId);
}
// The first turn cannot know the armed tabs in Chromium (storage.session answers later), yet a restarted worker
// must not miss the events of an armed tab meanwhile. Firefox: register again, in the first turn, the sets the
// previous event page had (its mirror is synchronous; a primed listener is matched by its filter, so the event
// that woke the page reaches it). Chromium: listen to every tab until the armed set is restored (a few ms; the
// service holds those events and keeps only the armed tabs'), then fall back to the per-tab sets.
const early = readMirror(mirror);
if (early) for (const key of early.allTabs ? ["all" as const] : early.tabs) capture.add(key);
else if (!mirror) {
  capture.add("all");
  // Widened tabs are not known yet either: every type of every tab until they are.
  capture.widen("all");
}
/** The widened tabs the previous worker kept, widened again while still armed; then the first turn's set goes. */
async function restoreWidened(): Promise<void> {
  const stored = await browser.storage.session.get(WIDENED_KEY).catch(() => ({}) as Record<string, unknown>);
  const tabs = stored[WIDENED_KEY];
  if (Array.isArray(tabs)) for (const tabId of tabs) if (Number.isInteger(tabId) && armedTabs.isArmed(tabId)) capture.widen(tabId);
  capture.narrow("all");
  widenedRestored = true;
  storeWidened(capture.widened());
}

// The page-side observer follows arming: registered for the site list (or every site with "all tabs"), injected
// into a tab the user armed, now and after each navigation.
const pageObserver = new PageObserverInjector(browser.scripting as unknown as ScriptingApi | undefined, reportError);
function syncPageObserver(): void {
  void pageObserver.registerFor(armedTabs.allTabs ? ["http://*/*", "https://*/*"] : matchPatternsForSites(armedTabs.settings().sites));
}

// Precise mode (Chromium, opt-in; src/background/precise.ts): follows the tabs armed one by one or by the site list.
const PRECISE_KEY = "settings:precise";
let preciseOn = false;
/** chrome.debugger: it appears once the optional permission is granted (no reload needed), and goes with it. */
const debuggerApi = () => (globalThis as { chrome?: { debugger?: DebuggerApi } }).chrome?.debugger;
const precise =
  __BROWSER__ === "firefox"
    ? null
    : new PreciseMode(
        debuggerApi,
        browser.runtime.getURL("page-world.js"),
        (tabId, reports) => service.onPageReports(tabId, reports, { browser: true }),
        reportError,
      );
function syncPrecise(): void {
  precise?.sync(preciseOn, armedTabs.armedTabs());
}
async function onPreciseMessage(request: PreciseRequest): Promise<PreciseStatus> {
  if (typeof request.on === "boolean") {
    preciseOn = request.on;
    await browser.storage.local.set({ [PRECISE_KEY]: preciseOn }).catch((e: unknown) => reportError(`storage.local: ${String(e)}`));
    syncPrecise();
  }
  return {
    on: preciseOn,
    available: debuggerApi() !== undefined,
    attachedTabs: precise?.attachedTabs() ?? [],
  };
}

armedTabs.onChange((change) => {
  syncCaptureListeners();
  syncWorkerListeners();
  syncPageObserver();
  syncPrecise();
  if (change.armed && armedTabs.reason(change.tabId) === "user") void pageObserver.injectInto(change.tabId);
  for (const s of services) void s.onArmingChanged(change.tabId);
});
// Once restored, the listeners are what the armed set says, even when no tab is armed (no change is reported
// then): the set registered for the first turn goes.
void armedTabs.ready
  .then(() => restoreWidened().catch((e: unknown) => reportError(`restoring widened tabs: ${String(e)}`)))
  .then(() => workerTabs.restore())
  .then(() => {
    syncCaptureListeners();
    syncWorkerListeners();
    syncPageObserver();
  });
if (precise)
  void Promise.all([armedTabs.ready, browser.storage.local.get(PRECISE_KEY).catch(() => ({}) as Record<string, unknown>)]).then(
    ([, stored]) => {
      preciseOn = stored[PRECISE_KEY] === true;
      syncPrecise();
    },
  );

for (const error of registerLightListeners(browser.webRequest, {
  onNavigation: (details) => {
    serviceOfEvent(details).onNavigation(details.tabId);
    armedTabs.navigated(details.tabId, details.url);
    workerTabs.navigated(details.tabId, originOf(details.url));
    syncWorkerListeners();
  },
  onError: (details) => {
    if (details.tabId < 0) workerServiceOf(details).onWorkerFailure(details, armedTabs.armedTabsShowing(initiatorOriginOf(details)));
    else if (armedTabs.isArmed(details.tabId) && !capture.covers(details.tabId, details.type)) {
      // An armed tab's image, script, stylesheet… (Chromium): its failure is all capture gets. Its next loads are
      // followed in full, so that a reload shows the headers (src/capture/live-log.ts says so on the exchange).
      serviceOfEvent(details).onEvent({ event: "ErrorOccurred", details, errorOnly: true });
      if (details.error === "net::ERR_FAILED" && scopeOf(details) === "cross-origin") capture.widen(details.tabId);
    } else serviceOfEvent(details).onLightError(details);
  },
}))
  reportError(error);

function guard(what: string, register: () => void): void {
  try {
    register();
  } catch (error) {
    reportError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Only this extension's own pages get an answer (src/background/sender.ts): never a content script or another extension. */
const trusted = (sender: { id?: string; url?: string; origin?: string } | undefined) =>
  isTrustedSender(sender, browser.runtime.id, browser.runtime.getURL(""));

/** Answers our one-shot messages from the capture that owns the tab; undefined (not ours) otherwise. */
function runtimeMessage(message: unknown, sender: AskerLike): Promise<unknown> | undefined {
  const arming = armedTabs.onRuntimeMessage(message);
  if (arming) return arming;
  if ((message as { type?: unknown } | null)?.type === PRECISE_MESSAGE) return onPreciseMessage(message as PreciseRequest);
  const tabId = (message as { tabId?: unknown } | null)?.tabId;
  // What only DevTools saw on the tab it inspects (src/devtools/index.ts): page reports, kept for armed tabs only.
  if ((message as { type?: unknown } | null)?.type === DEVTOOLS_REPORTS_MESSAGE) {
    const reports = (message as { reports?: unknown }).reports;
    if (typeof tabId === "number") void serviceFor(tabId, sender, message).then((owner) => owner.onPageReports(tabId, reports));
    return undefined;
  }
  if (typeof tabId !== "number") return service.onRuntimeMessage(message);
  return serviceFor(tabId, sender, message).then((owner) => owner.onRuntimeMessage(message));
}

guard("runtime.onConnect", () =>
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PANEL_PORT) return;
    if (!trusted(port.sender)) {
      port.disconnect();
      return;
    }
    port.onMessage.addListener((message) => {
      const tabId = (message as PanelToBackground | undefined)?.tabId;
      if (typeof tabId === "number")
        void serviceFor(tabId, port.sender, message).then((owner) => owner.onPanelMessage(port, message as PanelToBackground));
    });
    port.onDisconnect.addListener(() => services.forEach((s) => s.onPanelDisconnect(port)));
  }),
);
guard("runtime.onMessage", () =>
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    trusted(sender) ? runtimeMessage(message, sender) : undefined,
  ),
);
// Reports of the page-side observer: only from this extension's own content scripts, in a tab. They are the
// page's word (the page shares that world) and never get an answer.
guard("runtime.onMessage (page reports)", () =>
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
    const report = message as { type?: unknown; reports?: unknown } | null;
    const tab = sender.tab;
    if (report?.type !== PAGE_REPORTS_MESSAGE || sender.id !== browser.runtime.id || tab?.id === undefined) return undefined;
    const owner = privateService && tab.incognito ? privateService : service;
    owner.onPageReports(tab.id, report.reports);
    return undefined;
  }),
);
guard("tabs.onRemoved", () =>
  browser.tabs.onRemoved.addListener((tabId) => {
    armedTabs.tabRemoved(tabId);
    workerTabs.forget(tabId);
    syncWorkerListeners();
    for (const s of services) void s.onTabRemoved(tabId);
    privateTabs.forget(tabId);
  }),
);
guard("tabs.onUpdated", () =>
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // The committed URL: arms by site a page whose main-frame request the worker missed (it was starting; at
    // browser start its listeners go live a few hundred ms late), and corrects a navigation that did not commit.
    if (change.url) armedTabs.navigated(tabId, change.url);
    if (change.status === "complete") services.forEach((s) => s.refreshBadge(tabId));
    // A tab armed by hand keeps its observer across navigations (registered scripts cover the site list).
    if (change.status === "loading" && armedTabs.reason(tabId) === "user") void pageObserver.injectInto(tabId);
  }),
);
guard("permissions.onAdded", () =>
  browser.permissions.onAdded.addListener(() => {
    services.forEach((s) => void s.onPermissionsChanged());
    syncPrecise();
  }),
);
guard("permissions.onRemoved", () =>
  browser.permissions.onRemoved.addListener(() => {
    services.forEach((s) => void s.onPermissionsChanged());
    // The debugger permission given back (precise mode off, or removed in chrome://extensions): nothing to follow.
    syncPrecise();
  }),
);

if (__TEST__) {
  installTestHook();
  // Which capture listener sets are registered: tests prove an unarmed tab has none.
  browser.runtime.onMessage.addListener((message: unknown) =>
    (message as { type?: string } | undefined)?.type === "test:listener-sets"
      ? armedTabs.ready.then(() => [...capture.registered(), ...(capture.followsWorkers() ? ["workers"] : [])])
      : undefined,
  );
}
