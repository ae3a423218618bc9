// What the toolbar button says about a tab: blocked requests first (red), warnings otherwise (amber).
import type { TabCounts } from "./live-log";

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export const BLOCKED_COLOR = "#d93025";
export const WARNING_COLOR = "#f29900";

export function badgeFor({ blocked, warnings }: TabCounts): Badge {
  const parts: string[] = [];
  if (blocked) parts.push(`${blocked} blocked`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  const title = parts.length ? `CORS Doctor: ${parts.join(", ")} — open DevTools › CORS` : "CORS Doctor";
  if (blocked) return { text: short(blocked), color: BLOCKED_COLOR, title };
  if (warnings) return { text: short(warnings), color: WARNING_COLOR, title };
  return { text: "", color: WARNING_COLOR, title };
}

/** The badge fits about four characters. */
function short(n: number): string {
  return n > 999 ? "999+" : String(n);
}
