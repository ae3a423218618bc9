// A page can fire thousands of failing requests a second: what the extension forwards about them leaves in batches.

/**
 * Returns `add`: items added are handed to `send` together, `delayMs` after the first of a batch; a batch holds at
 * most `max` items and the ones beyond are dropped (they only add detail).
 */
export function batched<T>(send: (items: T[]) => void, delayMs: number, max: number): (item: T) => void {
  let batch: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const items = batch;
    batch = [];
    send(items);
  };
  return (item) => {
    if (batch.length >= max) return;
    batch.push(item);
    if (scheduled) return;
    scheduled = true;
    setTimeout(flush, delayMs);
  };
}
