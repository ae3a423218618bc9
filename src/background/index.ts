// The background worker (Chromium service worker, Firefox event page): wiring only. Everything registered
// here is registered in the first turn, as MV3 requires for events that wake the worker.
import browser from "webextension-polyfill";
import { PAGE_REPORTS_MESSAGE, PANEL_PORT, type PanelToBackground } from "../shared/protocol";
import { initiatorOriginOf } from "../capture/scope";
import type { Badge } from "../capture/badge";
import { ArmedTabs, readMirror } from "./armed-tabs";
import { CaptureListeners, registerLightListeners } from "./listeners";
import { matchPatternsForSites, PageObserverInjector, type ScriptingApi } from "./page-observer";
import { CaptureService } from "./service";
import { installTestHook } from "./test-hook";

/** esbuild define: true only in test builds (test/capture/helpers/extension.ts), false in scripts/build.mjs. */
declare const __TEST__: boolean;

const ALL_URLS = { origins: ["<all_urls>"] };
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

const service = new CaptureService({
  browser: browserName,
  version: __VERSION__,
  session: browser.storage.session as unknown as ConstructorParameters<typeof CaptureService>[0]["session"],
  hasHostPermission: () => browser.permissions.contains(ALL_URLS),
  setBadge: (tabId: number, badge: Badge) => {
    // The tab may be gone by the time the badge changes: nothing to show then.
    const ignore = () => {};
    browser.action.setBadgeText({ tabId, text: badge.text }).catch(ignore);
    if (badge.text) browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(ignore);
    browser.action.setTitle({ tabId, title: badge.title }).catch(ignore);
  },
  arming: armedTabs,
  onPanelSubscribe: (tabId) => armedTabs.setUser(tabId, true),
});

// The capture listeners follow arming: one set per armed tab, or one for every tab with "all tabs".
const capture = new CaptureListeners(browser.webRequest, (event) => service.onEvent(event), (message) => service.reportError(message));
function syncCaptureListeners(): void {
  const wanted = new Set<number | "all">(armedTabs.allTabs ? ["all"] : armedTabs.armedTabs());
  // Add before removing: switching between "all tabs" and per-tab sets never leaves a gap.
  for (const key of wanted) capture.add(key);
  for (const key of capture.registered()) if (!wanted.has(key)) capture.remove(key);
}
// The first turn cannot know the armed tabs in Chromium (storage.session answers later), yet a restarted worker
// must not miss the events of an armed tab meanwhile. Firefox: register again, in the first turn, the sets the
// previous event page had (its mirror is synchronous; a primed listener is matched by its filter, so the event
// that woke the page reaches it). Chromium: listen to every tab until the armed set is restored (a few ms; the
// service holds those events and keeps only the armed tabs'), then fall back to the per-tab sets.
const early = readMirror(mirror);
if (early) for (const key of early.allTabs ? ["all" as const] : early.tabs) capture.add(key);
else if (!mirror) capture.add("all");
armedTabs.onChange((change) => {
  syncCaptureListeners();
  void service.onArmingChanged(change.tabId);
});
// Once restored, the listeners are what the armed set says, even when no tab is armed (no change is reported
// then): the set registered for the first turn goes.
void armedTabs.ready.then(syncCaptureListeners);

for (const error of registerLightListeners(browser.webRequest, {
  onNavigation: (details) => {
    service.onNavigation(details.tabId);
    armedTabs.navigated(details.tabId, details.url);
  },
  onError: (details) => {
    if (details.tabId < 0) service.onWorkerFailure(details, armedTabs.armedTabsShowing(initiatorOriginOf(details)));
    else service.onLightError(details);
  },
})) service.reportError(error);

// The page-side observer follows arming: registered for the site list (or every site with "all tabs"), injected
// into a tab the user armed, now and after each navigation.
const pageObserver = new PageObserverInjector(browser.scripting as unknown as ScriptingApi | undefined, (message) => service.reportError(message));
function syncPageObserver(): void {
  void pageObserver.registerFor(armedTabs.allTabs ? ["http://*/*", "https://*/*"] : matchPatternsForSites(armedTabs.settings().sites));
}
armedTabs.onChange((change) => {
  syncPageObserver();
  if (change.armed && armedTabs.reason(change.tabId) === "user") void pageObserver.injectInto(change.tabId);
});
void armedTabs.ready.then(syncPageObserver);

function guard(what: string, register: () => void): void {
  try {
    register();
  } catch (error) {
    service.reportError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

guard("runtime.onConnect", () =>
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PANEL_PORT) return;
    port.onMessage.addListener((message) => void service.onPanelMessage(port, message as PanelToBackground));
    port.onDisconnect.addListener(() => service.onPanelDisconnect(port));
  }),
);
guard("runtime.onMessage", () =>
  browser.runtime.onMessage.addListener((message: unknown) => armedTabs.onRuntimeMessage(message) ?? service.onRuntimeMessage(message)),
);
guard("tabs.onRemoved", () =>
  browser.tabs.onRemoved.addListener((tabId) => {
    armedTabs.tabRemoved(tabId);
    void service.onTabRemoved(tabId);
  }),
);
guard("tabs.onUpdated", () =>
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // The committed URL: arms by site a page whose main-frame request the worker missed (it was starting; at
    // browser start its listeners go live a few hundred ms late), and corrects a navigation that did not commit.
    if (change.url) armedTabs.navigated(tabId, change.url);
    if (change.status === "complete") service.refreshBadge(tabId);
    // A tab armed by hand keeps its observer across navigations (registered scripts cover the site list).
    if (change.status === "loading" && armedTabs.reason(tabId) === "user") void pageObserver.injectInto(tabId);
  }),
);
// Reports of the page-side observer: only from this extension's own content scripts, in a tab.
guard("runtime.onMessage (page reports)", () =>
  browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string; tab?: { id?: number } }) => {
    const report = message as { type?: unknown; reports?: unknown } | null;
    if (report?.type !== PAGE_REPORTS_MESSAGE || sender.id !== browser.runtime.id || sender.tab?.id === undefined) return undefined;
    service.onPageReports(sender.tab.id, report.reports);
    return undefined;
  }),
);
guard("permissions.onAdded", () => browser.permissions.onAdded.addListener(() => void service.onPermissionsChanged()));
guard("permissions.onRemoved", () => browser.permissions.onRemoved.addListener(() => void service.onPermissionsChanged()));

if (__TEST__) {
  installTestHook();
  // Which capture listener sets are registered: tests prove an unarmed tab has none.
  browser.runtime.onMessage.addListener((message: unknown) =>
    (message as { type?: string } | undefined)?.type === "test:listener-sets" ? armedTabs.ready.then(() => capture.registered()) : undefined,
  );
}
