// The streaming reader: same entries as JSON.parse on normal files, whatever the chunking; one clear error
// (with a byte offset) for everything else; never hangs.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeHarSource } from "../../src/cli/analyze-pipeline";
import { groupHarStream, HarScanner, readHarFile, type HarStreamEntry } from "../../src/cli/har-stream";
import { analyzeHar } from "../../src/core/har/analyze";
import { HarError, harEntriesToExchanges, parseHar } from "../../src/core/har/read";
import { entry, har, preflight } from "./helpers";

describe("the streaming path runs the cookie rules too", () => {
  // The CLI streams; the panel's import reads the file whole (analyzeHar). The cookie rules read the log in order
  // (a Set-Cookie, then the credentialed 401 that went without it): both paths must name the same cookies.
  it.each(["chromium", "firefox"])("matrix2 %s recording: the same cookie-* findings per entry as analyzeHar", async (browser) => {
    const path = `test/fixtures/matrix2/${browser}.har`;
    const cookieIds = (rows: { index: number; diagnosis: { findings: { id: string }[] } }[]) =>
      rows
        .map((r) => [r.index, r.diagnosis.findings.map((f) => f.id).filter((id) => id.startsWith("cookie-"))] as const)
        .filter(([, ids]) => ids.length > 0);
    const rows = [];
    const run = analyzeHarSource(path, { worker: false });
    for await (const batch of run.batches) rows.push(...batch);
    const whole = cookieIds(analyzeHar(JSON.parse(readFileSync(path, "utf8"))).entries);
    expect(whole.length).toBeGreaterThanOrEqual(6);
    expect(cookieIds(rows)).toEqual(whole);
  });
});

const dir = mkdtempSync(join(tmpdir(), "har-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${fileCount++}.har`);
  writeFileSync(path, content);
  return path;
}

async function collect(source: string | NodeJS.ReadableStream) {
  const stream = readHarFile(source);
  const entries: HarStreamEntry[] = [];
  for await (const e of stream) entries.push(e);
  return { entries, creator: stream.creator, pages: stream.pages };
}

async function failure(source: string | NodeJS.ReadableStream): Promise<HarError> {
  try {
    await collect(source);
  } catch (error) {
    expect(error).toBeInstanceOf(HarError);
    expect((error as Error).message).not.toContain("\n");
    return error as HarError;
  }
  throw new Error("expected a HarError");
}

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000/api";

const tricky = entry("POST", `${API}/weird?q="x"`, {
  req: { Origin: PAGE, "X-Quote": 'a "quoted" \\ value \\', "X-Unicode": "é—😀", "X-Escapes": '\\"\n\t\u0001' },
  res: { "Content-Type": "application/json" },
});
(tricky.response as Record<string, unknown>).content = { size: 10, mimeType: "application/json", text: '{"nested":["]","}",{"\\"":1}]}' };

const documents: Record<string, unknown> = {
  chrome: har([preflight(API, "PUT", PAGE), entry("PUT", API, { req: { Origin: PAGE }, at: 6 }), tricky], "WebInspector", [
    { id: "page_1", title: PAGE + "/" },
  ]),
  firefox: har([entry("GET", API, { req: { Origin: PAGE } })], "Firefox"),
  empty: har([]),
  "creator after entries, extra keys, unicode key escape": {
    log: {
      entries: [entry("GET", API)],
      "\u0063reator": { name: "Firefox", version: "1" },
      _custom: [1, "]", { "}": null }],
      browser: { name: "x", version: "1" },
    },
    other: true,
  },
};

describe("readHarFile gives the same entries as JSON.parse", () => {
  for (const [name, doc] of Object.entries(documents)) {
    for (const [layout, text] of [
      ["compact", JSON.stringify(doc)],
      ["pretty", JSON.stringify(doc, null, 2)],
    ] as const) {
      it(`${name} (${layout})`, async () => {
        const expected = parseHar(doc);
        const got = await collect(file(text));
        expect(got.entries.map((e) => e.entry)).toEqual(expected.entries);
        expect(got.entries.map((e) => e.index)).toEqual(expected.entries.map((_, i) => i));
        expect(got.creator).toBe(expected.creator);
        expect(got.pages).toEqual(expected.pages ?? []);
      });
    }
  }

  it("whatever the chunk boundaries (escapes and multi-byte characters split)", () => {
    const bytes = Buffer.from(JSON.stringify(documents.chrome, null, 1));
    const expected = parseHar(documents.chrome).entries;
    for (let seed = 1; seed <= 40; seed++) {
      const scanner = new HarScanner();
      const got: unknown[] = [];
      let at = 0;
      let state = seed;
      while (at < bytes.length) {
        state = (state * 1103515245 + 12345) & 0x7fffffff;
        const size = 1 + (state % (seed < 10 ? 3 : 97));
        scanner.write(bytes.subarray(at, at + size));
        got.push(...scanner.take().map((e) => e.entry));
        at += size;
      }
      scanner.end();
      // An entry cut by a chunk boundary is read once enough bytes have come: the last ones at the end.
      got.push(...scanner.take().map((e) => e.entry));
      expect(got).toEqual(expected);
    }
  });

  it("reads from a stream (stdin) too", async () => {
    const got = await collect(Readable.from([Buffer.from(JSON.stringify(documents.firefox))]));
    expect(got.entries).toHaveLength(1);
    expect(got.creator).toBe("Firefox");
  });

  it("tolerates a UTF-8 BOM", async () => {
    const got = await collect(file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(documents.chrome))])));
    expect(got.entries).toHaveLength(3);
  });
});

describe("readHarFile reports one clear error", () => {
  const text = JSON.stringify(documents.chrome);
  const rows: Array<[string, () => string | NodeJS.ReadableStream, RegExp]> = [
    ["UTF-16 LE with BOM", () => file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])), /UTF-16.*must be UTF-8/],
    ["UTF-16 BE with BOM", () => file(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()])), /UTF-16/],
    ["UTF-16 LE without BOM", () => file(Buffer.from(text, "utf16le")), /UTF-16/],
    ["gzip", () => file(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])), /gzip-compressed/],
    [
      "binary (PNG)",
      () => file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
      /not a HAR file: expected a JSON object but found byte 0x89 at byte 0/,
    ],
    ["a JSON array", () => file("[1,2]"), /not a HAR file: expected a JSON object but found '\[' at byte 0/],
    ["empty", () => file(""), /empty input/],
    ["whitespace only", () => file("  \n"), /truncated JSON|empty input|no log/],
    [
      "truncated inside an entry",
      () => file(text.slice(0, text.indexOf('"method":"PUT"') + 12)),
      /^truncated JSON: input ends at byte \d+ inside entries\[1\]$/,
    ],
    ["truncated inside a string", () => file(text.slice(0, 20)), /^truncated JSON: input ends at byte 20 inside/],
    ["no log", () => file('{"entries":[]}'), /HAR has no log/],
    ["entries not an array", () => file('{"log":{"entries":{}}}'), /log.entries is not an array \(at byte 18\)/],
    [
      "entry not an object",
      () => file('{"log":{"entries":[{"request":{"method":"GET","url":"x"}}, 42]}}'),
      /entries\[1\] is not an object \(at byte 59\)/,
    ],
    [
      "invalid entry structure",
      () => file('{"log":{"entries":[{"request":{"method":"GET","url":"x","headers":{}}}]}}'),
      /^entries\[0\].request.headers is not an array/,
    ],
    ["data after the end", () => file(text + " {}"), /unexpected data after the end of the document at byte \d+/],
    ["mismatched bracket", () => file('{"log":{"entries":[}]}'), /invalid JSON: unexpected '}' at byte 19/],
    ["NUL byte outside strings", () => file('{"log":\u0000{"entries":[]}}'), /unexpected byte 0x00 at byte 7/],
    [
      "deep nesting",
      () => file(`{"log":{"entries":[${"[".repeat(100_000)}`),
      /nesting is deeper than 256 levels at byte \d+|entries\[0\] is not an object/,
    ],
    [
      "deep nesting inside an entry",
      () => file(`{"log":{"entries":[{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}]}}`),
      /JSON nesting is deeper than 256 levels at byte 276/,
    ],
    ["missing file", () => join(dir, "nope.har"), /cannot read .*nope\.har: no such file/],
    ["a directory", () => dir, /cannot read .*: it is a directory/],
  ];
  it.each(rows)("%s", async (_name, source, message) => {
    const error = await failure(source());
    expect(error.message).toMatch(message);
  });

  it("points at the broken entry with a byte offset", async () => {
    const good = JSON.stringify(entry("GET", API));
    const content = `{"log":{"entries":[${good},{"request":{"method":"GET","url":x}}]}}`;
    const error = await failure(file(content));
    const start = content.indexOf(',{"request"') + 1;
    expect(error.message).toMatch(/^invalid JSON in entries\[1\] at byte \d+$/);
    expect(error.offset).toBeGreaterThanOrEqual(start);
    expect(error.offset).toBeLessThanOrEqual(content.indexOf('url":x') + 6);
  });

  it("does not quote the input (it may hold secrets)", async () => {
    const error = await failure(file(`{"log":{"entries":[{"request":{"Authorization":"Bearer SECRET123" x}}]}}`));
    expect(error.message).not.toContain("SECRET123");
  });
});

describe("groupHarStream", () => {
  const doc = har([
    entry("GET", PAGE + "/", { type: "document" }),
    entry("PUT", API, { req: { Origin: PAGE }, status: 0, error: "net::ERR_FAILED", at: 10, time: 30 }),
    preflight(API, "PUT", PAGE, { at: 11, res: { "Access-Control-Allow-Origin": PAGE } }),
    entry("GET", API + "/r", { req: { Origin: PAGE }, status: 302, redirectURL: API + "/s", at: 50 }),
    preflight(API + "/lonely", "DELETE", PAGE, { at: 60 }),
    entry("GET", API + "/s", { req: { Origin: PAGE }, at: 55, error: "net::ERR_FAILED" }),
  ]);

  it("gives the same groups as the batch reader, each with its entries", async () => {
    const parsed = parseHar(doc);
    const batch = harEntriesToExchanges(parsed.entries, { creator: parsed.creator });
    const streamed = [];
    for await (const group of groupHarStream(readHarFile(file(JSON.stringify(doc))), { window: 3 })) streamed.push(group);
    expect(streamed.map(({ entries: _e, ...g }) => g)).toEqual(batch);
    expect(streamed[1]!.entries.get(2)?.request.method).toBe("OPTIONS");
  });

  it("analyzeHarSource rows equal analyzeHar's, in entry order", async () => {
    const rows = [];
    const run = analyzeHarSource(file(JSON.stringify(doc)), { window: 3 });
    for await (const batch of run.batches) rows.push(...batch);
    expect(rows).toEqual(analyzeHar(doc).entries);
    expect(run.finish()).toEqual({ findings: [], omitted: 0 });
  });
});
