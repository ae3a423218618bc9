// Empty states teach: what the panel shows, and how to make something appear in it.
import type { PanelData } from "../store";

export function EmptyState({ data, onImport }: { data: PanelData; onImport: () => void }) {
  if (data.source.kind === "live" && !data.hostPermission) {
    return (
      <div class="empty" role="status">
        <h2>CORS Doctor cannot see this site's requests</h2>
        <p>
          The extension has no host permission here, so nothing can be captured. In Firefox open{" "}
          <b>about:addons → CORS Doctor → Permissions</b> and allow "Access your data for all websites", then reload the page.
        </p>
      </div>
    );
  }
  const live = data.source.kind === "live";
  return (
    <div class="empty" role="status">
      <h2>{live ? (data.loaded ? "No cross-origin requests yet" : "Connecting…") : "No data to show"}</h2>
      <p>
        CORS Doctor lists every request this page makes to another origin, with its preflight folded in, and explains each one the browser
        blocks: which header was wrong, what the server should send, and the fix for your server.
      </p>
      <ul>
        {live ? (
          <li>Keep this panel open and reload the page, or trigger the request (click the button, submit the form).</li>
        ) : (
          <li>Open this panel from DevTools (the "CORS" tab) to capture the inspected page.</li>
        )}
        <li>
          Or{" "}
          <button type="button" class="link-button" onClick={onImport}>
            import a HAR file
          </button>{" "}
          saved by Chrome's or Firefox's Network panel ("Save all as HAR") and diagnose it offline.
        </li>
      </ul>
      {data.captureErrors.length > 0 && <div class="banner error">Capture problems: {data.captureErrors.join("; ")}</div>}
    </div>
  );
}
