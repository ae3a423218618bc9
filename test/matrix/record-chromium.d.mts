// Types for record-chromium.mjs.
import type { Scenario } from "./scenarios.mjs";
export interface ChromiumFetchVerdict {
  blocked: boolean;
  errorText?: string;
  corsError?: string;
  failedParameter?: string;
  pageError?: string;
  status?: number;
  responseType?: string;
}
export interface ChromiumVerdict extends ChromiumFetchVerdict {
  console?: string;
  credentials: string;
  cookieSent: boolean;
  fetches: number;
  preflights: number;
  requests: string[];
  perFetch?: ChromiumFetchVerdict[];
}
export interface ChromiumVerdicts {
  browser: string;
  version: string;
  recordedAt: string;
  scenarios: Record<string, ChromiumVerdict>;
  cookieSetup?: boolean[];
}
export declare const CHROMIUM_PATH: string;
export declare function recordChromium(options: {
  scenarios: Scenario[];
  onProgress?: (done: number, total: number) => void;
}): Promise<{ har: any; verdicts: ChromiumVerdicts }>;
