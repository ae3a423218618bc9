// Cookies set outside the tab's log (issue 13, cookies). A login page sets the session cookie and sends the user
// back to the app, whose credentialed fetch goes without it and gets a 401 without CORS headers; or a fetch of the
// previous page set it. Navigations never enter the log, and one clears it, but the browser keeps the cookies: so
// the Set-Cookie lines of the tab's main-frame responses, and of the requests a clear drops, are kept here, across
// navigations, for the cookie rules (src/core/lints/cookies.ts).
// Values are dropped on arrival (only names and attributes are read); stored with the tab's state in
// storage.session, so a restarted worker still knows them. What the browser's cookie store held for a 401/403's URL
// (src/capture/cookie-jar.ts) is kept the same way, marked as read from the store.
import type { CookieSighting } from "../core/lints/cookies";
import type { JarGroup } from "./cookie-jar";
import type { Header } from "../core/model";
import { redactSetCookie } from "../core/redact";
import type { WebRequestDetails } from "./events";
import type { RequestRecord } from "./record";
import type { CookieSightingOfTab } from "../shared/protocol";

/** Per tab: enough for a login flow's redirects and a page's worth of API calls, bounded against a page that loops. */
const MAX_PER_TAB = 50;
const MAX_LINES = 50;
const MAX_LINE = 4096;

/** A sighting as kept (and sent to panels): `afterSeq` is the highest capture order when it arrived. */
export type Seen = CookieSightingOfTab;

/** Sightings placed in a log given the capture order of its exchanges (ascending): each before the first after it. */
export function placeAmong<T extends Seen>(list: readonly T[], seqs: readonly number[]): (Omit<T, "afterSeq"> & { before: number })[] {
  return list.map(({ afterSeq, ...sighting }) => {
    let before = 0;
    while (before < seqs.length && seqs[before]! <= afterSeq) before++;
    return { ...sighting, before };
  });
}

function setCookieLines(headers: readonly { name: string; value?: string }[] | undefined): string[] {
  const out: string[] = [];
  for (const h of headers ?? []) {
    if (h.name.toLowerCase() !== "set-cookie" || typeof h.value !== "string") continue;
    for (const line of h.value.split("\n")) if (out.length < MAX_LINES) out.push(redactSetCookie(line.slice(0, MAX_LINE)));
  }
  return out;
}

export class CookieSightings {
  private readonly byTab = new Map<number, Seen[]>();
  /** Tabs whose sightings changed since `takeChanged` (an open panel keeps them for its export). */
  private readonly changed = new Set<number>();

  /** A main-frame response's headers (HeadersReceived: every hop of a redirect has its own). Returns whether one was kept. */
  noteNavigation(details: WebRequestDetails, afterSeq: number): boolean {
    if (details.tabId < 0 || details.type !== "main_frame") return false;
    return this.add(details.tabId, { afterSeq, url: details.url, setCookie: setCookieLines(details.responseHeaders) });
  }

  /** A record the log drops (a navigation, the user's clear): the cookies its responses set are still there. */
  noteDropped(record: RequestRecord): boolean {
    if (record.role !== "actual") return false;
    const pageOrigin = record.initiatorOrigin ? { pageOrigin: record.initiatorOrigin } : {};
    let kept = false;
    for (const hop of record.hops) {
      const setCookie = setCookieLines(hop.responseHeaders as Header[] | undefined);
      if (this.add(record.tabId, { afterSeq: record.seq, url: hop.url, setCookie, ...pageOrigin })) kept = true;
    }
    return kept;
  }

  /**
   * What the cookie store held for a URL when a response of the tab arrived, placed just before that record
   * (`beforeSeq` is its capture order). A store read that says what the tab's last read of that URL said adds nothing.
   */
  noteJar(tabId: number, beforeSeq: number, url: string, groups: readonly JarGroup[]): boolean {
    const at = url.split(/[?#]/)[0]!;
    const list = this.byTab.get(tabId) ?? [];
    let kept = false;
    for (const group of groups) {
      let last: Seen | undefined;
      for (const s of list) if (s.source === "jar" && s.url === at && s.pageOrigin === group.pageOrigin) last = s;
      if (last && last.setCookie.join("\n") === group.setCookie.join("\n")) continue;
      const pageOrigin = group.pageOrigin ? { pageOrigin: group.pageOrigin } : {};
      if (
        this.add(tabId, { afterSeq: beforeSeq - 1, url: at, setCookie: group.setCookie.slice(0, MAX_LINES), source: "jar", ...pageOrigin })
      )
        kept = true;
    }
    return kept;
  }

  /** The tab's sightings placed in its log (the capture order of each record, in log order). */
  placedIn(tabId: number, seqs: readonly number[]): CookieSighting[] {
    return placeAmong(this.byTab.get(tabId) ?? [], seqs);
  }

  /** What is stored with the tab's state. */
  stored(tabId: number): Seen[] | undefined {
    return this.byTab.get(tabId);
  }

  /** Back from storage after a restart: only well-formed entries, within the bounds. */
  restore(tabId: number, stored: unknown): void {
    if (!Array.isArray(stored)) return;
    const list: Seen[] = [];
    for (const s of stored.slice(-MAX_PER_TAB)) {
      const v = s as Partial<Seen> | null;
      if (!v || typeof v.afterSeq !== "number" || typeof v.url !== "string" || !Array.isArray(v.setCookie)) continue;
      const setCookie = v.setCookie.filter((l): l is string => typeof l === "string").slice(0, MAX_LINES);
      list.push({
        afterSeq: v.afterSeq,
        url: v.url,
        setCookie,
        ...(typeof v.pageOrigin === "string" ? { pageOrigin: v.pageOrigin } : {}),
        ...(v.source === "jar" ? { source: "jar" as const } : {}),
      });
    }
    if (list.length) this.byTab.set(tabId, list);
  }

  removeTab(tabId: number): void {
    this.byTab.delete(tabId);
    this.changed.delete(tabId);
  }

  /** The tabs whose sightings changed since the last call. */
  takeChanged(): number[] {
    const tabs = [...this.changed];
    this.changed.clear();
    return tabs;
  }

  private add(tabId: number, seen: Seen): boolean {
    if (!seen.setCookie.length) return false;
    const list = this.byTab.get(tabId) ?? [];
    list.push({ ...seen, url: seen.url.split(/[?#]/)[0]! });
    if (list.length > MAX_PER_TAB) list.shift();
    this.byTab.set(tabId, list);
    this.changed.add(tabId);
    return true;
  }
}
