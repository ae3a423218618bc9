import type { Scenario } from "./public/scenarios.mjs";
export interface Row {
  scenario: Scenario | null;
  entry: any;
  finding: string;
  verdict: string;
}
export function buttonOf(url: string): string | null;
export function checkReport(har: unknown, browser?: "chrome" | "firefox"): { rows: Row[]; problems: string[]; missing: string[] };
export function formatTable(rows: Row[], browser: "chrome" | "firefox", pageSaw?: Map<string, string>): string;
