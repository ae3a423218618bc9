// Test builds only: index.ts calls this under `if (__TEST__)`, which scripts/build.mjs defines false, so esbuild
// tree-shakes this module out of the shipped background.js. WebDriver BiDi can neither evaluate in Firefox's
// background nor navigate a tab to a moz-extension: URL (browser-recipes §5), so the test build opens an extension
// page itself; the test then talks to the background through the same automation hook as any extension page.
import browser from "webextension-polyfill";

export function installTestHook(): void {
  // Counts the starts of the background, so a test can prove the worker/event page really was stopped.
  void browser.storage.session
    .get("test:starts")
    .then((items) => browser.storage.session.set({ "test:starts": (Number(items["test:starts"]) || 0) + 1 }));
  const hookUrl = browser.runtime.getURL("popup.html?automation=1");
  browser.runtime.onInstalled.addListener(() => {
    void browser.tabs.create({ url: hookUrl, active: false }).catch(() => {});
    // Once more if it is not there a second later (before Firefox's test profile suspends an idle event page, after
    // 1.5 s): under load a clean-clone CI run's test never saw it appear (20 s), and a test cannot open it itself.
    setTimeout(() => {
      void browser.tabs
        .query({})
        .then((tabs) => (tabs.some((t) => t.url === hookUrl) ? undefined : browser.tabs.create({ url: hookUrl, active: false })))
        .catch(() => {});
    }, 1_000);
  });
}
