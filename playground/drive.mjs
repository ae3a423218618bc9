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
