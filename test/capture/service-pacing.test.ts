// The background's pacing of its own work (src/background/service.ts), on a fake clock: what a busy tab costs the
// background when no panel is open (issue 16, the Firefox armed bench). Events are applied every 250 ms then and
// cross-request lints run every 2 s (every 50 ms and 500 ms while a panel is open; one that opens gets both at once), and a batch of page reports that are all responses needs no second flush (only a failure may turn
// out to be a request refused before the network).
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { CaptureService, type PanelPort } from "../../src/background/service";
import { API, ORIGIN, PAGE, req } from "./events";

const TAB = 7;

function service() {
  const writes: Record<string, unknown>[] = [];
  const svc = new CaptureService({
    browser: "firefox",
    version: "test",
    session: {
      set: async (items) => void writes.push(items),
      remove: async () => {},
      get: async () => ({}),
    },
    setBadge: () => {},
    hasHostPermission: async () => true,
  });
  // The log is private: its passes are what is paced.
  const log = (svc as unknown as { log: { lint(tabId: number): unknown; flush(persist?: boolean): unknown } }).log;
  return { svc, lint: vi.spyOn(log, "lint"), flush: vi.spyOn(log, "flush") };
}

/** A panel opens on the tab (its messages are not read here). */
function openPanel(svc: CaptureService): Promise<void> {
  const port: PanelPort = { postMessage: () => {} };
  return svc.onPanelMessage(port, { type: "subscribe", tabId: TAB });
}

/** One allowed cross-origin GET of the tab, every event of it. */
function request(svc: CaptureService, id: string): string {
  const url = `${API}/data?${id}`;
  const r = req("firefox", id, "GET", url, TAB);
  svc.onEvent(r.before());
  svc.onEvent(r.send([ORIGIN]));
  svc.onEvent(r.headers(200, [["access-control-allow-origin", PAGE]]));
  svc.onEvent(r.completed(200));
  return url;
}

const report = (url: string, outcome: "response" | "network-error") =>
  JSON.stringify({
    kind: "fetch",
    url,
    method: "GET",
    mode: "cors",
    credentials: "same-origin",
    at: Date.now(),
    endedAt: Date.now(),
    pageUrl: `${PAGE}/page`,
    outcome,
    ...(outcome === "response" ? { status: 200, responseType: "cors" } : { message: "TypeError: Failed to fetch" }),
  });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

it("lints every 2 s while no panel is open, and every 500 ms while one is", async () => {
  const { svc, lint } = service();
  await vi.advanceTimersByTimeAsync(0);
  request(svc, "1");
  await vi.advanceTimersByTimeAsync(1_000);
  expect(lint).not.toHaveBeenCalled();
  // 2 s after the flush that applied the request (250 ms).
  await vi.advanceTimersByTimeAsync(1_300);
  expect(lint).toHaveBeenCalledTimes(1);

  await openPanel(svc);
  lint.mockClear();
  request(svc, "2");
  await vi.advanceTimersByTimeAsync(600);
  expect(lint).toHaveBeenCalledTimes(1);
});

it("applies events every 250 ms while no panel is open, and every 50 ms while one is", async () => {
  const { svc, flush } = service();
  await vi.advanceTimersByTimeAsync(1_000);
  flush.mockClear();
  request(svc, "1");
  await vi.advanceTimersByTimeAsync(200);
  expect(flush).not.toHaveBeenCalled();
  await vi.advanceTimersByTimeAsync(60);
  expect(flush).toHaveBeenCalledTimes(1);

  await openPanel(svc);
  flush.mockClear();
  request(svc, "2");
  await vi.advanceTimersByTimeAsync(60);
  expect(flush).toHaveBeenCalledTimes(1);
});

it("gives a panel that opens the lints still waiting on the slower pace", async () => {
  const { svc, lint } = service();
  await vi.advanceTimersByTimeAsync(0);
  request(svc, "1");
  await vi.advanceTimersByTimeAsync(100);
  expect(lint).not.toHaveBeenCalled();
  await openPanel(svc);
  expect(lint).toHaveBeenCalledWith(TAB);
});

it("flushes again after the grace period only for a batch of page reports that holds a failure", async () => {
  const { svc, flush } = service();
  await vi.advanceTimersByTimeAsync(0);
  const ok = request(svc, "1");
  await vi.advanceTimersByTimeAsync(3_000);
  flush.mockClear();
  svc.onPageReports(TAB, [report(ok, "response")]);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(flush).toHaveBeenCalledTimes(1);

  flush.mockClear();
  svc.onPageReports(TAB, [report(ok, "response"), report(`${API}/refused`, "network-error")]);
  await vi.advanceTimersByTimeAsync(1_000);
  expect(flush).toHaveBeenCalledTimes(2);
});
