// Types for record-chromium.mjs.
import type { Scenario } from "./scenarios.mjs";
export interface Matrix2Verdicts {
  browser: string;
  version: string;
  recordedAt: string;
  cases: Record<string, any>;
}
export declare function recordChromium(options: {
  scenarios: Scenario[];
  withExtension?: boolean;
  /** Run the cases with DevTools open on the tab. */
  devtools?: boolean;
  precise?: boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<{ har: any; verdicts: Matrix2Verdicts }>;
