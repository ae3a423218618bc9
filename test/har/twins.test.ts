// A request Chrome's file holds twice (src/core/har/group.ts `twinOf`): the network's record (Origin, Sec-Fetch-*,
// the response, no end) and the worker's own (only the headers it set, and how the request ended), as the matrix2
// recording of a service worker's fetches has them (test/fixtures/matrix2/chromium.har, `init-sw-*`). Read together
// they are one request with the network's headers and the worker's end; anything short of the whole signature stays
// two requests. Each row runs through the whole-file reader (the panel) and the streaming one (the CLI).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { analyzeHarSource } from "../../src/cli/analyze-pipeline";
import { analyzeHar } from "../../src/core/har/analyze";
import { TWIN_ASSUMPTION } from "../../src/core/har/group";
import { entry, har, type EntrySpec } from "./helpers";

const PAGE = "https://app.test";
const API = "https://api.test/data";
const SW = { type: "script", stack: { callFrames: [{ url: `${PAGE}/sw.js`, lineNumber: 2, columnNumber: 130 }] } };
const NETWORK_HEADERS = { Origin: PAGE, "Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "cross-site", Host: "api.test" };
const WORKER_HEADERS = { "User-Agent": "Chrome", Referer: `${PAGE}/` };

/** The network's record: its headers and the response, no end (Chrome gives it time 0). */
const network = (spec: EntrySpec = {}) =>
  entry("GET", API, {
    type: "fetch",
    initiator: SW,
    req: NETWORK_HEADERS,
    status: 200,
    res: { "Content-Type": "text/plain" },
    time: 0,
    ...spec,
  });
/** The worker's record: the headers it set and how it ended. */
const worker = (spec: EntrySpec = {}) =>
  entry("GET", API, { type: "fetch", initiator: SW, req: WORKER_HEADERS, status: 0, error: "net::ERR_FAILED", time: 7, ...spec });

interface Row {
  name: string;
  entries: unknown[];
  creator?: string;
  /** One request (both entries say the same, blocked by `blocked`), or two apart. */
  read: { as: "one"; blocked: string | null } | { as: "two" };
}

const rows: Row[] = [
  { name: "network record first, then the worker's failure", entries: [network(), worker()], read: { as: "one", blocked: "acao-missing" } },
  {
    name: "the worker's failure first, then the network record",
    entries: [worker(), network()],
    read: { as: "one", blocked: "acao-missing" },
  },
  {
    name: "a response that passes the check, worker's record ended with it",
    entries: [network({ res: { "Access-Control-Allow-Origin": PAGE } }), worker({ status: 200, error: undefined })],
    read: { as: "one", blocked: null },
  },
  {
    name: "'*' on a request that failed: the credentialed reading",
    entries: [network({ res: { "Access-Control-Allow-Origin": "*" } }), worker()],
    read: { as: "one", blocked: "acao-wildcard-with-credentials" },
  },
  { name: "started 60 ms apart (beyond the clock slack)", entries: [network(), worker({ at: 60 })], read: { as: "two" } },
  {
    name: "made by another script (the page's own request its worker answered)",
    entries: [network(), worker({ initiator: { type: "script", stack: { callFrames: [{ url: `${PAGE}/app.js` }] } } })],
    read: { as: "two" },
  },
  {
    name: "another URL",
    entries: [
      network(),
      entry("GET", `${API}?page=2`, { type: "fetch", initiator: SW, req: WORKER_HEADERS, status: 0, error: "net::ERR_FAILED" }),
    ],
    read: { as: "two" },
  },
  {
    name: "another method",
    entries: [network(), entry("POST", API, { type: "fetch", initiator: SW, req: WORKER_HEADERS, status: 0, error: "net::ERR_FAILED" })],
    read: { as: "two" },
  },
  { name: "both carry the network headers (two requests)", entries: [network(), worker({ req: NETWORK_HEADERS })], read: { as: "two" } },
  { name: "neither carries them", entries: [network({ req: WORKER_HEADERS }), worker()], read: { as: "two" } },
  { name: "the network record failed itself", entries: [network({ error: "net::ERR_FAILED" }), worker()], read: { as: "two" } },
  { name: "no initiator on either", entries: [network({ initiator: undefined }), worker({ initiator: undefined })], read: { as: "two" } },
  { name: "a file Firefox wrote", entries: [network(), worker()], creator: "Firefox", read: { as: "two" } },
];

async function streamed(doc: unknown) {
  const run = analyzeHarSource(Readable.from([Buffer.from(JSON.stringify(doc))]), { worker: false });
  const rows = [];
  for await (const batch of run.batches) rows.push(...batch);
  return rows;
}

describe("a request Chrome's file holds twice", () => {
  it.each(rows)("$name", async ({ entries, creator, read }) => {
    const doc = har(entries, creator);
    const whole = analyzeHar(doc);
    const rowsOf = [whole.entries, await streamed(doc)];
    for (const list of rowsOf) {
      expect(list.map((r) => r.index)).toEqual([0, 1]);
      if (read.as === "one") {
        const [a, b] = list.map((r) => r.diagnosis);
        expect(a).toEqual(b);
        expect(a!.verdict).toBe(read.blocked ? "blocked" : "allowed");
        expect(a!.blockedBy?.id ?? null).toBe(read.blocked);
        expect(a!.assumptions).toContain(TWIN_ASSUMPTION);
      } else {
        for (const r of list) expect(r.diagnosis.assumptions ?? []).not.toContain(TWIN_ASSUMPTION);
        expect(list.map((r) => r.diagnosis)).not.toEqual(list.map(() => list[0]!.diagnosis));
      }
    }
    expect(whole.exchanges.length).toBe(read.as === "one" ? 1 : 2);
  });

  it("reads the pair as one with other requests written between them, in both readers", async () => {
    const other = entry("GET", `${PAGE}/app.js`, { type: "script", req: { "Sec-Fetch-Mode": "no-cors" }, at: 1 });
    const doc = har([network(), other, other, worker({ at: 2 })]);
    for (const list of [analyzeHar(doc).entries, await streamed(doc)]) {
      expect(list.map((r) => r.index)).toEqual([0, 1, 2, 3]);
      expect(list[0]!.diagnosis).toEqual(list[3]!.diagnosis);
      expect(list[3]!.diagnosis.blockedBy?.id).toBe("acao-missing");
    }
  });

  it("the network record alone never reads as a response another extension rewrote", () => {
    // Before the pair was read as one, this record said "allowed" with the response-header-rewritten finding.
    const [a] = analyzeHar(har([network(), worker()])).entries;
    expect(a!.diagnosis.findings.map((f) => f.id)).not.toContain("response-header-rewritten");
  });
});
