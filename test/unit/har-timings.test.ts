// The exported report carries each request's own start and timings from the capture's event times.
import { expect, test } from "vitest";
import { buildHarReport } from "../../src/core/har/write";
import { diagnoseExchange } from "../../src/core/diagnose";
import { exchange, response, PAGE } from "./build-exchange";

test("preflight and request entries get their own start, wait and receive", () => {
  const ex = exchange({
    method: "PUT",
    preflight: response(204, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Methods": "PUT" }),
    response: response(200, { "Access-Control-Allow-Origin": PAGE }),
    outcome: "completed",
  });
  const t0 = Date.UTC(2026, 10, 21, 12, 0, 0);
  ex.legs[0]!.preflight!.timings = { start: t0, sendHeaders: t0 + 1, headersReceived: t0 + 11, end: t0 + 12 };
  ex.legs[0]!.timings = { start: t0 + 0.5, sendHeaders: t0 + 13, headersReceived: t0 + 43, end: t0 + 50 };
  const { log } = buildHarReport([{ exchange: ex, diagnosis: diagnoseExchange(ex) }], { version: "0.0.0" });
  const [preflight, request] = log.entries;
  expect(preflight!._resourceType).toBe("preflight");
  expect(preflight!.startedDateTime).toBe(new Date(t0).toISOString());
  expect(preflight!.timings).toMatchObject({ blocked: 1, send: 0, wait: 10, receive: 1 });
  expect(preflight!.time).toBe(12);
  expect(request!.timings).toMatchObject({ blocked: 12.5, wait: 30, receive: 7 });
  expect(request!.time).toBe(49.5);
});

test("without timings, HAR's required fields are still valid (≥ 0, unknown ones -1)", () => {
  const ex = exchange({ response: response(200, { "Access-Control-Allow-Origin": "*" }), outcome: "completed" });
  const { log } = buildHarReport([{ exchange: ex, diagnosis: diagnoseExchange(ex) }], { version: "0.0.0" });
  const [entry] = log.entries;
  expect(entry!.timings).toEqual({ blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 });
  expect(entry!.time).toBe(0);
});
