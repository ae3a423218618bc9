// The byte-level reader against JSON.parse: the same entries for every HAR the batch reader accepts
// (BOM, HARP wrapper, odd layouts, fields broken at random), one HarError where the batch reader has one.
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeHarSource } from "../../src/cli/analyze-pipeline";
import { HarScanner, readHarFile, type HarStreamEntry } from "../../src/cli/har-stream";
import { HarError, parseHar } from "../../src/core/har/read";
import { entry, har, preflight } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "har-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${count++}.har`);
  writeFileSync(path, content);
  return path;
}

async function collect(path: string) {
  const stream = readHarFile(path);
  const entries: HarStreamEntry[] = [];
  for await (const e of stream) entries.push(e);
  return { entries: entries.map((e) => e.entry), creator: stream.creator };
}

/** Reads `bytes` fed in chunks of `size` bytes (entries cut anywhere). */
function scanInChunks(bytes: Buffer, size: number) {
  const scanner = new HarScanner();
  const got: unknown[] = [];
  for (let at = 0; at < bytes.length; at += size) {
    scanner.write(bytes.subarray(at, at + size));
    got.push(...scanner.take().map((e) => e.entry));
  }
  scanner.end();
  got.push(...scanner.take().map((e) => e.entry));
  return got;
}

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000/api";
const doc = har(
  [
    preflight(API, "PUT", PAGE),
    entry("PUT", API, { req: { Origin: PAGE }, at: 6 }),
    entry("GET", `${API}/é?q="1"`, { req: { Origin: PAGE } }),
  ],
  "WebInspector",
);
const text = JSON.stringify(doc);
const expected = parseHar(doc).entries;

describe("encodings and wrappers", () => {
  const rows: Array<[string, Buffer]> = [
    ["UTF-8 byte-order mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ["HARP: onInputData({...});", Buffer.from(`onInputData(${text});`)],
    ["HARP without the semicolon, with whitespace and newlines", Buffer.from(`onInputData (\n${JSON.stringify(doc, null, 2)}\n)\n`)],
    ["HARP with a BOM and a dotted callback name", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`window.har_1(${text})`)])],
  ];
  it.each(rows)("%s: same entries as JSON.parse, whatever the chunking", async (_name, bytes) => {
    expect((await collect(file(bytes))).entries).toEqual(expected);
    for (const size of [1, 2, 3, 7, 64, 1000]) expect(scanInChunks(bytes, size)).toEqual(expected);
  });

  const broken: Array<[string, string, RegExp]> = [
    [
      "HARP without its closing parenthesis",
      `onInputData(${text}`,
      /truncated JSON: input ends at byte \d+ before the '\)' that closes the HARP wrapper/,
    ],
    ["HARP with data after it", `onInputData(${text}); x`, /unexpected data after the end of the document/],
    ["a name that is not a call", `onInputData ${text}`, /not a HAR file: expected a JSON object but found 'o' at byte 0/],
    ["a closing parenthesis without a wrapper", `${text})`, /unexpected data after the end of the document/],
  ];
  it.each(broken)("%s: one HarError", async (_name, content, message) => {
    await expect(collect(file(content))).rejects.toThrow(message);
  });
});

describe("values CORS never reads are walked over, not built", () => {
  it("bodies, cookies and custom fields of any shape do not change the entries", async () => {
    const heavy = structuredClone(doc) as { log: { entries: Array<Record<string, any>> } };
    for (const e of heavy.log.entries) {
      e.response.content = { size: 3, mimeType: "text/plain", text: 'a "quoted" \\ body ] } é 😀'.repeat(50), encoding: "base64" };
      e.request.postData = { mimeType: "application/json", text: '{"x":[1,2,{"y":"]"}]}', params: [{ name: "a", value: "b" }] };
      e._custom = [1.5e-3, -0, true, false, null, { deep: [[[["x"]]]] }];
      e.request.cookies = [{ name: "s", value: "v", httpOnly: true }];
    }
    expect((await collect(file(JSON.stringify(heavy, null, 3)))).entries).toEqual(expected);
  });

  const invalid: Array<[string, string]> = [
    ["a bad number in a skipped value", text.replace('"headersSize":-1', '"headersSize":-01')],
    ["a bare word in a skipped value", text.replace('"bodySize":0', '"bodySize":nope')],
    ["a missing comma in a skipped object", text.replace('"cache":{}', '"cache":{"a":1 "b":2}')],
    ["a truncated literal", text.replace('"headersSize":-1', '"headersSize":tru')],
  ];
  it.each(invalid)("still rejects %s", async (_name, content) => {
    await expect(collect(file(content))).rejects.toThrow(/invalid JSON in entries\[\d+\] at byte \d+/);
  });
});

describe("same result as the batch reader on HARs broken at random", () => {
  const base = () =>
    har([
      preflight(API, "PUT", PAGE),
      entry("PUT", API, { req: { Origin: PAGE }, at: 6, res: { "Access-Control-Allow-Origin": PAGE } }),
      entry("GET", `${API}/r`, {
        req: { Origin: PAGE },
        status: 302,
        redirectURL: `${API}/s`,
        initiator: { type: "script", stack: { callFrames: [{ url: `${PAGE}/app.js` }] } },
      }),
    ]) as Record<string, any>;
  const paths = fc
    .tuple(
      fc.nat({ max: 3 }),
      fc.constantFrom("request", "response", "_initiator", "_resourceType", "startedDateTime", "time", "pageref", "_corsDoctor"),
      fc.constantFrom("headers", "url", "method", "status", "statusText", "_error", "redirectURL", "stack", "type", "requestId"),
      fc.oneof(fc.nat({ max: 2 }), fc.constantFrom("name", "value", "callFrames", "__proto__")),
    )
    .chain(([i, part, field, sub]) =>
      fc.constantFrom<Array<string | number>>(
        ["log", "entries", i, part],
        ["log", "entries", i, part, field],
        ["log", "entries", i, part, field, sub],
        ["log", "entries", i, part, "headers", 0, String(sub)],
      ),
    );
  const mutation = fc.record({ path: paths, value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string(), fc.constant(undefined)) });

  function apply(root: any, path: Array<string | number>, value: unknown): void {
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      if (node === null || typeof node !== "object") return;
      node = node[path[i] as string];
    }
    if (node === null || typeof node !== "object") return;
    const key = path[path.length - 1] as string;
    if (value === undefined) delete node[key];
    else Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
  }

  it("entries equal JSON.parse + parseHar's, or both give a HarError", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 200 }), (mutations, chunk) => {
        const doc = base();
        for (const m of mutations) apply(doc, m.path, m.value);
        const bytes = Buffer.from(JSON.stringify(doc));
        let want: unknown;
        try {
          want = parseHar(JSON.parse(bytes.toString("utf8"))).entries;
        } catch (error) {
          if (!(error instanceof HarError)) throw error;
          want = HarError;
        }
        let got: unknown;
        try {
          got = scanInChunks(bytes, chunk);
        } catch (error) {
          if (!(error instanceof HarError)) throw error;
          got = HarError;
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});

describe("numbers that become indices are range-checked", () => {
  it("a CORS Doctor report with _corsDoctor.leg 4294967294 streams at once, the record ignored", async () => {
    const own = (leg: number, part: string) => ({ exchange: 0, leg, part, initiatorOrigin: "http://127.0.0.1:3000" });
    const doc = har(
      [
        { ...entry("GET", `${API}/a`, { req: { Origin: PAGE } }), _corsDoctor: own(4294967294, "request") },
        { ...entry("GET", `${API}/b`, { req: { Origin: PAGE } }), _corsDoctor: own(-1, "request") },
        { ...entry("GET", `${API}/c`, { req: { Origin: PAGE } }), _corsDoctor: own(1.5, "request") },
        { ...entry("GET", `${API}/d`, { req: { Origin: PAGE } }), _corsDoctor: own(0, "request") },
      ],
      "CORS Doctor",
    );
    const t0 = performance.now();
    const { entries } = await collect(file(JSON.stringify(doc)));
    expect(entries.map((e) => e.corsDoctor?.leg)).toEqual([undefined, undefined, undefined, 0]);
    const rows = [];
    for await (const batch of analyzeHarSource(file(JSON.stringify(doc))).batches) rows.push(...batch);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
