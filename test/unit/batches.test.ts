// The relay and the devtools page forward in batches (src/shared/batches.ts): one send per delay, at most `max` items.
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { batched } from "../../src/shared/batches";

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it("sends what was added together, once per delay, and drops what exceeds a batch", () => {
  const sent: number[][] = [];
  const add = batched<number>((items) => sent.push(items), 100, 3);
  for (let i = 0; i < 5; i++) add(i);
  expect(sent).toEqual([]);
  vi.advanceTimersByTime(99);
  expect(sent).toEqual([]);
  vi.advanceTimersByTime(1);
  expect(sent).toEqual([[0, 1, 2]]);
  add(7);
  vi.advanceTimersByTime(100);
  expect(sent).toEqual([[0, 1, 2], [7]]);
  vi.advanceTimersByTime(1000);
  expect(sent).toHaveLength(2);
});

it("an urgent item leaves at once with its batch, and the timer it cancelled sends nothing after", () => {
  const sent: number[][] = [];
  const add = batched<number>((items) => sent.push(items), 100, 3);
  add(1);
  add(2, true);
  expect(sent).toEqual([[1, 2]]);
  vi.advanceTimersByTime(1000);
  expect(sent).toEqual([[1, 2]]);
  add(3, true);
  add(4);
  expect(sent).toEqual([[1, 2], [3]]);
  vi.advanceTimersByTime(100);
  expect(sent).toEqual([[1, 2], [3], [4]]);
});
