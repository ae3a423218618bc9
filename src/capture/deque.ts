// An array with O(1) removal at the front: the per-tab log evicts its oldest exchange on every new one
// once a flood of requests reached the bound, so Array#shift (O(n)) would make a flood quadratic.
export class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Inserts keeping the order given by `before` (new items are almost always the newest). */
  insertSorted(item: T, before: (a: T, b: T) => boolean): void {
    let i = this.items.length;
    while (i > this.head && before(item, this.items[i - 1]!)) i--;
    this.items.splice(i, 0, item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Newest first, at most `limit` items. */
  *newest(limit = Infinity): Generator<T> {
    for (let i = this.items.length - 1, n = 0; i >= this.head && n < limit; i--, n++) yield this.items[i]!;
  }

  /** Removes one item wherever it is (rare: linear). */
  remove(item: T): boolean {
    const i = this.items.indexOf(item, this.head);
    if (i < 0) return false;
    this.items.splice(i, 1);
    return true;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
