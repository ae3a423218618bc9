// Types for truth.mjs.
import type { Scenario } from "./scenarios.mjs";
export interface Truth {
  verdict: "blocked" | "not-blocked" | "cancelled";
  id?: string;
  finding?: string;
  basis: string;
}
export declare function idOfChromiumError(e: string | undefined): string | undefined;
export declare function idOfBlockedReason(r: string | undefined): string | undefined;
export declare function idOfFirefoxError(e: string | undefined): string | undefined;
export declare function chromiumTruth(s: Scenario, rec: any): Truth;
export declare function firefoxTruth(s: Scenario, rec: any): Truth;
