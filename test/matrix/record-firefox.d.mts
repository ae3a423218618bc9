// Types for record-firefox.mjs.
import type { Scenario } from "./scenarios.mjs";
export interface FirefoxFetchVerdict {
  blocked: boolean;
  pageError?: string;
  status?: number;
  responseType?: string;
}
export interface FirefoxVerdict extends FirefoxFetchVerdict {
  reason?: string;
  reasons?: string[];
  console?: string;
  warning?: string;
  warningReason?: string;
  credentials: string;
  cookieSent: boolean;
  fetches: number;
  preflights: number;
  requests: string[];
  perFetch?: FirefoxFetchVerdict[];
}
export interface FirefoxVerdicts {
  browser: string;
  version: string;
  recordedAt: string;
  scenarios: Record<string, FirefoxVerdict>;
}
export declare const FIREFOX_PATH: string;
export declare const FIREFOX_PREFS: Record<string, unknown>;
export declare function recordFirefox(options: {
  scenarios: Scenario[];
  onProgress?: (done: number, total: number) => void;
}): Promise<{ har: any; verdicts: FirefoxVerdicts }>;
