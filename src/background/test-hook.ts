// Test builds only (esbuild define __TEST__ = true; production builds leave it undefined or false, and the
// branch is dead code). WebDriver BiDi can neither evaluate in Firefox's background nor navigate a tab to a
// moz-extension: URL (browser-recipes §5), so the test build opens an extension page itself; the test then
// talks to the background through the same automation hook as any extension page.
import browser from "webextension-polyfill";

declare const __TEST__: boolean | undefined;

export function installTestHook(): void {
  if (typeof __TEST__ === "undefined" || !__TEST__) return;
  browser.runtime.onInstalled.addListener(() => {
    void browser.tabs.create({ url: browser.runtime.getURL("popup.html?automation=1"), active: false });
  });
}
