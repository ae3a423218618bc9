// The observed facts the engine reasons about, and the diagnosis it returns.
// Everything here is plain data (JSON-serialisable) so the same values travel between the
// background worker, the panel, storage, HAR files and the CLI.

/** One header line exactly as observed. Repeated headers stay separate lines. */
export interface Header {
  name: string;
  value: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Header[];
}

export interface HttpResponse {
  status: number;
  statusText?: string;
  headers: Header[];
}

export type CredentialsMode = "omit" | "same-origin" | "include";
export type RequestMode = "cors" | "no-cors" | "same-origin" | "navigate";
export type BrowserName = "chrome" | "firefox";

/** Event times (epoch milliseconds) of one request, where the capture saw them. */
export interface RequestTimings {
  start: number;
  sendHeaders?: number;
  headersReceived?: number;
  end?: number;
}

/** The preflight the browser sent for one leg, and what came back. */
export interface PreflightExchange {
  request: HttpRequest;
  /** Absent when the preflight itself failed below HTTP (connection refused, reset…). */
  response?: HttpResponse;
  /** The network error string of the preflight, if any (e.g. "net::ERR_CONNECTION_REFUSED"). */
  error?: string;
  /** Where the preflight came from: a HAR entry index or a live record id. */
  ref?: number | string;
  timings?: RequestTimings;
}

/**
 * One leg of the actual request: the request to one URL and its response. A redirect response
 * (3xx with Location) is followed by the next leg. A leg may carry the preflight that preceded it.
 */
export interface Leg {
  request: HttpRequest;
  /** Absent when the request never got a response (blocked before sending, or a network error). */
  response?: HttpResponse;
  preflight?: PreflightExchange;
  ref?: number | string;
  timings?: RequestTimings;
}

/** What the browser did with the request, where that is known. */
export type Outcome = { kind: "failed"; error: string } | { kind: "completed" } | { kind: "unknown" };

/** Everything observed about one cross-origin (or possibly cross-origin) request. */
export interface Exchange {
  /** The page's origin that made the request (serialised), or null when unknown. */
  initiatorOrigin: string | null;
  /** Request legs in order; the first is the request as the page issued it. */
  legs: Leg[];
  outcome: Outcome;
  /** Which browser observed the outcome: Firefox reports blocked simple requests as completed. */
  observedBy?: BrowserName | "unknown";
  /**
   * "webRequest": captured live by the extension's listeners. Chromium's webRequest and its DevTools name some
   * failures differently (measured, matrix2): a Local Network Access refusal of a preflight is a bare
   * net::ERR_FAILED to webRequest and ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS to DevTools; another extension's
   * block of a preflight is net::ERR_BLOCKED_BY_CLIENT to webRequest and a bare net::ERR_FAILED to DevTools.
   */
  capturedBy?: "webRequest";
  /** Known from the capture (e.g. DevTools), otherwise inferred. */
  credentials?: CredentialsMode;
  mode?: RequestMode;
  /** webRequest type or HAR _resourceType: "xmlhttprequest", "fetch", "main_frame", "image"… */
  resourceType?: string;
  /** Epoch milliseconds of the first request, when known. */
  startedAt?: number;
  /**
   * Why the browser blocked the request, as Chrome DevTools reports it (CDP `Network.BlockedReason`:
   * "mixed-content", "csp", "corp-not-same-origin", "coep-frame-resource-needs-coep-header",
   * "subresource-filter", "inspector", "content-type", "integrity"…). Absent when not known.
   */
  blockedReason?: string;
  /**
   * The CORS error Chromium itself reported (CDP `corsErrorStatus`), when a capture saw it. The engine
   * then gives Chromium's name rather than its own prediction (Local Network Access errors exist only here).
   */
  corsErrorStatus?: { corsError: string; failedParameter?: string };
  /** What the page itself saw (a page-side observer), e.g. a `securitypolicyviolation` event. */
  pageObserved?: PageObservation;
  /** The fetch() redirect mode, when a page-side observer or the probe knows it. */
  redirectMode?: "follow" | "error" | "manual";
  /** Response header names the page tried to read (`headers.get(name)`), when a page-side observer saw it. */
  readHeaders?: string[];
  /** IP address spaces Chromium reported (CDP `clientSecurityState`, `resourceIPAddressSpace`): "public", "local", "loopback". */
  addressSpace?: { initiator?: string; resource?: string; initiatorIsSecureContext?: boolean };
  /** The address space the page declared, `fetch(url, { targetAddressSpace })` (Local Network Access), when a page-side observer saw it. */
  targetAddressSpace?: AddressSpace;
}

/** Local Network Access address spaces, as `targetAddressSpace` names them. */
export type AddressSpace = "public" | "local" | "loopback";

/** One thing a page-side observer reported about this request. */
export interface PageObservation {
  /** "csp": a securitypolicyviolation event; "mixed-content"; "integrity"; "error": the promise rejected. */
  kind: "csp" | "mixed-content" | "integrity" | "error";
  /** CSP: the violated directive ("connect-src"), and the policy text that forbade it. */
  directive?: string;
  policy?: string;
  /** The page's error message, e.g. "TypeError: Failed to fetch". */
  message?: string;
}

// ---- Output: contracts sections 1, 2 and 5 ----

export type Severity = "error" | "warning" | "info";

export interface Fix {
  stack: string;
  title: string;
  code: string;
  notes?: string;
}

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  detail: string;
  request: "preflight" | "actual";
  header?: string;
  expected?: string;
  actual?: string;
  chromeCorsError?: string;
  failedParameter?: string;
  firefoxReason?: string;
  browsers?: { chrome: "blocks" | "allows"; firefox: "blocks" | "allows" };
  spec?: string;
  fixes?: Fix[];
  /** The console lines each browser prints for this failure (blocking findings only). */
  console?: { chrome?: string; firefox?: string };
}

export type Verdict = "allowed" | "blocked" | "not-cors";

export interface CorsDiagnosis {
  role: "actual" | "preflight" | "not-cors";
  pairedWith: number | string | null;
  verdict: Verdict;
  blockedBy: Finding | null;
  findings: Finding[];
  assumptions?: string[];
}
