// The panel's data: the exchanges of one tab, kept in start order, fed either by the background's stream
// (snapshot, then upserts/removes) or by an imported HAR file. Pure functions over plain values.
import type { BackgroundToPanel, CapturedExchange, CookieSightingOfTab } from "../shared/protocol";

export type Source = { kind: "live"; tabId: number } | { kind: "import"; fileName: string; entries: number } | { kind: "none" };

export interface PanelData {
  source: Source;
  items: CapturedExchange[];
  evicted: number;
  preserveLog: boolean;
  hostPermission: boolean;
  captureErrors: string[];
  /** False until the first snapshot arrives for a live source. */
  loaded: boolean;
  /** A live tab's cookies set outside its log, for the export (`log._corsDoctor`). */
  cookieSightings: CookieSightingOfTab[];
}

export function emptyData(source: Source): PanelData {
  return {
    source,
    items: [],
    evicted: 0,
    preserveLog: false,
    hostPermission: true,
    captureErrors: [],
    loaded: source.kind !== "live",
    cookieSightings: [],
  };
}

const bySeq = (a: CapturedExchange, b: CapturedExchange) => a.seq - b.seq;

/** Applies one background message. Messages for another tab are ignored (the port is per tab, but be strict). */
export function applyMessage(data: PanelData, message: BackgroundToPanel): PanelData {
  if (data.source.kind !== "live") return data;
  const tabId = data.source.tabId;
  switch (message.type) {
    case "snapshot": {
      const s = message.snapshot;
      if (s.tabId !== tabId) return data;
      return {
        ...data,
        items: [...s.items].sort(bySeq),
        evicted: s.evicted,
        preserveLog: s.preserveLog,
        hostPermission: s.hostPermission,
        captureErrors: s.captureErrors,
        loaded: true,
        cookieSightings: s.cookieSightings ?? [],
      };
    }
    case "upsert": {
      if (message.tabId !== tabId) return data;
      const byId = new Map(data.items.map((item) => [item.id, item]));
      let appendOnly = true;
      const last = data.items.at(-1)?.seq ?? -Infinity;
      for (const item of message.items) {
        if (byId.has(item.id) || item.seq < last) appendOnly = false;
        byId.set(item.id, item);
      }
      const items = appendOnly ? [...data.items, ...[...message.items].sort(bySeq)] : [...byId.values()].sort(bySeq);
      return { ...data, items, evicted: message.evicted, ...(message.cookieSightings ? { cookieSightings: message.cookieSightings } : {}) };
    }
    case "remove": {
      if (message.tabId !== tabId) return data;
      const gone = new Set(message.ids);
      return { ...data, items: data.items.filter((item) => !gone.has(item.id)), evicted: message.evicted };
    }
    case "cleared":
      if (message.tabId !== tabId) return data;
      return { ...data, items: [], evicted: 0 };
    default:
      return data;
  }
}
