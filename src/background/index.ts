// The background worker (Chromium service worker, Firefox event page): wiring only. Everything registered
// here is registered in the first turn, as MV3 requires for events that wake the worker.
import browser, { type Runtime } from "webextension-polyfill";
import { HOST_PERMISSIONS } from "../shared/permissions";
import { PANEL_PORT, type PanelToBackground } from "../shared/protocol";
import type { Badge } from "../capture/badge";
import { registerWebRequestListeners } from "./listeners";
import { isTrustedSender } from "./sender";
import { CaptureService } from "./service";
import { installTestHook } from "./test-hook";

/** esbuild define: true only in test builds (test/capture/helpers/extension.ts), false in scripts/build.mjs. */
declare const __TEST__: boolean;

const browserName = __BROWSER__ === "firefox" ? "firefox" : "chrome";

const service = new CaptureService({
  browser: browserName,
  version: __VERSION__,
  session: browser.storage.session as unknown as ConstructorParameters<typeof CaptureService>[0]["session"],
  hasHostPermission: () => browser.permissions.contains(HOST_PERMISSIONS),
  setBadge: (tabId: number, badge: Badge) => {
    // The tab may be gone by the time the badge changes: nothing to show then.
    const ignore = () => {};
    browser.action.setBadgeText({ tabId, text: badge.text }).catch(ignore);
    if (badge.text) browser.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(ignore);
    browser.action.setTitle({ tabId, title: badge.title }).catch(ignore);
  },
});

for (const error of registerWebRequestListeners(browser.webRequest, (event) => service.onEvent(event))) service.reportError(error);

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

guard("runtime.onConnect", () =>
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PANEL_PORT) return;
    if (!trusted(port.sender)) {
      port.disconnect();
      return;
    }
    port.onMessage.addListener((message) => void service.onPanelMessage(port, message as PanelToBackground));
    port.onDisconnect.addListener(() => service.onPanelDisconnect(port));
  }),
);
guard("runtime.onMessage", () =>
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) =>
    trusted(sender) ? service.onRuntimeMessage(message) : undefined,
  ),
);
guard("tabs.onRemoved", () => browser.tabs.onRemoved.addListener((tabId) => void service.onTabRemoved(tabId)));
guard("tabs.onUpdated", () =>
  browser.tabs.onUpdated.addListener((tabId, change) => {
    if (change.status === "complete") service.refreshBadge(tabId);
  }),
);
guard("permissions.onAdded", () => browser.permissions.onAdded.addListener(() => void service.onPermissionsChanged()));
guard("permissions.onRemoved", () => browser.permissions.onRemoved.addListener(() => void service.onPermissionsChanged()));

if (__TEST__) installTestHook();
