// A real Firefox netmonitor export (scripts/record-firefox-failures-har.mjs) of requests that got no response:
// Firefox's HAR has no error field, so each is status 0 with no response headers and its request headers as built.
// None of them may read as allowed (the page failed) or as a CORS block (no response reached the CORS check): each is
// `not-cors-no-response`, which says the file does not record why. A fetch the page aborted while it waited is written
// the same way (measured here): the same id, whose words name the cancel. The response without
// Access-Control-Allow-Origin is a CORS block predicted from its headers, and says so.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";

const har = JSON.parse(readFileSync(new URL("../fixtures/devtools/firefox-failures.har", import.meta.url), "utf8"));
const analysis = analyzeHar(har);
const pageSaw: Record<string, string> = har.log._pageSaw;

const ROWS: { path: string; pageSaw: RegExp; verdict: string; id?: string; words?: RegExp }[] = [
  { path: "/refused-get", pageSaw: /TypeError/, verdict: "blocked", id: "not-cors-no-response" },
  { path: "/refused-put", pageSaw: /TypeError/, verdict: "blocked", id: "not-cors-no-response" },
  { path: "/dns", pageSaw: /TypeError/, verdict: "blocked", id: "not-cors-no-response" },
  { path: "/hang-aborted", pageSaw: /AbortError/, verdict: "blocked", id: "not-cors-no-response", words: /cancelled it while waiting/ },
  { path: "/no-acao", pageSaw: /TypeError/, verdict: "blocked", id: "acao-missing", words: /predicted from these headers/ },
  { path: "/allowed", pageSaw: /response 200/, verdict: "allowed" },
];

describe("a real Firefox HAR of requests that got no response", () => {
  it("was recorded by Firefox's own exporter", () => {
    expect(har.log.creator.name).toBe("Firefox");
    expect(Object.keys(pageSaw).sort()).toEqual(ROWS.map((r) => r.path.slice(1)).sort());
  });

  it.each(ROWS)("$path: the page saw $pageSaw, CORS Doctor says $verdict $id", (row) => {
    expect(pageSaw[row.path.slice(1)]).toMatch(row.pageSaw);
    const entries = analysis.entries.filter((e) => new URL(e.url).pathname === row.path);
    const request = entries.find((e) => e.diagnosis.role !== "preflight")!;
    expect(request.diagnosis.verdict).toBe(row.verdict);
    if (row.id) expect(request.diagnosis.blockedBy?.id).toBe(row.id);
    if (row.words) expect([request.diagnosis.blockedBy?.detail, ...(request.diagnosis.assumptions ?? [])].join(" ")).toMatch(row.words);
    // The preflight of the refused PUT is paired with it (Firefox writes the PUT first) and carries the same failure.
    if (row.path === "/refused-put") {
      expect(entries.map((e) => e.diagnosis.role).sort()).toEqual(["actual", "preflight"]);
      expect(request.diagnosis.pairedWith).not.toBeNull();
    }
  });
});
