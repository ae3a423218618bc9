// Types for truth.mjs.
import type { Scenario } from "./scenarios.mjs";
export interface Truth {
  verdict: "blocked" | "not-blocked" | "cancelled";
  id?: string;
  finding?: string;
  /** The blocker extension rewrote this case's response headers (its rules file says so). */
  rewritten?: true;
  basis: string;
}
export declare function idOfChromiumError(e: string | undefined): string | undefined;
export declare function idOfBlockedReason(r: string | undefined): string | undefined;
export declare function idOfFirefoxError(e: string | undefined): string | undefined;
export declare function chromiumTruth(s: Scenario, rec: any): Truth;
export declare function firefoxTruth(s: Scenario, rec: any): Truth;
