// The background worker (Chromium service worker, Firefox event page): wiring only. Everything registered
// here is registered in the first turn, as MV3 requires for events that wake the worker.
import browser, { type Runtime } from "webextension-polyfill";
import { HOST_PERMISSIONS } from "../shared/permissions";
import { PANEL_PORT, type PanelToBackground } from "../shared/protocol";
import type { Badge } from "../capture/badge";
import { registerWebRequestListeners } from "./listeners";
import { isPrivateEvent, memorySession, PrivateTabs } from "./private";
import { isTrustedSender } from "./sender";
import { CaptureService } from "./service";
import { installTestHook } from "./test-hook";

/** esbuild define: true only in test builds (test/capture/helpers/extension.ts), false in scripts/build.mjs. */
declare const __TEST__: boolean;

const browserName = __BROWSER__ === "firefox" ? "firefox" : "chrome";

type Session = ConstructorParameters<typeof CaptureService>[0]["session"];
/** Chrome ("incognito": "split"): true in the private windows' own background instance (src/background/private.ts). */
const incognitoInstance = (browser.extension as { inIncognitoContext?: boolean } | undefined)?.inIncognitoContext === true;

const makeService = (session: Session) => new CaptureService({
  browser: browserName,
  version: __VERSION__,
  session,
  hasHostPermission: () => browser.permissions.contains(HOST_PERMISSIONS),
  setBadge: (tabId: number, badge: Badge) => {
    // The tab may be gone by the time the badge changes: nothing to show then.
    const ignore = () => {};
    browser.action.setBadgeText({ tabId, text: badge.text }).catch(ignore);
    if (badge.text) browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(ignore);
    browser.action.setTitle({ tabId, title: badge.title }).catch(ignore);
  },
});

// Normal tabs: storage.session, so the capture survives the worker being stopped. Private tabs: memory only.
const service = makeService(incognitoInstance ? memorySession() : (browser.storage.session as unknown as Session));
const privateService = __BROWSER__ === "firefox" ? makeService(memorySession()) : null;
const privateTabs = new PrivateTabs((tabId) => browser.tabs.get(tabId).then((tab) => tab.incognito === true));
const services = privateService ? [service, privateService] : [service];
/** The capture that owns a tab: Firefox's private tabs are served from the memory-only one. */
const serviceFor = async (tabId: number) => (privateService && (await privateTabs.isPrivate(tabId)) ? privateService : service);

for (const error of registerWebRequestListeners(browser.webRequest, (event) => {
  if (privateService && isPrivateEvent(event.details)) {
    privateTabs.note(event.details.tabId, true);
    privateService.onEvent(event);
  } else service.onEvent(event);
})) services.forEach((s) => s.reportError(error));

function guard(what: string, register: () => void): void {
  try {
    register();
  } catch (error) {
    service.reportError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Only this extension's own pages get an answer (src/background/sender.ts): never a content script or another extension. */
const trusted = (sender: { id?: string; url?: string; origin?: string } | undefined) =>
  isTrustedSender(sender, browser.runtime.id, browser.runtime.getURL(""));

/** Answers our one-shot messages from the capture that owns the tab; undefined (not ours) otherwise. */
function runtimeMessage(message: unknown): Promise<unknown> | undefined {
  const tabId = (message as { tabId?: unknown } | null)?.tabId;
  if (typeof tabId !== "number") return service.onRuntimeMessage(message);
  return serviceFor(tabId).then((owner) => owner.onRuntimeMessage(message));
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
      if (typeof tabId === "number") void serviceFor(tabId).then((owner) => owner.onPanelMessage(port, message as PanelToBackground));
    });
    port.onDisconnect.addListener(() => services.forEach((s) => s.onPanelDisconnect(port)));
  }),
);
guard("runtime.onMessage", () =>
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    trusted(sender) ? runtimeMessage(message) : undefined,
  ),
);
guard("tabs.onRemoved", () => browser.tabs.onRemoved.addListener((tabId) => {
    for (const s of services) void s.onTabRemoved(tabId);
    privateTabs.forget(tabId);
  }),
);
guard("tabs.onUpdated", () =>
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === "complete") services.forEach((s) => s.refreshBadge(tabId));
  }),
);
guard("permissions.onAdded", () => browser.permissions.onAdded.addListener(() => services.forEach((s) => void s.onPermissionsChanged())));
guard("permissions.onRemoved", () => browser.permissions.onRemoved.addListener(() => services.forEach((s) => void s.onPermissionsChanged())));

if (__TEST__) installTestHook();
