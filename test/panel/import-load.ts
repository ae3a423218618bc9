// In-page helpers for the import tests (Chromium via Playwright, Chromium DevTools and Firefox via puppeteer):
// each function is passed to `evaluate`, so it must be self-contained. A large HAR is generated inside the page
// (not sent over the automation protocol) and handed to the panel's file input as a File.

/**
 * Builds a Chrome-style HAR of `entries` cross-origin GETs (half blocked), each padded with a `padBytes` header
 * (many bytes, few entries: a large file whose diagnosis stays short), kept for `selectHar`; returns its size.
 */
export function generateHar([entries, name, padBytes]: [number, string, number]): number {
  const started = Date.parse("2026-11-21T10:00:00Z");
  const pad = "x".repeat(padBytes);
  const parts: string[] = [];
  for (let i = 0; i < entries; i++) {
    const blocked = i % 2 === 1;
    parts.push(
      JSON.stringify({
        startedDateTime: new Date(started + i).toISOString(),
        time: 3,
        request: {
          method: "GET",
          url: `http://localhost:8080/big/${i}?q=${pad.slice(0, 40)}`,
          httpVersion: "HTTP/1.1",
          cookies: [],
          queryString: [],
          headersSize: -1,
          bodySize: 0,
          headers: [
            { name: "Origin", value: "http://127.0.0.1:5173" },
            { name: "Accept", value: "*/*" },
            { name: "X-Padding", value: pad },
          ],
        },
        response: {
          status: 200,
          statusText: "OK",
          httpVersion: "HTTP/1.1",
          cookies: [],
          redirectURL: "",
          headersSize: -1,
          bodySize: -1,
          content: { size: 0, mimeType: "text/plain" },
          headers: blocked
            ? [{ name: "Content-Type", value: "text/plain" }]
            : [{ name: "Access-Control-Allow-Origin", value: "http://127.0.0.1:5173" }],
          ...(blocked ? { _error: "net::ERR_FAILED" } : {}),
        },
        timings: { send: 0, wait: 2, receive: 1 },
        _resourceType: "fetch",
        _initiator: { type: "script" },
      }),
    );
  }
  const text = `{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"537.36"},"pages":[],"entries":[${parts.join(",")}]}}`;
  const file = new File([text], name, { type: "application/json" });
  (window as unknown as { __harFile: File }).__harFile = file;
  return file.size;
}

/** Hands the generated file to the panel's import input, as choosing it in the file dialog does. */
export function selectHar(): void {
  const file = (window as unknown as { __harFile: File }).__harFile;
  const input = document.querySelector<HTMLInputElement>("input[data-import]")!;
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event("change", { bubbles: true }));
}

/**
 * Starts a timer heartbeat on the panel's thread: every gap between ticks is recorded until the import progress
 * banner has gone. A frozen thread shows as one gap as long as the freeze.
 */
export function startHeartbeat(): void {
  type Beat = { gaps: number[]; last: number; started: number; ended: number; sawProgress: boolean };
  const beat: Beat = { gaps: [], last: performance.now(), started: performance.now(), ended: 0, sawProgress: false };
  (window as unknown as { __beat: Beat }).__beat = beat;
  // A tab in the background gets its timers throttled to one a second, and a fast import can come and go between
  // two ticks: the progress banner is also noticed when it appears, whatever the timers do.
  const seen = new MutationObserver(() => {
    if (document.querySelector("[data-import-progress]")) beat.sawProgress = true;
  });
  seen.observe(document.body, { childList: true, subtree: true });
  const tick = () => {
    const now = performance.now();
    const progress = document.querySelector("[data-import-progress]");
    if (progress) beat.sawProgress = true;
    if (beat.sawProgress && !progress) {
      beat.ended = now;
      seen.disconnect();
      return;
    }
    beat.gaps.push(now - beat.last);
    beat.last = now;
    setTimeout(tick, 10);
  };
  setTimeout(tick, 10);
}

export function heartbeat(): { maxGap: number; ticks: number; durationMs: number; ended: boolean } {
  const beat = (window as unknown as { __beat: { gaps: number[]; started: number; ended: number; sawProgress: boolean; last: number } })
    .__beat;
  // Read right after the import finished, the next tick may not have run yet: the import is over when its
  // progress banner was seen and is gone now. The wait since the last tick counts as a gap too.
  const over = beat.ended > 0 || (beat.sawProgress && !document.querySelector("[data-import-progress]"));
  const pending = beat.ended > 0 ? 0 : performance.now() - beat.last;
  return {
    maxGap: Math.max(0, pending, ...beat.gaps),
    ticks: beat.gaps.length,
    durationMs: (beat.ended || performance.now()) - beat.started,
    ended: over,
  };
}

/** The progress line as the user reads it, or null when no import is running. */
export function progressLine(): string | null {
  return document.querySelector("[data-import-progress]")?.textContent ?? null;
}
