// The action popup: what was captured in the current tab, why nothing may be captured (host permission
// not granted, listener registration failures), and where the details are (DevTools › CORS).
// One click on the toolbar button arms the tab (issue 16): opening the popup records the current tab from
// now on, and its switch turns that off again. The site list and the "all tabs" switch are edited here too.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import browser from "webextension-polyfill";
import { HOST_PERMISSIONS } from "../shared/permissions";
import {
  PRECISE_MESSAGE,
  type ArmingRequest,
  type ArmingStatus,
  type PreciseRequest,
  type PreciseStatus,
  type RuntimeRequest,
  type TabSnapshot,
} from "../shared/protocol";

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

/** `popup.html?automation=1` is an automation hook page (contracts §6): it looks, it does not arm. */
const AUTOMATION = new URLSearchParams(location.search).has("automation");

const send = <T,>(request: RuntimeRequest | ArmingRequest | PreciseRequest) => browser.runtime.sendMessage(request) as Promise<T>;

async function loadSnapshot(): Promise<TabSnapshot | null> {
  const tabId = await targetTabId();
  if (tabId === undefined) return null;
  // Firefox answers about a private tab only a page in a private window (src/background/private.ts).
  return send<TabSnapshot>({ type: "cors-doctor:snapshot", tabId, incognito: browser.extension?.inIncognitoContext === true });
}

/** Opening the popup is the click that arms the tab; what it was before decides the hint shown. */
async function loadArming(arm: boolean): Promise<{ status: ArmingStatus; wasArmed: boolean } | null> {
  const tabId = await targetTabId();
  if (tabId === undefined) return null;
  const before = await send<ArmingStatus>({ type: "cors-doctor:arming", tabId });
  if (!arm || before.armed) return { status: before, wasArmed: before.armed };
  return { status: await send<ArmingStatus>({ type: "cors-doctor:arm", tabId, armed: true }), wasArmed: false };
}

const REASONS: Record<NonNullable<ArmingStatus["reason"]>, string> = {
  user: "you turned it on for this tab (toolbar button or DevTools panel)",
  site: "this site is on the list below",
  "all-tabs": "every tab is recorded",
};

function ArmingSwitch({ status, wasArmed, onChange }: { status: ArmingStatus; wasArmed: boolean; onChange(s: ArmingStatus): void }) {
  const toggle = (event: Event) => {
    const armed = (event.currentTarget as HTMLInputElement).checked;
    void send<ArmingStatus>({ type: "cors-doctor:arm", tabId: status.tabId, armed }).then(onChange);
  };
  return (
    <section class="arming">
      <label class="switch">
        <input type="checkbox" id="arm" checked={status.armed} onChange={toggle} /> Record this tab
      </label>
      <p class="muted" id="arming-reason">
        {status.armed ? `Recording: ${REASONS[status.reason ?? "user"]}.` : "Not recording: this tab's requests do not reach CORS Doctor."}
      </p>
      {status.armed && !wasArmed && (
        <p class="hint" id="reload-hint">
          Recording starts now: reload the page to see its requests from the start.
        </p>
      )}
    </section>
  );
}

function Settings({ status, onChange }: { status: ArmingStatus; onChange(s: ArmingStatus): void }) {
  const [sites, setSites] = useState(status.sites.join("\n"));
  const [allTabs, setAllTabs] = useState(status.allTabs);
  const [note, setNote] = useState<string | null>(null);
  const save = (event: Event) => {
    event.preventDefault();
    void send<{ sites: string[]; allTabs: boolean; invalid: string[] }>({
      type: "cors-doctor:arming-settings",
      sites: sites.split(/\n/),
      allTabs,
    }).then(async (saved) => {
      setSites(saved.sites.join("\n"));
      setNote(saved.invalid.length ? `Not saved (not a host pattern): ${saved.invalid.join(", ")}` : "Saved.");
      onChange(await send<ArmingStatus>({ type: "cors-doctor:arming", tabId: status.tabId }));
    });
  };
  return (
    <details class="settings">
      <summary>Sites always recorded</summary>
      <form onSubmit={save}>
        <label for="sites">
          Pages of these hosts are recorded without a click (one a line; <code>*.example.com</code> for subdomains, <code>:port</code>{" "}
          allowed):
        </label>
        <textarea id="sites" rows={5} value={sites} onInput={(e) => setSites((e.currentTarget as HTMLTextAreaElement).value)} />
        <label class="switch">
          <input
            type="checkbox"
            id="all-tabs"
            checked={allTabs}
            onChange={(e) => setAllTabs((e.currentTarget as HTMLInputElement).checked)}
          />{" "}
          Record every tab (every request of every tab goes through CORS Doctor: slower browsing)
        </label>
        <button type="submit">Save</button>
        {note && (
          <p class="muted" id="settings-note">
            {note}
          </p>
        )}
      </form>
    </details>
  );
}

/** Chromium only (Firefox has no `debugger` permission), so chrome.permissions, whose types know it. */
const DEBUGGER: chrome.permissions.Permissions = { permissions: ["debugger"] };

/**
 * Precise mode (Chromium; src/background/precise.ts): asks for the optional `debugger` permission in the click itself
 * (a user gesture), then turns the mode on. Turning it off gives the permission back.
 */
function PreciseSwitch() {
  const [status, setStatus] = useState<PreciseStatus | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void send<PreciseStatus>({ type: PRECISE_MESSAGE }).then(setStatus, () => setStatus(null));
  }, []);
  if (!status) return null;
  const toggle = (event: Event) => {
    const on = (event.currentTarget as HTMLInputElement).checked;
    const granted = on ? chrome.permissions.request(DEBUGGER) : Promise.resolve(true);
    void granted.then(
      async (ok) => {
        if (!ok) {
          setNote("Not turned on: the permission was not granted.");
          setStatus(await send<PreciseStatus>({ type: PRECISE_MESSAGE }));
          return;
        }
        setNote(null);
        setStatus(await send<PreciseStatus>({ type: PRECISE_MESSAGE, on }));
        if (!on) await chrome.permissions.remove(DEBUGGER).catch(() => false);
      },
      (error: unknown) => setNote(String(error)),
    );
  };
  return (
    <details class="settings">
      <summary>Precise mode</summary>
      <label class="switch">
        <input type="checkbox" id="precise" checked={status.on} onChange={toggle} /> Ask Chrome for what the page cannot see (a worker's
        mixed-content fetch; why a cross-origin image failed, without a reload), in recorded tabs. Chrome shows its "started debugging this
        browser" bar meanwhile.
      </label>
      {(note ?? (status.on && !status.available)) && (
        <p class="muted" id="precise-note">
          {note ??
            "On, but the debugger permission is not granted (removed in the browser's extension settings?): turn it off and on again."}
        </p>
      )}
    </details>
  );
}

function Popup() {
  const [snapshot, setSnapshot] = useState<TabSnapshot | null | undefined>(undefined);
  const [arming, setArming] = useState<{ status: ArmingStatus; wasArmed: boolean } | null>(null);
  const [grantError, setGrantError] = useState<string | null>(null);
  const refresh = () => loadSnapshot().then(setSnapshot, () => setSnapshot(null));
  useEffect(() => {
    void loadArming(!AUTOMATION)
      .then(setArming, () => setArming(null))
      .then(refresh);
  }, []);
  const armingChanged = (status: ArmingStatus) => {
    setArming((a) => (a ? { ...a, status } : { status, wasArmed: status.armed }));
    void refresh();
  };

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
      {arming && <ArmingSwitch status={arming.status} wasArmed={arming.wasArmed} onChange={armingChanged} />}
      {!snapshot.hostPermission && (
        <section class="alert" role="alert">
          <p>CORS Doctor cannot see this site's requests: access to websites is not granted.</p>
          <p>Grant it here, or in the add-ons manager (Permissions › "Access your data for all websites").</p>
          <button type="button" onClick={grant}>
            Grant access to all sites
          </button>
          {grantError && <p class="muted">{grantError}</p>}
        </section>
      )}
      {snapshot.captureErrors.length > 0 && (
        <section class="alert" role="alert">
          <p>Capture is not complete:</p>
          <ul>
            {snapshot.captureErrors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </section>
      )}
      <dl class="counts">
        <div class={blocked ? "blocked" : ""}>
          <dt>Blocked</dt>
          <dd>{blocked}</dd>
        </div>
        <div class={warnings ? "warning" : ""}>
          <dt>Warnings</dt>
          <dd>{warnings}</dd>
        </div>
        <div>
          <dt>Cross-origin requests</dt>
          <dd>{requests}</dd>
        </div>
      </dl>
      {snapshot.evicted > 0 && <p class="muted">{snapshot.evicted} older requests were dropped to keep memory bounded.</p>}
      <p class="hint">
        Open DevTools › <strong>CORS</strong> for the reason of each request and how to fix the server.
      </p>
      {arming && <Settings status={arming.status} onChange={armingChanged} />}
      {__BROWSER__ !== "firefox" && <PreciseSwitch />}
    </main>
  );
}

const root = document.getElementById("app");
if (root) render(<Popup />, root);
