// Bounded memory on a big file: 80 MB here (the 200 MB+ run and the speed comparison with JSON.parse
// live in scripts/stress-har-stream.mjs, too slow for the unit suite on two shared cores).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { groupHarStream, readHarFile } from "../../src/cli/har-stream";
import { generateHar } from "./generate";

const dir = mkdtempSync(join(tmpdir(), "har-large-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("streams a 200 MB HAR with bounded RSS and pairs every preflight", async () => {
  const { path, entries } = await generateHar(join(dir, "big.har"), 200 * 1024 * 1024);
  expect(statSync(path).size).toBeGreaterThan(200 * 1024 * 1024);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  let groups = 0;
  let paired = 0;
  let seen = 0;
  for await (const group of groupHarStream(readHarFile(path))) {
    groups++;
    seen += group.entries.size;
    if (group.preflightIndices.length === 1 && group.entryIndices.length === 1 && group.preflightIndices[0]! + 1 === group.entryIndices[0])
      paired++;
    if (groups % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  expect(seen).toBe(entries);
  expect(paired).toBe(entries / 2);
  expect(groups).toBe(entries / 2);
  // Holding the file, even as bytes, would take over 200 MB, and as one string or JSON.parse of it several times that.
  // The byte reader's growth is bounded by its read chunks and GC slack, not by the file: 64–88 MB on an 80 MB file
  // alone, over 100 MB once in a while with the rest of the suite on both cores (V8 lets the heap grow further before
  // collecting when its concurrent marking gets less CPU). So the file is large enough for a bound with room for
  // that slack to still tell a streaming reader from one that holds the file; the 1 GB bench run (under 300 MB)
  // shows it at scale.
  expect((peak - before) / 1048576).toBeLessThan(150);
}, 60_000);
