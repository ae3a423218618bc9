// Types for firefox-reasons.mjs.
export interface FirefoxConsoleReason {
  key: string;
  text: string;
  url: string;
  status?: string;
  warning: boolean;
}
export declare function parseFirefoxCorsLine(line: string): FirefoxConsoleReason | null;
