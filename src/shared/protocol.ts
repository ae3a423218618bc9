// Messages between the background worker and the extension pages (panel, popup, automation).
// Data flows one way: capture → exchange records → diagnosis → views. Pages never reach into capture;
// they only ask for snapshots, subscribe to updates, and send the two user commands (clear, preserve log).
import type { CorsDiagnosis, Exchange } from "../core/model";
import type { ArmReason } from "../capture/arming";

/** One captured cross-origin request of a tab, with its preflight folded in, as the engine diagnosed it. */
export interface CapturedExchange {
  /** Stable within the tab, e.g. "r123" (the webRequest requestId of the actual request). */
  id: string;
  /** Start order within the tab; the list and the export are sorted by it. */
  seq: number;
  tabId: number;
  exchange: Exchange;
  /** Diagnosis of the actual request; `pairedWith` is the preflight's record id, or null. */
  diagnosis: CorsDiagnosis;
  /** False while the request is still in flight. */
  complete: boolean;
}

export interface TabSnapshot {
  tabId: number;
  items: CapturedExchange[];
  /** How many of the oldest exchanges were dropped to stay within the per-tab bound. */
  evicted: number;
  preserveLog: boolean;
  /** False when host permissions are not granted (Firefox may leave them off): nothing can be captured. */
  hostPermission: boolean;
  /** Listener registrations that failed, reported instead of capturing silently nothing. */
  captureErrors: string[];
  /** Whether the tab is being captured, and why (issue 16). Absent from snapshots of older builds. */
  arming?: { armed: boolean; reason: ArmReason | null };
  /** Cookies set outside the tab's log (names and attributes only), for the exported report. */
  cookieSightings?: CookieSightingOfTab[];
}

/**
 * A cookie sighting of a live tab (src/capture/cookie-sightings.ts): a Set-Cookie seen outside the log, or what the
 * browser's cookie store held, placed after the exchanges whose `seq` is at most `afterSeq`.
 */
export interface CookieSightingOfTab {
  afterSeq: number;
  url: string;
  pageOrigin?: string;
  setCookie: string[];
  source?: "jar";
}

/** Where a tab stands with arming, and the settings that decide it (popup, panel). */
export interface ArmingStatus {
  tabId: number;
  armed: boolean;
  /** "user": panel, toolbar click or switch; "site": the page is on the site list; "all-tabs": the switch. */
  reason: ArmReason | null;
  sites: string[];
  allTabs: boolean;
}

/**
 * Arming messages (runtime.sendMessage): ask where a tab stands; arm or disarm it as the user (panel opened,
 * toolbar click, the popup's switch); replace the settings (answers with the patterns it could not read).
 */
export type ArmingRequest =
  | { type: "cors-doctor:arming"; tabId: number }
  | { type: "cors-doctor:arm"; tabId: number; armed: boolean }
  | { type: "cors-doctor:arming-settings"; sites: string[]; allTabs: boolean };

/** Name of the long-lived port a panel opens with runtime.connect. */
export const PANEL_PORT = "cors-doctor:panel";

/**
 * Pages that have no tab of their own (the popup, a DevTools panel) say whether they are in a private window
 * (`extension.inIncognitoContext`): Firefox serves a private tab's capture only to such a page
 * (src/background/private.ts). A page in a tab need not: the browser tells the background.
 */
export interface AskerContext {
  incognito?: boolean;
}

export type PanelToBackground = (
  | { type: "subscribe"; tabId: number }
  | { type: "clear"; tabId: number }
  | { type: "set-preserve-log"; tabId: number; value: boolean }
) &
  AskerContext;

export type BackgroundToPanel =
  | { type: "snapshot"; snapshot: TabSnapshot }
  | { type: "upsert"; tabId: number; items: CapturedExchange[]; evicted: number; cookieSightings?: CookieSightingOfTab[] }
  | { type: "remove"; tabId: number; ids: string[]; evicted: number }
  | { type: "cleared"; tabId: number };

/** The message the page-side observer's relay sends (src/content/relay.ts): reports as untrusted JSON text. */
export const PAGE_REPORTS_MESSAGE = "cors-doctor:page-reports";

/**
 * The message the devtools page sends (src/devtools/index.ts, Chromium): page reports, as JSON text, for requests
 * only DevTools saw (src/capture/devtools-entries.ts), about the tab DevTools inspects.
 */
export const DEVTOOLS_REPORTS_MESSAGE = "cors-doctor:devtools-reports";

/**
 * Precise mode (src/background/precise.ts, Chromium): `on` sets it (the popup asks for the `debugger` permission first);
 * without it, the answer is only the state. `available`: the permission is granted (chrome.debugger exists).
 */
export const PRECISE_MESSAGE = "cors-doctor:precise";
export interface PreciseRequest {
  type: typeof PRECISE_MESSAGE;
  on?: boolean;
}
export interface PreciseStatus {
  on: boolean;
  available: boolean;
  /** The tabs precise mode is attached to now. */
  attachedTabs: number[];
}

/** One-shot runtime messages (contracts §6 and the popup). */
export type RuntimeRequest = (
  | { type: "cors-doctor:report"; tabId: number; includeSecrets?: boolean }
  | { type: "cors-doctor:snapshot"; tabId: number }
) &
  AskerContext;
