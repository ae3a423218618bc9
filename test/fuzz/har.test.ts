// Property: any JSON value, or a real HAR with fields broken at random, gives either a diagnosis for
// every entry or one HarError — never another exception, never a missing entry.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { analyzeHar } from "../../src/core/har/analyze";
import { HarError } from "../../src/core/har/read";
import { FUZZ_TIMEOUT_MS, RUNS, SEED, headerValue } from "./arbitraries";
import regressions from "./har-regressions.json";

function entry(i: number, url: string, status: number, headers: Array<[string, string]>, preflight = false) {
  return {
    startedDateTime: new Date(1_700_000_000_000 + i).toISOString(),
    time: 1,
    ...(preflight ? { _resourceType: "preflight" } : {}),
    request: {
      method: preflight ? "OPTIONS" : "PUT",
      url,
      httpVersion: "HTTP/1.1",
      cookies: [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
      headers: [
        { name: "Origin", value: "http://127.0.0.1:3000" },
        ...(preflight ? [{ name: "Access-Control-Request-Method", value: "PUT" }] : []),
      ],
    },
    response: {
      status,
      statusText: "",
      httpVersion: "HTTP/1.1",
      cookies: [],
      content: { size: 0, mimeType: "" },
      redirectURL: "",
      headersSize: -1,
      bodySize: 0,
      headers: headers.map(([name, value]) => ({ name, value })),
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
}

const baseHar = () => ({
  log: {
    version: "1.2",
    creator: { name: "WebInspector", version: "537.36" },
    pages: [],
    entries: [
      entry(
        0,
        "http://localhost:4000/a",
        204,
        [
          ["Access-Control-Allow-Origin", "http://127.0.0.1:3000"],
          ["Access-Control-Allow-Methods", "PUT"],
        ],
        true,
      ),
      entry(1, "http://localhost:4000/a", 200, [["Access-Control-Allow-Origin", "http://127.0.0.1:3000"]]),
      entry(2, "http://localhost:4000/b", 302, [["Location", "http://127.0.0.1:4001/c"]]),
      entry(3, "http://127.0.0.1:4001/c", 200, []),
    ],
  },
});

/** Paths into the entries, where readers usually trust the structure. */
const targetedPath: fc.Arbitrary<Array<string | number>> = fc
  .tuple(
    fc.nat({ max: 4 }),
    fc.constantFrom("request", "response", "_resourceType", "_initiator", "startedDateTime"),
    fc.constantFrom("headers", "url", "method", "status", "_error", "redirectURL", "cookies", "content"),
    fc.oneof(fc.nat({ max: 3 }), fc.constantFrom("name", "value")),
  )
  .chain(([i, part, field, sub]) =>
    fc.constantFrom<Array<string | number>>(
      ["log", "entries", i, part],
      ["log", "entries", i, part, field],
      ["log", "entries", i, part, field, sub],
      ["log", "entries", i, part, "headers", 0, String(sub)],
    ),
  );

const randomPath = fc.array(
  fc.oneof(
    fc.constantFrom(
      "log",
      "entries",
      "request",
      "response",
      "headers",
      "url",
      "method",
      "status",
      "name",
      "value",
      "creator",
      "_resourceType",
      "redirectURL",
      "_error",
      "pages",
      "_corsDoctor",
    ),
    fc.nat({ max: 5 }),
  ),
  { minLength: 1, maxLength: 6 },
);

/** Sets a path of a real HAR to a random JSON value (missing or mistyped fields). */
const mutation = fc.record({
  path: fc.oneof(targetedPath, randomPath),
  value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), headerValue, fc.constant(undefined)),
});

function applyMutation(root: any, path: Array<string | number>, value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== "object") return;
    node = node[path[i] as string];
  }
  if (node !== null && typeof node === "object") {
    if (value === undefined) delete node[path[path.length - 1] as string];
    else node[path[path.length - 1] as string] = value;
  }
}

function analyzeOrHarError(value: unknown): void {
  try {
    const analysis = analyzeHar(value, { fixes: false });
    const entries = (value as any).log.entries as unknown[];
    expect(analysis.entries).toHaveLength(entries.length);
  } catch (err) {
    if (!(err instanceof HarError)) throw err;
    expect(err.message).not.toContain("\n");
    expect(err.message.length).toBeLessThan(300);
  }
}

describe("HAR reader under arbitrary input", () => {
  test(
    "any JSON value",
    () => {
      fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), analyzeOrHarError), { numRuns: Math.floor(RUNS * 0.3), seed: SEED });
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "a real HAR with fields removed or mistyped",
    () => {
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          const har = baseHar();
          for (const m of mutations) applyMutation(har, m.path, m.value);
          analyzeOrHarError(har);
        }),
        { numRuns: Math.floor(RUNS * 0.3), seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test.each(regressions as Array<{ name: string; har: unknown }>)("regression: $name", ({ har }) => {
    analyzeOrHarError(har);
  });
});
