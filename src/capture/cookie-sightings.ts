// Cookies set outside the tab's log (issue 13, cookies). A login page sets the session cookie and sends the user
// back to the app, whose credentialed fetch goes without it and gets a 401 without CORS headers; or a fetch of the
// previous page set it. Navigations never enter the log, and one clears it, but the browser keeps the cookies: so
// the Set-Cookie lines of the tab's main-frame responses, and of the requests a clear drops, are kept here, across
// navigations, for the cookie rules (src/core/lints/cookies.ts).
// Values are dropped on arrival (only names and attributes are read); memory only (a restarted worker forgets).
import { withoutCookieValue, type CookieSighting } from "../core/lints/cookies";
import type { Header } from "../core/model";
import type { WebRequestDetails } from "./events";
import type { RequestRecord } from "./record";

/** Per tab: enough for a login flow's redirects and a page's worth of API calls, bounded against a page that loops. */
const MAX_PER_TAB = 50;
const MAX_LINES = 50;
const MAX_LINE = 4096;

interface Seen {
  /** The highest capture order when it arrived: records with a higher one came after it. */
  afterSeq: number;
  url: string;
  pageOrigin?: string;
  setCookie: string[];
}

function setCookieLines(headers: readonly { name: string; value?: string }[] | undefined): string[] {
  const out: string[] = [];
  for (const h of headers ?? []) {
    if (h.name.toLowerCase() !== "set-cookie" || typeof h.value !== "string") continue;
    for (const line of h.value.split("\n")) if (out.length < MAX_LINES) out.push(withoutCookieValue(line.slice(0, MAX_LINE)));
  }
  return out;
}

export class CookieSightings {
  private readonly byTab = new Map<number, Seen[]>();

  /** A main-frame response's headers (HeadersReceived: every hop of a redirect has its own). */
  noteNavigation(details: WebRequestDetails, afterSeq: number): void {
    if (details.tabId < 0 || details.type !== "main_frame") return;
    this.add(details.tabId, { afterSeq, url: details.url, setCookie: setCookieLines(details.responseHeaders) });
  }

  /** A record the log drops (a navigation, the user's clear): the cookies its responses set are still there. */
  noteDropped(record: RequestRecord): void {
    if (record.role !== "actual") return;
    for (const hop of record.hops) {
      const setCookie = setCookieLines(hop.responseHeaders as Header[] | undefined);
      this.add(record.tabId, {
        afterSeq: record.seq,
        url: hop.url,
        setCookie,
        ...(record.initiatorOrigin ? { pageOrigin: record.initiatorOrigin } : {}),
      });
    }
  }

  /** The tab's sightings placed in its log (the capture order of each record, in log order). */
  placedIn(tabId: number, seqs: readonly number[]): CookieSighting[] {
    const list = this.byTab.get(tabId);
    if (!list) return [];
    return list.map(({ afterSeq, url, pageOrigin, setCookie }) => {
      let before = 0;
      while (before < seqs.length && seqs[before]! <= afterSeq) before++;
      return { before, url, setCookie, ...(pageOrigin ? { pageOrigin } : {}) };
    });
  }

  removeTab(tabId: number): void {
    this.byTab.delete(tabId);
  }

  private add(tabId: number, seen: Seen): void {
    if (!seen.setCookie.length) return;
    const list = this.byTab.get(tabId) ?? [];
    list.push({ ...seen, url: seen.url.split(/[?#]/)[0]! });
    if (list.length > MAX_PER_TAB) list.shift();
    this.byTab.set(tabId, list);
  }
}
