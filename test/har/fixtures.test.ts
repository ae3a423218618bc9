// Recorded browser truth (test/fixtures, recorded by scripts/record-matrix.mjs in real Chromium and Firefox ESR):
// every entry is grouped, every preflight is paired with its actual request (or its redirect hop), and per
// scenario the exchanges and preflights match what the recorder saw (fetch() calls, OPTIONS hits).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupHarStream, readHarFile } from "../../src/cli/har-stream";
import { isPreflightEntry } from "../../src/core/har/group";
import { harEntriesToExchanges, parseHar } from "../../src/core/har/read";

const root = join(__dirname, "../fixtures");
const files = ["matrix/chromium.har", "matrix/firefox.har", "devtools/chrome-devtools.har", "devtools/firefox-devtools.har"].filter((f) =>
  existsSync(join(root, f)),
);

interface Scenario {
  fetches: number;
  preflights: number;
}

describe.skipIf(files.length === 0).each(files)("%s", (file) => {
  const path = join(root, file);
  const doc = JSON.parse(readFileSync(path, "utf8"));
  const har = parseHar(doc);
  const groups = harEntriesToExchanges(har.entries, { creator: har.creator, pages: har.pages });

  it("groups every entry exactly once", () => {
    const indices = groups.flatMap((g) => [...g.entryIndices, ...g.preflightIndices]).sort((a, b) => a - b);
    expect(indices).toEqual([...har.entries.keys()]);
  });

  it("pairs every preflight with an actual request or a redirect hop", () => {
    const preflights = har.entries.flatMap((e, i) => (isPreflightEntry(e) ? [i] : []));
    expect(preflights.length).toBeGreaterThan(0);
    for (const group of groups) {
      for (const leg of group.exchange.legs) {
        if (!leg.preflight) continue;
        // Either the leg's own request was exported, or it is a later hop of a chain (blocked, not exported).
        expect(leg.ref !== undefined || group.exchange.legs.indexOf(leg) > 0, `preflight ${leg.preflight.ref} alone`).toBe(true);
      }
    }
    expect(groups.flatMap((g) => g.preflightIndices).sort((a, b) => a - b)).toEqual(preflights);
  });

  const verdictsPath = path.replace(/\.har$/, ".verdicts.json");
  it.skipIf(!existsSync(verdictsPath))("matches the recorder per scenario: one exchange per fetch, every OPTIONS", () => {
    const scenarios = JSON.parse(readFileSync(verdictsPath, "utf8")).scenarios as Record<string, Scenario>;
    const seen = new Map<string, { exchanges: number; preflights: number }>();
    for (const group of groups) {
      const name = /\/m\/([^/?]+)/.exec(group.exchange.legs[0]!.request.url)?.[1];
      if (!name) continue;
      const s = seen.get(name) ?? { exchanges: 0, preflights: 0 };
      s.exchanges++;
      s.preflights += group.preflightIndices.length;
      seen.set(name, s);
    }
    const mismatches = Object.entries(scenarios).flatMap(([name, s]) => {
      const got = seen.get(name);
      return got && got.exchanges === s.fetches && got.preflights === s.preflights
        ? []
        : [{ name, expected: { exchanges: s.fetches, preflights: s.preflights }, got }];
    });
    expect(mismatches).toEqual([]);
  });

  it("streams to the same groups", async () => {
    const streamed = [];
    for await (const { entries: _e, ...group } of groupHarStream(readHarFile(path))) streamed.push(group);
    expect(streamed).toEqual(groups);
  });
});
