// Batched writes to storage.session: the service worker can be stopped at any moment (browser-recipes §1:
// in-memory state is gone on restart), so capture state is written as it changes, merged per key while a
// write is in flight so a flood costs a few writes per second, not one per event.
export interface SessionArea {
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export class StorageWriter {
  private toSet = new Map<string, unknown>();
  private toRemove = new Set<string>();
  private writing: Promise<void> | null = null;

  constructor(
    private readonly area: SessionArea,
    private readonly onError: (message: string) => void,
  ) {}

  enqueue(set: Record<string, unknown>, remove: string[]): void {
    for (const [key, value] of Object.entries(set)) {
      this.toRemove.delete(key);
      this.toSet.set(key, value);
    }
    for (const key of remove) {
      this.toSet.delete(key);
      this.toRemove.add(key);
    }
    if (!this.writing && (this.toSet.size || this.toRemove.size)) {
      // Cleared in a later microtask, after the assignment (drain may finish synchronously).
      this.writing = this.drain().finally(() => {
        this.writing = null;
      });
    }
  }

  /** Resolves once everything enqueued so far is written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.toSet.size || this.toRemove.size) {
      const set = Object.fromEntries(this.toSet);
      const remove = [...this.toRemove];
      this.toSet.clear();
      this.toRemove.clear();
      try {
        if (remove.length) await this.area.remove(remove);
        if (Object.keys(set).length) await this.area.set(set);
      } catch (error) {
        this.onError(`storage.session: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
