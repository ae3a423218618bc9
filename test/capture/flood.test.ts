// A flood of 100,000 requests in one tab through the background's own pipeline (capture → diagnosis →
// storage batches → panel messages), the way the worker runs it: memory stays within the per-tab bound,
// eviction is counted exactly, and what storage holds never grows past the bound either.
// (The real-browser flood of test/capture/chromium-flood.test.ts uses 5,000 requests: Chromium needs
// about 4 ms of CPU per fetch here, so 100,000 real fetches would take minutes.)
import v8 from "node:v8";
import vm from "node:vm";
import { expect, it } from "vitest";
import { DEFAULT_MAX_EXCHANGES_PER_TAB } from "../../src/capture/capture";
import { LiveLog } from "../../src/capture/live-log";
import { ORIGIN, PAGE, req, API } from "./events";

const FLOOD = 100_000;

// What the log retains is what matters, not garbage the collector has not reached yet.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const BIG = "x".repeat(1500); // realistic header weight: a leak of 100,000 of these would be ~150 MB

it(`a 100,000-request flood keeps ${DEFAULT_MAX_EXCHANGES_PER_TAB} exchanges, counts the rest as evicted, and stays small`, () => {
  const log = new LiveLog({ browser: "chrome" });
  const stored = new Map<string, unknown>();
  let evictedSeen = 0;
  let removedByPanel = 0;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < FLOOD; i++) {
    const preflighted = i % 4 === 0;
    const id = String(10 * i);
    const url = `${API}/flood/${i}`;
    const actual = req("chrome", id, preflighted ? "PUT" : "GET", url);
    log.handle(actual.before());
    if (preflighted) {
      const opt = req("chrome", String(10 * i + 1), "OPTIONS", url);
      const pfHeaders: [string, string][] = [ORIGIN, ["Access-Control-Request-Method", "PUT"]];
      log.handle(opt.before());
      log.handle(opt.send(pfHeaders));
      log.handle(
        opt.headers(204, [
          ["access-control-allow-origin", PAGE],
          ["access-control-allow-methods", "PUT"],
        ]),
      );
      log.handle(opt.completed(204));
    }
    log.handle(actual.send([ORIGIN, ["X-Trace", BIG]]));
    const allowed = i % 3 !== 0;
    log.handle(
      actual.headers(
        200,
        allowed
          ? [
              ["access-control-allow-origin", PAGE],
              ["x-big", BIG],
            ]
          : [["x-big", BIG]],
      ),
    );
    log.handle(allowed ? actual.completed(200) : actual.error("net::ERR_FAILED"));
    // The worker flushes on a timer; every 500 events here.
    if (i % 500 === 499 || i === FLOOD - 1) {
      const result = log.flush();
      for (const [key, value] of Object.entries(result.store.set)) stored.set(key, value);
      for (const key of result.store.remove) stored.delete(key);
      for (const messages of result.messages.values()) {
        for (const m of messages) {
          if (m.type === "remove") removedByPanel += m.ids.length;
          if ("evicted" in m) evictedSeen = m.evicted;
        }
      }
    }
  }
  const items = log.items(7);
  expect(items).toHaveLength(DEFAULT_MAX_EXCHANGES_PER_TAB);
  expect(log.capture.tabState(7).evicted).toBe(FLOOD - DEFAULT_MAX_EXCHANGES_PER_TAB);
  expect(evictedSeen).toBe(FLOOD - DEFAULT_MAX_EXCHANGES_PER_TAB);
  expect(removedByPanel).toBe(FLOOD - DEFAULT_MAX_EXCHANGES_PER_TAB);
  // The newest survive, each once, with its preflight paired.
  const urls = items.map((x) => x.exchange.legs[0]!.request.url);
  expect(new Set(urls).size).toBe(urls.length);
  expect(urls.at(-1)).toBe(`${API}/flood/${FLOOD - 1}`);
  const put = items.find((x) => x.exchange.legs[0]!.request.method === "PUT")!;
  expect(put.exchange.legs[0]!.preflight?.response?.status).toBe(204);
  expect(items.filter((x) => x.diagnosis.verdict === "blocked").length).toBeGreaterThan(500);
  // Storage holds no more records than the log does (plus a few bookkeeping keys).
  expect(stored.size).toBeLessThanOrEqual(DEFAULT_MAX_EXCHANGES_PER_TAB * 2 + 10);
  // 2,000 kept exchanges of ~4 KB each, with their diagnoses and stored copies, are ~20 MB;
  // keeping all 100,000 would be ~400 MB.
  gc();
  const retainedMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  expect(retainedMiB).toBeLessThan(60);
}, 120_000);
