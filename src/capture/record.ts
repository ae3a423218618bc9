// One webRequest request (one requestId) as observed, and how records become the engine's Exchange.
// Records are plain JSON so they can be written to storage.session as they are and restored after the
// service worker was stopped.
import type { Exchange, Header, Leg, Outcome, PreflightExchange, RequestTimings } from "../core/model";
import { reasonPhrase } from "./headers";

/** One URL of a request: Chromium and Firefox keep the requestId across redirects, each hop is a leg. */
export interface Hop {
  url: string;
  method: string;
  requestHeaders?: Header[];
  statusCode?: number;
  statusLine?: string;
  responseHeaders?: Header[];
  /** Set by onBeforeRedirect: the next hop starts at this URL. */
  redirectUrl?: string;
  ip?: string;
  fromCache?: boolean;
  /** The browser's timestamp of this hop's first event; pairs a preflight with the hop it precedes. */
  tick: number;
  timings: HopTimings;
}

/** Event timestamps (epoch ms) of one hop. */
export interface HopTimings {
  start: number;
  sendHeaders?: number;
  headersReceived?: number;
  responseStarted?: number;
  end?: number;
}

/**
 * - actual: a request the page made (the exchange the user sees);
 * - preflight: an OPTIONS carrying Access-Control-Request-Method, folded into its actual request's leg;
 * - pending-options: an OPTIONS whose request headers were not seen yet, so it is not known which of the two it is;
 * - candidate: a cross-origin request of a type that is a CORS request only if it carries Origin (fonts…).
 */
export type RecordRole = "actual" | "preflight" | "pending-options" | "candidate";

export interface RequestRecord {
  requestId: string;
  tabId: number;
  frameId: number;
  documentId?: string;
  type: string;
  initiatorOrigin: string | null;
  role: RecordRole;
  /** Start order (the browser's numeric requestId), assigned once. */
  seq: number;
  hops: Hop[];
  state: "in-flight" | "completed" | "failed";
  error?: string;
  /** Actual requests: the preflight record id per hop index. */
  preflights?: Record<number, string>;
  /** Preflights: the actual request and hop it belongs to. */
  preflightFor?: { requestId: string; hop: number };
  /** Bumped by every event applied: what was derived from an older revision is stale. */
  rev?: number;
}

export function recordId(requestId: string): string {
  return `r${requestId}`;
}

export function currentHop(record: RequestRecord): Hop {
  return record.hops[record.hops.length - 1]!;
}

function responseOf(hop: Hop): Leg["response"] {
  if (hop.statusCode === undefined) return undefined;
  const statusText = reasonPhrase(hop.statusLine);
  return {
    status: hop.statusCode,
    ...(statusText !== undefined ? { statusText } : {}),
    headers: hop.responseHeaders ?? [],
  };
}

function preflightOf(record: RequestRecord): PreflightExchange {
  const hop = record.hops[0]!;
  const response = responseOf(hop);
  return {
    request: { method: hop.method, url: hop.url, headers: hop.requestHeaders ?? [] },
    ...(response ? { response } : {}),
    ...(record.error !== undefined ? { error: record.error } : {}),
    ref: recordId(record.requestId),
    timings: timingsOf(hop),
  };
}

function outcomeOf(record: RequestRecord): Outcome {
  if (record.state === "failed") return { kind: "failed", error: record.error ?? "unknown error" };
  if (record.state === "completed") return { kind: "completed" };
  return { kind: "unknown" };
}

/** The Exchange the engine diagnoses: legs in order, each with the preflight that preceded it. */
function timingsOf(hop: Hop): RequestTimings {
  const t = hop.timings;
  return {
    start: t.start,
    ...(t.sendHeaders !== undefined ? { sendHeaders: t.sendHeaders } : {}),
    ...((t.headersReceived ?? t.responseStarted) !== undefined ? { headersReceived: (t.headersReceived ?? t.responseStarted)! } : {}),
    ...(t.end !== undefined ? { end: t.end } : {}),
  };
}

export function toExchange(
  record: RequestRecord,
  lookup: (requestId: string) => RequestRecord | undefined,
  observedBy: Exchange["observedBy"],
): Exchange {
  const legs: Leg[] = record.hops.map((hop, index) => {
    const response = responseOf(hop);
    const preflightId = record.preflights?.[index];
    const preflight = preflightId !== undefined ? lookup(preflightId) : undefined;
    return {
      request: { method: hop.method, url: hop.url, headers: hop.requestHeaders ?? [] },
      ...(response ? { response } : {}),
      ...(preflight ? { preflight: preflightOf(preflight) } : {}),
      ref: recordId(record.requestId),
      timings: timingsOf(hop),
    };
  });
  return {
    initiatorOrigin: record.initiatorOrigin,
    legs,
    outcome: outcomeOf(record),
    observedBy,
    capturedBy: "webRequest",
    resourceType: record.type,
    startedAt: record.hops[0]!.timings.start,
  };
}
