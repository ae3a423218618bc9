// Reads the browser's cookie store for one URL, as the tab that made the request sees it (src/capture/cookie-jar.ts
// says when and why). Both browsers answer with unpartitioned cookies by default; asked with an empty partition key
// they add the partitioned ones of every top-level site (a browser that refuses it keeps the first answer).
// Firefox keeps cookies per container and per private window (the tab's `cookieStoreId`), and needs
// `firstPartyDomain` when first-party isolation is on; Chrome's split incognito instance reads its own store.

interface CookiesApi {
  getAll(details: Record<string, unknown>): Promise<unknown[]>;
}

interface TabsApi {
  get(tabId: number): Promise<{ cookieStoreId?: string }>;
}

export function cookieJarReader(cookies: CookiesApi | undefined, tabs: TabsApi, firefox: boolean) {
  return async (url: string, tabId: number): Promise<unknown[]> => {
    if (!cookies) return [];
    let details: Record<string, unknown> = { url };
    if (firefox) {
      const tab = await tabs.get(tabId).catch(() => null);
      // The tab is gone: nothing to explain any more.
      if (!tab) return [];
      details = { ...details, firstPartyDomain: null, ...(tab.cookieStoreId ? { storeId: tab.cookieStoreId } : {}) };
    }
    const unpartitioned = await cookies.getAll(details);
    const partitioned = await cookies.getAll({ ...details, partitionKey: {} }).catch(() => [] as unknown[]);
    return [...unpartitioned, ...partitioned];
  };
}
