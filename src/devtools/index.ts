// The devtools page: registers the "CORS" panel. Chrome has `chrome.devtools`; Firefox has both `browser.devtools`
// (promises) and `chrome.devtools` (callbacks). The panel itself is panel.html, which also works as a tab.
export {};

type PanelsApi = { create(title: string, icon: string, page: string, callback?: (panel: unknown) => void): unknown };

const g = globalThis as { browser?: { devtools?: { panels?: PanelsApi } }; chrome?: { devtools?: { panels?: PanelsApi } } };
const panels = g.browser?.devtools?.panels ?? g.chrome?.devtools?.panels;

if (panels) {
  try {
    // Firefox returns a promise; a rejection must not go unhandled (it would only say the panel is missing).
    const result = panels.create("CORS", "icons/icon-32.png", "panel.html");
    if (result && typeof (result as Promise<unknown>).catch === "function") {
      (result as Promise<unknown>).catch((error: unknown) => console.error("CORS Doctor: could not create the panel", error));
    }
  } catch (error) {
    console.error("CORS Doctor: could not create the panel", error);
  }
}
