// The cases both browsers' page-observer tests run: what only the page can tell (its CSP refused the request before
// any webRequest event; its credentials mode; the header it tried to read), and what each must be diagnosed as.
import type { CapturedExchange } from "../../src/shared/protocol";
import { waitFor } from "./helpers/extension";

export const PAGE_OBSERVER_RUN = `async ({ api, tag }) => {
  const out = {};
  out.wildcard = await fetch(api + "/wildcard?run=" + tag, { credentials: "include" }).then((r) => r.status, (e) => e.name);
  const r = await fetch(api + "/expose?run=" + tag);
  out.total = r.headers.get("X-Total-Count");
  return out;
}`;

export const CSP_RUN = `async ({ api, tag }) => fetch(api + "/ok?run=" + tag).then((r) => r.status, (e) => e.name)`;

/** The page-world script wraps fetch at document_start in armed tabs: wait for it before running a case. */
export const OBSERVER_PRESENT = `!String(window.fetch).includes("[native code]")`;

export const itemFor = (items: CapturedExchange[], path: string) => items.find((i) => i.exchange.legs[0]!.request.url.includes(path));

/** Waits for the observer in an armed tab's page: registration follows the restored armed set, so reload until it is in. */
export async function waitForObserver(page: { evaluate(expression: string): Promise<unknown>; reload(): Promise<unknown> }): Promise<void> {
  await waitFor(
    "the page observer in the armed tab",
    async () => {
      if (await page.evaluate(OBSERVER_PRESENT)) return true;
      await page.reload();
      return null;
    },
    20_000,
    300,
  );
}
