// sameJson (src/capture/live-log.ts): the lint pass's "did this exchange's diagnosis change" test. It must say
// "same" exactly when the two values serialize alike up to key order, or an open panel would keep a stale row
// (a missed change) or receive rows that did not change (a false one).
import { describe, expect, it } from "vitest";
import { sameJson } from "../../src/capture/live-log";

const finding = { id: "acao-missing", severity: "error", title: "t", detail: "d", request: "actual" };

describe("sameJson", () => {
  const cases: [string, unknown, unknown, boolean][] = [
    ["same primitives", "a", "a", true],
    ["different strings", "a", "b", false],
    ["number and string", 1, "1", false],
    ["null and an object", null, {}, false],
    ["null and null", null, null, true],
    ["an undefined property is absent", { a: 1, b: undefined }, { a: 1 }, true],
    ["… on either side", { a: 1 }, { a: 1, b: undefined }, true],
    ["a null property is not absent", { a: 1, b: null }, { a: 1 }, false],
    ["key order does not matter", { a: 1, b: 2 }, { b: 2, a: 1 }, true],
    ["an extra key", { a: 1 }, { a: 1, c: 0 }, false],
    ["a missing key", { a: 1, c: 0 }, { a: 1 }, false],
    ["same keys, one value differs deep down", { f: [{ ...finding }] }, { f: [{ ...finding, detail: "e" }] }, false],
    ["equal nested arrays", { f: [finding, { ...finding }] }, { f: [{ ...finding }, finding] }, true],
    ["arrays of different length", [1, 2], [1, 2, 3], false],
    ["array order matters", [1, 2], [2, 1], false],
    ["an array and an object with index keys", [1], { 0: 1 }, false],
    ["empty array and empty object", [], {}, false],
    ["a finding added", { findings: [finding] }, { findings: [finding, { ...finding, id: "vary-missing" }] }, false],
    ["false and absent", { a: false }, {}, false],
  ];
  it.each(cases)("%s", (_name, a, b, same) => {
    expect(sameJson(a, b)).toBe(same);
    expect(sameJson(b, a)).toBe(same);
  });

  it("agrees with comparing JSON text on generated diagnoses and their one-field mutations", () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const value = (depth: number): unknown => {
      const k = rand(depth > 2 ? 4 : 6);
      if (k === 0) return rand(3);
      if (k === 1) return ["a", "b", ""][rand(3)];
      if (k === 2) return [true, false, null][rand(3)];
      if (k === 3) return undefined;
      if (k === 4) return Array.from({ length: rand(3) }, () => value(depth + 1) ?? null);
      const o: Record<string, unknown> = {};
      for (let i = rand(4); i > 0; i--) o[["id", "title", "verdict", "findings", "x"][rand(5)]!] = value(depth + 1);
      return o;
    };
    let compared = 0;
    for (let i = 0; i < 2000; i++) {
      const a = value(0) ?? null;
      const b = JSON.parse(JSON.stringify(a));
      expect(sameJson(a, b)).toBe(true);
      const c = value(0) ?? null;
      // Key order aside, JSON text equality is the reference (both sides built in the same key order by JSON.parse).
      const ordered = (v: unknown) =>
        JSON.stringify(JSON.parse(JSON.stringify(v)), (_k, x) =>
          x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
        );
      expect(sameJson(a, c)).toBe(ordered(a) === ordered(c));
      compared++;
    }
    expect(compared).toBe(2000);
  });
});
