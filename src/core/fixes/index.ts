// STUB (owned by the fixes agent): signature is final.
import type { Fix } from "../model";

/** The facts of the failing request that a recipe is filled with. */
export interface FixContext {
  /** The finding the fix addresses (contracts §1 id). */
  findingId: string;
  /** The page's origin as the browser sent it in `Origin` (may be "null"). */
  origin: string;
  /** The request URL (the API endpoint). */
  url: string;
  /** The actual request's method as sent (case preserved: `patch` stays lower-case). */
  method: string;
  /** Non-safelisted request header names the request sends (lower-case, sorted). */
  requestHeaders: string[];
  /** True when the request is credentialed (credentials mode "include"). */
  credentials: boolean;
  /** The header at fault and the values compared, when the finding has them. */
  header?: string;
  expected?: string;
  actual?: string;
  /** Status of the response at fault (e.g. 401 on the preflight). */
  status?: number;
}

/** Recipes for every stack that applies to this finding, filled with the request's real values. */
export function fixesFor(context: FixContext): Fix[] {
  void context;
  return [];
}
