// Small helpers shared by scripts/start.mjs and scripts/start-firefox.mjs to drive the playground page.

/**
 * Polls `probe` until it returns a truthy value, at most `timeoutMs` (every wait is bounded).
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} probe
 */
export async function waitFor(what, probe, timeoutMs = 10_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error instanceof Error ? error.message : error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * What the page's fetch() returned for each button, as the page shows it (button id → text).
 * Works with Playwright and Puppeteer pages alike (both have `evaluate`).
 * @param {{ evaluate: (fn: () => unknown) => Promise<unknown> }} page
 * @returns {Promise<Map<string, string>>}
 */
export async function pageResults(page) {
  const pairs = /** @type {[string, string][]} */ (
    await page.evaluate(() =>
      [...document.querySelectorAll("li[data-id]")].map((li) => [
        /** @type {HTMLElement} */ (li).dataset.id ?? "",
        li.querySelector("output")?.textContent ?? "",
      ]),
    )
  );
  return new Map(pairs);
}

/**
 * Has the page fetch `url`, whatever the outcome (a warm-up or a probe: what the extension saw of it is what counts).
 * @param {{ evaluate: (fn: (url: string) => unknown, url: string) => Promise<unknown> }} page
 * @param {string} url
 */
export function fetchInPage(page, url) {
  return page.evaluate(
    (u) =>
      fetch(u).then(
        () => {},
        () => {},
      ),
    url,
  );
}

/**
 * Reloads the playground until CORS Doctor's page-side observer is live in it, as it is in a tab opened after the
 * extension started: the observer is registered for the site list while the browser starts, and a page that loaded
 * before that has none until it loads again. The probe is a fetch the page's own CSP stops, which only the observer
 * can report. Works with Playwright and Puppeteer pages alike.
 * @param {{ reload: () => Promise<unknown>, waitForSelector: (s: string, o: { timeout: number }) => Promise<unknown>, evaluate: (fn: (url: string) => unknown, url: string) => Promise<unknown> }} page
 * @param {() => Promise<any>} report the tab's exported report
 * @param {string} outsideCsp an API origin the page's CSP does not list
 */
export async function waitForPageObserver(page, report, outsideCsp) {
  let probe = 0;
  await waitFor(
    "CORS Doctor's page-side observer in the playground's tab",
    async () => {
      await page.reload();
      await page.waitForSelector("body[data-state=ready]", { timeout: 10_000 });
      const url = `${outsideCsp}/api/warm?observer=${probe++}`;
      await fetchInPage(page, url);
      // The observer reports a moment after the failure; give it that before loading the page again.
      for (const until = Date.now() + 1_500; Date.now() < until; await new Promise((r) => setTimeout(r, 150))) {
        const har = await report();
        if (har?.log?.entries?.some((/** @type {{ request: { url: string } }} */ e) => e.request.url === url)) return true;
      }
      return false;
    },
    15_000,
    0,
  );
  // Once more, so that the tab's log starts with the page's own load (a navigation clears it), not with the probe.
  await page.reload();
  await page.waitForSelector("body[data-state=ready]", { timeout: 10_000 });
}
