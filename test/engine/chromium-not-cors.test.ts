// Chromium decides: failures that are not a CORS check, each run for real from a loopback page, and the
// engine's verdict on the exchange Chromium's own events describe. What Chromium reports (errorText,
// corsErrorStatus) is printed so the mapping can be checked against it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { diagnoseExchange } from "../../src/core/diagnose";
import { launchChromium, startPageServer, type ChromiumSession } from "../support/chromium-fetch";
import { refusedPort } from "../support/refused-port.mjs";

let chromium: ChromiumSession;
let page: Awaited<ReturnType<typeof startPageServer>>;
let api: http.Server;
let apiOrigin = "";
let closedPort = 0;

beforeAll(async () => {
  page = await startPageServer();
  api = http.createServer((q, s) => {
    const origin = String(q.headers.origin ?? "*");
    const path = (q.url ?? "").split("?")[0];
    const cors = { "Access-Control-Allow-Origin": origin };
    if (path === "/to-data") {
      s.writeHead(302, { ...cors, Location: "data:text/plain,hi" });
      s.end();
      return;
    }
    if (path === "/to-ok") {
      s.writeHead(302, { ...cors, Location: "/ok" });
      s.end();
      return;
    }
    s.writeHead(200, { ...cors, "Content-Type": "text/plain" });
    s.end("ok");
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
  apiOrigin = `http://localhost:${(api.address() as AddressInfo).port}`;
  closedPort = await refusedPort();
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await page?.close();
  api?.close();
});

const rows = [
  { name: "redirect to a data: URL", url: () => `${apiOrigin}/to-data`, id: "not-cors-redirect-mode", headersAlone: true },
  { name: "redirect: 'error' meets a 302", url: () => `${apiOrigin}/to-ok`, redirect: "error" as const, id: "not-cors-redirect-mode" },
  { name: "connection refused", url: () => `http://localhost:${closedPort}/x`, id: "not-cors-network-refused" },
];

describe("Chromium: failures that are not CORS", () => {
  test.each(rows)("$name", async (row) => {
    const result = await chromium.fetchFrom(`${page.origin}/`, { url: row.url(), redirect: row.redirect });
    console.log(
      `chromium ${row.name}: blocked=${result.blocked} errorText=${result.errorText} corsError=${result.corsError} page=${JSON.stringify(result.page)}`,
    );
    expect(result.blocked).toBe(true);
    const exchange = {
      ...result.exchange,
      outcome: result.errorText ? { kind: "failed" as const, error: result.errorText } : result.exchange.outcome,
    };
    if (result.corsError) exchange.corsErrorStatus = { corsError: result.corsError, failedParameter: result.failedParameter };
    if (row.redirect) exchange.redirectMode = row.redirect;
    const d = diagnoseExchange(exchange);
    expect(d.verdict).toBe("blocked");
    expect(d.blockedBy?.id).toBe(row.id);
    expect(d.blockedBy?.chromeCorsError).toBe(result.corsError);
    // And from the headers alone (a HAR without `_error`): the same class where the headers can tell.
    if ("headersAlone" in row) {
      const headersOnly = diagnoseExchange({ ...exchange, outcome: { kind: "unknown" }, corsErrorStatus: undefined });
      expect(headersOnly.blockedBy?.id).toBe(row.id);
    }
  });
});
