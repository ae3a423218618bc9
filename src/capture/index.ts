// Live capture, pure: webRequest events → per-tab exchange records → diagnosed CapturedExchange items.
export { Capture, DEFAULT_MAX_EXCHANGES_PER_TAB, STORE_PREFIX, type CaptureChanges, type TabChanges } from "./capture";
export type { WebRequestDetails, WebRequestEvent, WebRequestEventName, WebRequestHeader } from "./events";
export { LiveLog, type FlushResult, type TabCounts } from "./live-log";
export { recordId, toExchange, type RequestRecord, type Hop } from "./record";
export { badgeFor, type Badge } from "./badge";
