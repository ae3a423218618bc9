// Header lookups against the Fetch standard's "get" read literally: every header whose lower-cased name is
// the key, values trimmed, joined with ", ". Each list is asked three ways, which must agree: outside a
// diagnosis (a scan, or the index of a long list), inside one (the per-diagnosis view), and the reference.
import { describe, expect, test } from "vitest";
import { beginHeaderViews, endHeaderViews, firstValue, get, lineCount, VIEW_NAMES } from "../../src/core/headers";
import type { Header } from "../../src/core/model";

function reference(headers: readonly Header[], name: string): { value: string | null; lines: number } {
  const key = name.toLowerCase();
  const values = headers
    .filter((h) => typeof h?.name === "string" && h.name.toLowerCase() === key)
    .map((h) => String(h.value ?? "").replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ""));
  return { value: values.length === 0 ? null : values.join(", "), lines: values.length };
}

/** Every name of the view, and two that are not in it (scanned as before). */
const NAMES = [...VIEW_NAMES, "x-request-id", "accept"];

/** Spellings a name may arrive in; the Kelvin sign lower-cases to "k", U+0130 to two code units. */
function spellings(name: string): string[] {
  const out = [name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (_, d: string, c: string) => d + c.toUpperCase())];
  if (name.includes("k")) out.push(name.replace("k", "\u212a"));
  if (name.includes("i")) out.push(name.replace("i", "\u0130"));
  return out;
}

/** Neighbours of the same length that must not match (one letter changed), and odd entries. */
const NOISE: Header[] = [
  { name: "Sec-Fetch-Site", value: "cross-site" },
  { name: "Sec-Fetch-Dest", value: "empty" },
  { name: "Accept", value: "*/*" },
  { name: "Host", value: "api.test" },
  { name: "Access-Control-Allow-Originx", value: "nope" },
  { name: "access-control-allow-origi", value: "nope" },
  { name: 42 as unknown as string, value: "not a name" },
  null as unknown as Header,
  { name: "Origin", value: undefined as unknown as string },
];

function lists(name: string): Header[][] {
  const out: Header[][] = [[], NOISE];
  for (const spelled of spellings(name)) {
    out.push([{ name: spelled, value: " https://a.test \t" }]);
    out.push([...NOISE, { name: spelled, value: "one" }, { name: name, value: "two" }]);
  }
  // Longer than the scan limit: the index path outside a diagnosis.
  const long = Array.from({ length: 30 }, (_, i) => ({ name: `X-Filler-${i}`, value: String(i) }));
  out.push([...long, { name: name.toUpperCase(), value: "late" }, { name, value: "later" }]);
  return out;
}

describe("firstValue: the first line's value as written, for the HAR reader's pairing", () => {
  for (const name of [...NAMES, "location", "referer"]) {
    test(`${name}: the same line as lower-casing every name would find`, () => {
      for (const headers of lists(name)) {
        const key = name.toLowerCase();
        const want = headers.find((h) => typeof h?.name === "string" && h.name.toLowerCase() === key)?.value;
        expect(firstValue(headers, name)).toBe(want);
        expect(firstValue(headers, name.toUpperCase())).toBe(want);
      }
    });
  }
  test("no list, no line", () => {
    expect(firstValue(undefined, "origin")).toBeUndefined();
    expect(firstValue([], "origin")).toBeUndefined();
  });
});

describe("get and lineCount", () => {
  for (const name of NAMES) {
    test(`${name}: outside and inside a diagnosis, as the standard reads it`, () => {
      for (const headers of lists(name)) {
        const want = reference(headers, name);
        expect(get(headers, name)).toBe(want.value);
        expect(lineCount(headers, name)).toBe(want.lines);
        beginHeaderViews();
        try {
          // Twice: the second answer comes from the view the first one filled.
          for (let i = 0; i < 2; i++) {
            expect(get(headers, name)).toBe(want.value);
            expect(lineCount(headers, name)).toBe(want.lines);
          }
        } finally {
          endHeaderViews();
        }
      }
    });
  }

  test("a list that grows during a diagnosis is read again; one changed after it ends is never stale", () => {
    const headers: Header[] = [{ name: "Vary", value: "Accept" }];
    beginHeaderViews();
    try {
      expect(get(headers, "vary")).toBe("Accept");
      headers.push({ name: "vary", value: "Origin" });
      expect(get(headers, "vary")).toBe("Accept, Origin");
    } finally {
      endHeaderViews();
    }
    headers[1] = { name: "vary", value: "Cookie" };
    beginHeaderViews();
    try {
      expect(get(headers, "vary")).toBe("Accept, Cookie");
      expect(lineCount(headers, "vary")).toBe(2);
    } finally {
      endHeaderViews();
    }
  });

  test("many lists in one diagnosis each keep their own view", () => {
    const many = Array.from({ length: 40 }, (_, i) => [{ name: "Origin", value: `https://${i}.test` }]);
    beginHeaderViews();
    try {
      for (let round = 0; round < 2; round++) {
        many.forEach((headers, i) => expect(get(headers, "origin")).toBe(`https://${i}.test`));
      }
    } finally {
      endHeaderViews();
    }
  });
});
