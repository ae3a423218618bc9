// The seam between the panel's views and the browser: everything that touches `chrome.*`/`browser.*`, the DOM
// outside the panel's own tree, or the clipboard goes through `PanelServices`. Views receive it as a prop, so
// they can be rendered with a hand-made implementation (tests, screenshots) without an extension around them.
import type { BrowserName } from "../core/model";
import type { BackgroundToPanel, PanelToBackground } from "../shared/protocol";
import { PANEL_PORT } from "../shared/protocol";

export type Theme = "light" | "dark";

export interface BackgroundConnection {
  send(message: PanelToBackground): void;
  close(): void;
}

export interface PanelServices {
  /** The inspected tab, or null when the panel runs without one (import-only). */
  readonly tabId: number | null;
  /** Whose behaviour the what-if editor and imports are diagnosed with. */
  readonly browser: BrowserName;
  readonly version: string;
  /** Opens the subscription to the background; `onStatus` reports connection loss and recovery. */
  connect(tabId: number, onMessage: (message: BackgroundToPanel) => void, onStatus: (connected: boolean) => void): BackgroundConnection;
  theme(): Theme;
  onThemeChange(listener: (theme: Theme) => void): void;
  /** Saves a text file on the user's machine: a Blob and `<a download>`, no network. */
  download(fileName: string, text: string, mimeType: string): void;
  copy(text: string): Promise<void>;
}

type RuntimeLike = typeof chrome.runtime;

/** Chrome exposes `chrome`, Firefox both `browser` and `chrome`; the callback-style `chrome` works in both. */
function extensionApi(): typeof chrome | undefined {
  const g = globalThis as { chrome?: typeof chrome; browser?: typeof chrome };
  return g.chrome?.runtime ? g.chrome : g.browser;
}

/** `devtools.*` in a DevTools panel: Chrome has it on `chrome`, Firefox on `browser` (and usually `chrome` too). */
function devtoolsApi(api: typeof chrome | undefined): typeof chrome.devtools | undefined {
  return api?.devtools ?? (globalThis as { browser?: { devtools?: typeof chrome.devtools } }).browser?.devtools;
}

/** DevTools panel: the inspected window's tab. Tab page: `panel.html?tabId=N` (tests, or the panel in its own window). */
export function resolveTabId(api: typeof chrome | undefined, search: string): number | null {
  const inspected = devtoolsApi(api)?.inspectedWindow;
  if (inspected) return inspected.tabId;
  const raw = new URLSearchParams(search).get("tabId");
  if (raw === null || raw.trim() === "") return null;
  const tabId = Number(raw);
  return Number.isInteger(tabId) && tabId >= 0 ? tabId : null;
}

function themeFromDevtools(api: typeof chrome | undefined): Theme | null {
  const name = (devtoolsApi(api)?.panels as { themeName?: string } | undefined)?.themeName;
  if (!name) return null;
  return name === "dark" ? "dark" : "light";
}

/** The services backed by the real extension APIs (DevTools panel, or panel.html opened as a tab). */
export function createBrowserServices(browser: BrowserName, version: string): PanelServices {
  const api = extensionApi();
  const params = new URLSearchParams(location.search);
  const forcedTheme = params.get("theme");
  const media = matchMedia("(prefers-color-scheme: dark)");
  const currentTheme = (): Theme => {
    if (forcedTheme === "dark" || forcedTheme === "light") return forcedTheme;
    return themeFromDevtools(api) ?? (media.matches ? "dark" : "light");
  };
  return {
    tabId: resolveTabId(api, location.search),
    browser,
    version,
    connect(tabId, onMessage, onStatus) {
      const runtime: RuntimeLike | undefined = api?.runtime;
      // Firefox answers about a private tab only a page in a private window (src/background/private.ts).
      const incognito = api?.extension?.inIncognitoContext === true;
      let port: chrome.runtime.Port | null = null;
      let closed = false;
      let retry: ReturnType<typeof setTimeout> | undefined;
      let attempts = 0;
      // The background may be a service worker that Chrome stops at any time: when the port drops we
      // reconnect and subscribe again, and the fresh snapshot replaces whatever we had.
      const open = () => {
        if (closed || !runtime) return;
        try {
          port = runtime.connect({ name: PANEL_PORT });
        } catch {
          onStatus(false);
          schedule();
          return;
        }
        port.onMessage.addListener((message: unknown) => {
          attempts = 0;
          onStatus(true);
          onMessage(message as BackgroundToPanel);
        });
        port.onDisconnect.addListener(() => {
          // Reading lastError marks it handled (Chrome logs "Unchecked runtime.lastError" otherwise).
          void runtime.lastError;
          port = null;
          onStatus(false);
          schedule();
        });
        port.postMessage({ type: "subscribe", tabId, incognito } satisfies PanelToBackground);
      };
      const schedule = () => {
        if (closed) return;
        attempts += 1;
        retry = setTimeout(open, Math.min(5000, 200 * attempts));
      };
      open();
      return {
        send(message) {
          try {
            port?.postMessage({ ...message, incognito } satisfies PanelToBackground);
          } catch {
            /* the disconnect listener reconnects */
          }
        },
        close() {
          closed = true;
          clearTimeout(retry);
          port?.disconnect();
        },
      };
    },
    theme: currentTheme,
    onThemeChange(listener) {
      media.addEventListener("change", () => listener(currentTheme()));
      const panels = devtoolsApi(api)?.panels as
        | {
            setThemeChangeHandler?: (cb: (name: string) => void) => void;
            onThemeChanged?: { addListener(cb: (name: string) => void): void };
          }
        | undefined;
      const fromName = (name: string) =>
        listener(forcedTheme === "dark" || forcedTheme === "light" ? forcedTheme : name === "dark" ? "dark" : "light");
      try {
        // Chrome: setThemeChangeHandler; Firefox: onThemeChanged.
        if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(fromName);
        else panels?.onThemeChanged?.addListener(fromName);
      } catch {
        /* theme changes are cosmetic */
      }
    },
    download(fileName, text, mimeType) {
      const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
      const anchor = document.createElement("a");
      anchor.href = url;
      anchor.download = fileName;
      anchor.hidden = true;
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    async copy(text) {
      try {
        await navigator.clipboard.writeText(text);
        return;
      } catch {
        // DevTools panels are iframes without clipboard-write permission: fall back to a selected textarea.
      }
      const area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.append(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    },
  };
}
