// The batched storage.session writer, against an in-memory area that records each call.
import { describe, expect, it } from "vitest";
import { StorageWriter, type SessionArea } from "../../src/background/storage-writer";

function area(delayMs = 5, fail = false) {
  const data: Record<string, unknown> = {};
  const calls: string[] = [];
  const wait = () => new Promise((r) => setTimeout(r, delayMs));
  const session: SessionArea = {
    async set(items) {
      calls.push(`set ${Object.keys(items).sort().join(",")}`);
      await wait();
      if (fail) throw new Error("QUOTA_BYTES quota exceeded");
      Object.assign(data, items);
    },
    async remove(keys) {
      calls.push(`remove ${keys.sort().join(",")}`);
      await wait();
      for (const k of keys) delete data[k];
    },
  };
  return { data, calls, session };
}

describe("StorageWriter", () => {
  it("is idle at once when nothing was enqueued (or only empty batches)", async () => {
    const { session, calls } = area();
    const writer = new StorageWriter(session, () => {});
    writer.enqueue({}, []);
    await writer.idle();
    expect(calls).toEqual([]);
  });

  it("merges what is enqueued while a write is in flight, last value per key wins", async () => {
    const { session, data, calls } = area();
    const writer = new StorageWriter(session, () => {});
    writer.enqueue({ a: 1 }, []);
    writer.enqueue({ b: 1 }, []);
    writer.enqueue({ b: 2, c: 1 }, ["a"]);
    writer.enqueue({}, ["c"]);
    await writer.idle();
    expect(data).toEqual({ b: 2 });
    expect(calls).toEqual(["set a", "remove a,c", "set b"]);
  });

  it("reports a failed write instead of failing silently", async () => {
    const { session } = area(1, true);
    const errors: string[] = [];
    const writer = new StorageWriter(session, (m) => errors.push(m));
    writer.enqueue({ a: 1 }, []);
    await writer.idle();
    expect(errors).toEqual(["storage.session: QUOTA_BYTES quota exceeded"]);
  });
});
