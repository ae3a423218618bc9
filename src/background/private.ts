// Private windows: a private tab's capture lives in memory only, never in storage.session, and never in the
// same log as normal tabs; it is gone when its tab closes (closing a window closes each of its tabs) or when
// the browser stops the background. How each browser gets there:
// - Chrome builds use "incognito": "split" (scripts/build.mjs): private windows get their own background
//   instance, which sees only their events and cannot be reached from normal windows' pages. That instance
//   (`extension.inIncognitoContext`) keeps its whole capture in memory.
// - Firefox supports only "spanning" (or "not_allowed"): one background sees both, and private events carry
//   `incognito: true`. They go to a second, memory-only capture; panels and reports for a private tab are served
//   from it (the tab's own `incognito` flag decides), and only to a page that is itself in a private window:
//   an extension page in a normal window (the panel opened as a tab, the popup) asking for a private tab by id
//   is answered from the normal capture, which has nothing of it.
import type { SessionArea } from "./storage-writer";

export type MemorySession = SessionArea & { get(keys: null): Promise<Record<string, unknown>> };

/** A storage.session look-alike that keeps everything in this background's memory. */
export function memorySession(): MemorySession {
  const items = new Map<string, unknown>();
  return {
    async get() {
      return Object.fromEntries(items);
    },
    async set(values) {
      for (const [key, value] of Object.entries(values)) items.set(key, value);
    },
    async remove(keys) {
      for (const key of keys) items.delete(key);
    },
  };
}

/** Firefox marks every webRequest event of a private window; Chrome's split instances need no mark. */
export function isPrivateEvent(details: object): boolean {
  return (details as { incognito?: unknown }).incognito === true;
}

/** What the background reads of a message's sender: Firefox fills `tab` for a page in a tab (not the popup). */
export interface AskerLike {
  tab?: { incognito?: boolean };
}

/**
 * Whether the extension page asking is in a private window. A page in a tab has the browser's word
 * (`sender.tab.incognito`), which no message can override; a page without a tab (the popup, a DevTools panel)
 * says it itself with `incognito: extension.inIncognitoContext`. Only this extension's own pages get this far
 * (sender.ts), so that word is our own code's.
 */
export function askerIsPrivate(sender: AskerLike | undefined, message: unknown): boolean {
  if (sender?.tab) return sender.tab.incognito === true;
  return (message as { incognito?: unknown } | null)?.incognito === true;
}

/** Which tabs are private: learnt from events, else asked once from `tabs.get` (a panel may subscribe first). */
export class PrivateTabs {
  private readonly known = new Map<number, boolean>();

  constructor(private readonly lookup: (tabId: number) => Promise<boolean>) {}

  note(tabId: number, isPrivate: boolean): void {
    if (tabId >= 0) this.known.set(tabId, isPrivate);
  }

  async isPrivate(tabId: number): Promise<boolean> {
    const known = this.known.get(tabId);
    if (known !== undefined) return known;
    const found = await this.lookup(tabId).catch(() => false);
    // An event may have marked the tab while we waited: it wins.
    if (!this.known.has(tabId)) this.note(tabId, found);
    return this.known.get(tabId) ?? found;
  }

  forget(tabId: number): void {
    this.known.delete(tabId);
  }
}
