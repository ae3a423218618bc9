// The browser's cookie store as evidence (issue 13, cookies). A credentialed cross-site fetch that comes back
// 401/403 is most often missing a cookie the user got elsewhere: logging in to the API's site in another tab, or
// before the tab was armed. Capture never saw that Set-Cookie, but the browser still holds the cookie: for such a
// response the background reads the store for the request's URL (src/background/cookie-jar.ts) and this module
// turns what it returns into Set-Cookie-like lines for the cookie rules (src/core/lints/cookies.ts).
// Only names and attributes are read: a value never leaves this module (the line is written `name=`).
import type { WebRequestEvent } from "./events";
import { isCorsByType, scopeOf } from "./scope";

/** What the cookies API returns, as far as it is read (Chromium and Firefox share these fields). */
export interface StoredCookie {
  name: string;
  sameSite?: string;
  secure: boolean;
  hostOnly: boolean;
  domain: string;
  partitionKey?: { topLevelSite?: string } | null;
}

/** A group of stored cookies read under one partition: the sighting the cookie rules read. */
export interface JarGroup {
  /** The partition's top-level site for partitioned cookies; absent for the unpartitioned store. */
  pageOrigin?: string;
  setCookie: string[];
}

/** Bounds against a site with thousands of cookies: the rules need the few the server wanted. */
const MAX_COOKIES = 100;
const MAX_NAME = 256;

/** The store's SameSite values (both browsers) as the attribute a Set-Cookie line would carry; unspecified → none. */
const SAME_SITE: Record<string, string> = { no_restriction: "None", lax: "Lax", strict: "Strict" };

/** Whether the store is worth reading for this event: the response of an armed tab's cross-origin fetch/XHR was 401 or 403. */
export function wantsCookieJar({ event, details: d }: WebRequestEvent): boolean {
  return (
    event === "HeadersReceived" &&
    d.tabId >= 0 &&
    (d.statusCode === 401 || d.statusCode === 403) &&
    d.method !== "OPTIONS" &&
    isCorsByType(d.type) &&
    scopeOf(d) === "cross-origin"
  );
}

/** A name the rules can show as text: no separators, no control characters, bounded. */
function usableName(name: unknown): name is string {
  return typeof name === "string" && name.length > 0 && name.length <= MAX_NAME && !/[;=\s\p{Cc}]/u.test(name);
}

/**
 * The store's answer as Set-Cookie-like lines (`name=; SameSite=…; Secure; Partitioned; Domain=…`), one group per
 * partition, without the cookies named in `except` (the exchange's own response set them: it cannot have gone
 * without them). Malformed items are skipped: the answer is read as untrusted input like any other.
 */
export function jarGroups(answer: unknown, except: ReadonlySet<string> = new Set()): JarGroup[] {
  if (!Array.isArray(answer)) return [];
  const groups = new Map<string, JarGroup>();
  const seen = new Set<string>();
  for (const item of answer.slice(0, MAX_COOKIES * 2)) {
    const c = item as Partial<StoredCookie> | null;
    if (!c || !usableName(c.name) || except.has(c.name) || typeof c.domain !== "string") continue;
    const site = typeof c.partitionKey?.topLevelSite === "string" ? c.partitionKey.topLevelSite : "";
    const domain = c.domain.replace(/^\./, "").toLowerCase();
    // Both browsers may list a cookie twice (asked with and without a partition key): once is enough.
    const key = `${site}\n${domain}\n${c.name}`;
    if (seen.has(key) || seen.size >= MAX_COOKIES) continue;
    seen.add(key);
    const attrs = [
      ...(typeof c.sameSite === "string" && SAME_SITE[c.sameSite] ? [`SameSite=${SAME_SITE[c.sameSite]}`] : []),
      ...(c.secure === true ? ["Secure"] : []),
      ...(site ? ["Partitioned"] : []),
      ...(c.hostOnly === false && domain ? [`Domain=${domain}`] : []),
    ];
    const group = groups.get(site) ?? { ...(site ? { pageOrigin: site } : {}), setCookie: [] };
    group.setCookie.push([`${c.name}=`, ...attrs].join("; "));
    groups.set(site, group);
  }
  return [...groups.values()];
}
