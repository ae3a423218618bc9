// What the toolbar button says about a tab: blocked requests first (red), warnings otherwise (amber), "on"
// (green) while the tab is armed and nothing is wrong. A tab that is not armed shows nothing, or in grey how
// many of its cross-origin requests failed (the light mode counts failures only), to suggest arming it.
import type { TabCounts } from "./live-log";

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export const BLOCKED_COLOR = "#d93025";
export const WARNING_COLOR = "#f29900";
export const ARMED_COLOR = "#188038";
export const UNARMED_COLOR = "#5f6368";

export interface BadgeArming {
  armed: boolean;
  /** Cross-origin requests that failed while the tab was not armed. */
  failures?: number;
}

export function badgeFor({ blocked, warnings }: TabCounts, arming: BadgeArming = { armed: true }): Badge {
  if (!arming.armed) {
    const failures = arming.failures ?? 0;
    const failed = failures ? `${failures} cross-origin request${failures === 1 ? "" : "s"} failed here. ` : "";
    const title = `CORS Doctor is not recording this tab. ${failed}Click to record it (or open DevTools › CORS), then reload.`;
    return { text: failures ? short(failures) : "", color: UNARMED_COLOR, title };
  }
  const parts: string[] = [];
  if (blocked) parts.push(`${blocked} blocked`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  const title = parts.length
    ? `CORS Doctor: ${parts.join(", ")} — open DevTools › CORS`
    : "CORS Doctor is recording this tab: nothing blocked so far";
  if (blocked) return { text: short(blocked), color: BLOCKED_COLOR, title };
  if (warnings) return { text: short(warnings), color: WARNING_COLOR, title };
  return { text: "on", color: ARMED_COLOR, title };
}

/** The badge fits about four characters. */
function short(n: number): string {
  return n > 999 ? "999+" : String(n);
}
