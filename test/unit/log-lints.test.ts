// A live tab's lint pass starts from the diagnoses it already made (src/capture/live-log.ts): `withLogLints` on
// them must give exactly what `diagnoseLog` gives from scratch, and leave them as they were.
import { describe, expect, test } from "vitest";
import { diagnoseExchange, diagnoseLog, withLogLints } from "../../src/core/diagnose";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";
// @ts-expect-error: a plain ES module of the bench, without types
import { harDocument } from "../../scripts/bench/har-mix.mjs";

const har = parseHar(harDocument({ seed: 11, entries: 3000 }));
const exchanges = harEntriesToExchanges(har.entries, { creator: har.creator, pages: har.pages }).map((g) => g.exchange);

describe("withLogLints", () => {
  for (const fixes of [false, true]) {
    test(`equals diagnoseLog and does not change its input (fixes: ${fixes})`, () => {
      const options = { browser: "chrome" as const, fixes };
      const bases = exchanges.map((e) => diagnoseExchange(e, options));
      const before = JSON.stringify(bases);
      const linted = withLogLints(exchanges, bases, options);
      expect(JSON.stringify(bases)).toBe(before);
      expect(linted).toEqual(diagnoseLog(exchanges, options));
      // The log has cross-request findings, or this would compare two copies of the same thing.
      expect(JSON.stringify(linted)).not.toBe(before);
    });
  }
});
