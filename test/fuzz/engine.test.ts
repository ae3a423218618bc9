// Property: for any exchange, the engine returns a well-formed diagnosis and never falls back to its
// internal-error path (diagnoseExchange catches exceptions; reaching that path is a bug here).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { diagnoseExchange, diagnoseLog } from "../../src/core/diagnose";
import type { CorsDiagnosis, Exchange } from "../../src/core/model";
import { FUZZ_TIMEOUT_MS, RUNS, SEED, exchange } from "./arbitraries";
import regressions from "./regressions.json";

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

function checkWellFormed(d: CorsDiagnosis): void {
  expect(d.assumptions?.some((a) => a.startsWith("could not analyse"))).not.toBe(true);
  expect(["allowed", "blocked", "not-cors"]).toContain(d.verdict);
  expect(d.verdict === "blocked").toBe(d.blockedBy !== null);
  if (d.verdict === "not-cors") expect(d.role).toBe("not-cors");
  for (let i = 1; i < d.findings.length; i++) {
    expect(SEVERITY[d.findings[i - 1]!.severity]).toBeLessThanOrEqual(SEVERITY[d.findings[i]!.severity]);
  }
  for (const f of [d.blockedBy, ...d.findings]) {
    if (!f) continue;
    expect(typeof f.id).toBe("string");
    expect(f.title.length).toBeGreaterThan(0);
  }
  // Diagnoses travel through storage, ports and files: they must survive JSON.
  expect(JSON.parse(JSON.stringify(d))).toEqual(d);
}

describe("engine under arbitrary input", () => {
  test(
    "diagnoseExchange: well-formed for any exchange, both browsers",
    () => {
      fc.assert(
        fc.property(exchange, fc.constantFrom("chrome" as const, "firefox" as const), (ex, browser) => {
          checkWellFormed(diagnoseExchange(ex, { browser }));
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test(
    "diagnoseLog: one diagnosis per exchange",
    () => {
      fc.assert(
        fc.property(fc.array(exchange, { maxLength: 6 }), (exs) => {
          const ds = diagnoseLog(exs);
          expect(ds).toHaveLength(exs.length);
          ds.forEach(checkWellFormed);
        }),
        { numRuns: Math.max(1000, Math.floor(RUNS / 10)), seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  test.each(regressions as Array<{ name: string; exchange: unknown }>)("regression: $name", ({ exchange: ex }) => {
    checkWellFormed(diagnoseExchange(ex as Exchange));
  });
});
