// A page can fire thousands of failing requests a second: what the extension forwards about them leaves in batches.

/**
 * Returns `add`: items added are handed to `send` together, `delayMs` after the first of a batch; a batch holds at
 * most `max` items and the ones beyond are dropped (they only add detail). An `urgent` item leaves at once, with
 * the batch it joined.
 */
export function batched<T>(send: (items: T[]) => void, delayMs: number, max: number): (item: T, urgent?: boolean) => void {
  let batch: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const items = batch;
    batch = [];
    if (items.length) send(items);
  };
  return (item, urgent = false) => {
    if (batch.length >= max) return;
    batch.push(item);
    if (urgent) flush();
    else timer ??= setTimeout(flush, delayMs);
  };
}
