// Types for record-firefox.mjs.
import type { Scenario } from "./scenarios.mjs";
import type { Matrix2Verdicts } from "./record-chromium.mjs";
export declare function recordFirefox(options: {
  scenarios: Scenario[];
  withExtension?: boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<{ har: any; verdicts: Matrix2Verdicts }>;
