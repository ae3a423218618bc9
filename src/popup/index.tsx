// The action popup: what was captured in the current tab, why nothing may be captured (host permission
// not granted, listener registration failures), and where the details are (DevTools › CORS).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import browser from "webextension-polyfill";
import { HOST_PERMISSIONS } from "../shared/permissions";
import type { RuntimeRequest, TabSnapshot } from "../shared/protocol";


interface Summary {
  requests: number;
  blocked: number;
  warnings: number;
}

export function summarize(snapshot: TabSnapshot): Summary {
  let blocked = 0;
  let warnings = 0;
  for (const { diagnosis } of snapshot.items) {
    if (diagnosis.verdict === "blocked") blocked++;
    else if (diagnosis.findings.some((f) => f.severity !== "info")) warnings++;
  }
  return { requests: snapshot.items.length, blocked, warnings };
}

/** The tab the popup is about: the active one, or `popup.html?tabId=N` when opened as a page (automation). */
async function targetTabId(): Promise<number | undefined> {
  const fromUrl = new URLSearchParams(location.search).get("tabId");
  if (fromUrl !== null && /^\d+$/.test(fromUrl)) return Number(fromUrl);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

async function loadSnapshot(): Promise<TabSnapshot | null> {
  const tabId = await targetTabId();
  if (tabId === undefined) return null;
  const request: RuntimeRequest = { type: "cors-doctor:snapshot", tabId };
  return (await browser.runtime.sendMessage(request)) as TabSnapshot;
}

function Popup() {
  const [snapshot, setSnapshot] = useState<TabSnapshot | null | undefined>(undefined);
  const [grantError, setGrantError] = useState<string | null>(null);
  const refresh = () => loadSnapshot().then(setSnapshot, () => setSnapshot(null));
  useEffect(() => void refresh(), []);

  // permissions.request must run in the click handler itself (a user gesture), before any await.
  const grant = () => {
    browser.permissions.request(HOST_PERMISSIONS).then(
      (granted) => (granted ? refresh() : setGrantError("Access was not granted.")),
      (error: unknown) => setGrantError(String(error)),
    );
  };

  if (snapshot === undefined) return <p class="muted">Loading…</p>;
  if (snapshot === null) return <p class="muted">No tab to show.</p>;
  const { requests, blocked, warnings } = summarize(snapshot);
  return (
    <main>
      <h1>CORS Doctor</h1>
      {!snapshot.hostPermission && (
        <section class="alert" role="alert">
          <p>CORS Doctor cannot see this site's requests: access to websites is not granted.</p>
          <p>Grant it here, or in the add-ons manager (Permissions › "Access your data for all websites").</p>
          <button type="button" onClick={grant}>Grant access to all sites</button>
          {grantError && <p class="muted">{grantError}</p>}
        </section>
      )}
      {snapshot.captureErrors.length > 0 && (
        <section class="alert" role="alert">
          <p>Capture is not complete:</p>
          <ul>{snapshot.captureErrors.map((e) => <li key={e}>{e}</li>)}</ul>
        </section>
      )}
      <dl class="counts">
        <div class={blocked ? "blocked" : ""}><dt>Blocked</dt><dd>{blocked}</dd></div>
        <div class={warnings ? "warning" : ""}><dt>Warnings</dt><dd>{warnings}</dd></div>
        <div><dt>Cross-origin requests</dt><dd>{requests}</dd></div>
      </dl>
      {snapshot.evicted > 0 && <p class="muted">{snapshot.evicted} older requests were dropped to keep memory bounded.</p>}
      <p class="hint">Open DevTools › <strong>CORS</strong> for the reason of each request and how to fix the server.</p>
    </main>
  );
}

const root = document.getElementById("app");
if (root) render(<Popup />, root);
