// The pipeline every surface calls: decide whether CORS applies, infer what is not on the wire,
// walk the exchange as the browser does, reconcile with what the browser reported, then lint.
import type { CheckFailure } from "./checks/failure";
import { walkExchange, type Walk } from "./checks/walk";
import {
  ANY_MODE_BLOCKS,
  NO_RESPONSE_UNRECORDED,
  FAILED_WITHOUT_TEXT,
  nonHttpRedirectTarget,
  notCorsFromError,
  reportedNotCors,
  wouldBeMixedContent,
  wouldNeedLocalNetworkAccess,
  firefoxOrbBlocked,
  corpRefuses,
  type NotCorsFailure,
} from "./checks/not-cors";
import { accessFailureFromCorsError } from "./checks/cors-check";
import { blockingWords } from "./findings/blocking";
import { notCorsWords } from "./findings/not-cors";
import { isNotCorsAdvice, notCorsFixes } from "./fixes/not-cors";
import { chromeConsoleLine, firefoxConsoleLine } from "./findings/console";
import { fixesFor, type FixContext } from "./fixes/index";
import { beginHeaderViews, endHeaderViews, get, lineCount } from "./headers";
import { EXCHANGE_LINTS, type LintFinding } from "./lints/index";
import { crossExchangeLints } from "./lints/log";
import type { CookieSighting } from "./lints/cookies";
import type { BrowserName, CorsDiagnosis, Exchange, Finding, Outcome, Severity } from "./model";
import { isHttpUrl, originOf } from "./origin";
import { normalizeMethod } from "./safelist";

export interface DiagnoseOptions {
  /** Whose behaviour decides the verdict and `blockedBy` (default chrome). */
  browser?: BrowserName;
  /** Attach fix recipes to findings (default true). */
  fixes?: boolean;
  /** diagnoseLog: cookies set by responses outside the log (a live tab's navigations; lints/cookies.ts). */
  cookiesOutsideLog?: readonly CookieSighting[];
}

/**
 * Errors that mean "the CORS machinery refused", as opposed to a network failure, or that do not say which
 * (a file without a reason: the checks decide first, and what they do not explain is said to be unknown).
 */
const CORS_FAILURE_ERRORS = new Set(["net::ERR_FAILED", "NS_ERROR_DOM_BAD_URI", "unknown", NO_RESPONSE_UNRECORDED]);
/** "unknown": a HAR entry with status 0 and no error string — it failed, nobody said why. */
const UNKNOWN_FAILURE = "unknown";

const CANCELLED_ERRORS = new Set(["net::ERR_ABORTED", "NS_BINDING_ABORTED"]);

const NAVIGATION_TYPES = new Set(["main_frame", "sub_frame", "document", "navigation", "outermost_frame"]);
/** Request types that are always no-cors: beacons, pings, CSP reports (webRequest and DevTools names). */
const NO_CORS_TYPES = new Set(["beacon", "ping", "csp_report", "cspviolationreport"]);
/** Request types that are always cors mode when cross-origin. */
const CORS_TYPES = new Set(["xmlhttprequest", "xhr", "eventsource", "websocket"]);

/** Request types made by fetch() or XMLHttpRequest (webRequest and DevTools names). */
const FETCH_TYPES = new Set(["fetch", "xmlhttprequest", "xhr"]);

/** A font's first, cache-only attempt fails like this before the real request (browser-recipes §7). */
const CACHE_ONLY_ERRORS = new Set(["net::ERR_CACHE_MISS"]);

function notCors(reason: string): CorsDiagnosis {
  return { role: "not-cors", pairedWith: null, verdict: "not-cors", blockedBy: null, findings: [], assumptions: [reason] };
}

/** Why CORS does not apply to this exchange, or null when it does. */
function notCorsReason(exchange: Exchange, origin: string | null): string | null {
  const first = exchange.legs[0];
  if (!first) return "no request was recorded";
  if (!isHttpUrl(first.request.url)) return "not an http(s) request";
  if (exchange.resourceType && NAVIGATION_TYPES.has(exchange.resourceType)) return "a navigation: CORS does not apply";
  if (exchange.resourceType && NO_CORS_TYPES.has(exchange.resourceType))
    return `a ${exchange.resourceType} request: always no-cors, CORS does not apply`;
  if (exchange.outcome?.kind === "failed" && CACHE_ONLY_ERRORS.has(exchange.outcome.error)) {
    return `${exchange.outcome.error}: a cache-only attempt (a font's first try); the browser then makes the real request`;
  }
  if (exchange.mode && exchange.mode !== "cors") return `request mode '${exchange.mode}': CORS does not apply`;
  const fetchMode = get(first.request.headers, "sec-fetch-mode");
  if (fetchMode && fetchMode !== "cors") return `Sec-Fetch-Mode: ${fetchMode}: CORS does not apply`;
  if (origin === null) return "no Origin header and no known initiator: not a cross-origin CORS request";
  let crossOrigin = origin === "null";
  for (let i = 0; !crossOrigin && i < exchange.legs.length; i++) crossOrigin = originOf(exchange.legs[i]!.request.url) !== origin;
  if (!crossOrigin) return "same-origin request";
  // A cross-origin GET/HEAD in cors mode always carries Origin; without it this was a no-cors load
  // (<img>, <script>, <link>) — when the headers were captured at all.
  const method = first.request.method.toUpperCase();
  // A fetch/XHR that never got a response shows Chrome's provisional headers only (no Origin): that
  // absence proves nothing (measured: a refused fetch() in Chromium 156).
  const provisional = first.response === undefined && exchange.resourceType !== undefined && FETCH_TYPES.has(exchange.resourceType);
  if (
    !provisional &&
    first.request.headers.length > 0 &&
    get(first.request.headers, "origin") === null &&
    (method === "GET" || method === "HEAD") &&
    !first.preflight
  ) {
    return "no Origin header on a GET: a no-cors load (image, script, stylesheet), CORS does not apply";
  }
  return null;
}

/**
 * Whether the browser can have stopped at this failure: nothing after it was received. A later leg
 * or a response to the blocked request proves the browser went on, so the failure is not the cause.
 */
function stoppedThere(exchange: Exchange, failure: CheckFailure): boolean {
  if (failure.leg < exchange.legs.length - 1) return false;
  if (failure.request === "preflight") return exchange.legs[failure.leg]?.response === undefined;
  return true;
}

/** How every assumption of a credentialed request begins: `withFixes` reads the decision back from it. */
const INCLUDE_ASSUMED = "credentials mode 'include'";

interface Credentials {
  include: boolean;
  /** True when it came from evidence or the capture; false when it is a guess. */
  known: boolean;
  assumption?: string;
}

/** What the wire says about the credentials mode. */
function inferCredentials(exchange: Exchange): Credentials {
  if (exchange.credentials) return { include: exchange.credentials === "include", known: true };
  const first = exchange.legs[0]!;
  if (get(first.request.headers, "cookie") !== null) {
    return { include: true, known: true, assumption: `${INCLUDE_ASSUMED} (the request carried a Cookie header)` };
  }
  const acrh = first.preflight ? get(first.preflight.request.headers, "access-control-request-headers") : null;
  if (get(first.request.headers, "authorization") !== null && first.preflight && !(acrh ?? "").toLowerCase().includes("authorization")) {
    return {
      include: true,
      known: true,
      assumption: `${INCLUDE_ASSUMED} (the browser added Authorization itself, the page did not set it)`,
    };
  }
  return { include: false, known: false };
}

function requestOriginOf(exchange: Exchange): string | null {
  if (exchange.initiatorOrigin) return exchange.initiatorOrigin;
  const sent = get(exchange.legs[0]?.request.headers, "origin");
  return sent ?? null;
}

const UNKNOWN_OUTCOME: Outcome = Object.freeze({ kind: "unknown" });

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A stable insertion sort (as Array.prototype.sort is stable): the lists are short, and sort() allocates. */
function sortBySeverity(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    const f = findings[i]!;
    const rank = SEVERITY_ORDER[f.severity];
    let j = i - 1;
    while (j >= 0 && SEVERITY_ORDER[findings[j]!.severity] > rank) {
      findings[j + 1] = findings[j]!;
      j--;
    }
    findings[j + 1] = f;
  }
}

function fixContext(
  exchange: Exchange,
  walk: Walk,
  origin: string,
  include: boolean,
  f: { id: string; header?: string; expected?: string; actual?: string },
  status?: number,
): FixContext {
  const leg = walk.legs[walk.failure?.leg ?? 0] ?? walk.legs[0];
  const first = exchange.legs[0]!;
  return {
    findingId: f.id,
    origin: leg?.origin ?? origin,
    url: (walk.failure ? exchange.legs[walk.failure.leg]?.request.url : undefined) ?? first.request.url,
    method: normalizeMethod(get(first.preflight?.request.headers, "access-control-request-method") ?? first.request.method),
    requestHeaders: leg?.unsafeHeaders ?? [],
    credentials: include,
    header: f.header,
    expected: f.expected,
    actual: f.actual,
    status,
  };
}

function toBlockingFinding(
  failure: CheckFailure,
  exchange: Exchange,
  origin: string,
  otherBlocks: boolean,
  browser: BrowserName,
  credentialsInclude: boolean,
): Finding {
  const words = blockingWords(failure, origin, credentialsInclude);
  const firstUrl = exchange.legs[0]!.request.url;
  const kind = exchange.resourceType === "xhr" ? "XMLHttpRequest" : "fetch";
  const chrome = chromeConsoleLine(failure, { firstUrl, origin, kind });
  const firefox = firefoxConsoleLine(failure);
  const finding: Finding = {
    id: failure.id,
    severity: "error",
    title: words.title,
    detail: words.detail,
    request: failure.request,
    spec: words.spec,
  };
  if (failure.header) finding.header = failure.header;
  if (failure.expected !== undefined) finding.expected = failure.expected;
  if (failure.actual !== undefined) finding.actual = failure.actual;
  if (failure.chromeCorsError) finding.chromeCorsError = failure.chromeCorsError;
  if (failure.failedParameter !== undefined && failure.chromeCorsError) finding.failedParameter = failure.failedParameter;
  if (failure.firefoxReason) finding.firefoxReason = failure.firefoxReason;
  if (chrome && firefox) finding.console = { chrome, firefox };
  else if (chrome) finding.console = { chrome };
  else if (firefox) finding.console = { firefox };
  if (!otherBlocks) {
    finding.browsers = browser === "chrome" ? { chrome: "blocks", firefox: "allows" } : { chrome: "allows", firefox: "blocks" };
  }
  return finding;
}

function networkFailure(exchange: Exchange, error: string): CheckFailure {
  const legIndex = Math.max(
    0,
    exchange.legs.findIndex((l) => !l.response),
  );
  const leg = exchange.legs[legIndex] ?? exchange.legs[0]!;
  const onPreflight = !!leg.preflight && !leg.preflight.response;
  return {
    id: onPreflight ? "preflight-request-did-not-succeed" : "request-did-not-succeed",
    request: onPreflight ? "preflight" : "actual",
    actual: onPreflight ? (leg.preflight!.error ?? error) : error,
    firefoxReason: "CORSDidNotSucceed2",
    leg: legIndex,
    url: leg.request.url,
  };
}

/** A failure that is not a CORS check, placed on the leg it stopped. */
interface NotCorsBlock extends NotCorsFailure {
  leg: number;
  url: string;
}

/** Places a not-CORS failure on the first leg without a response (where the browser stopped). */
function placed(nc: NotCorsFailure, exchange: Exchange): NotCorsBlock {
  const unanswered = exchange.legs.findIndex((l) => !l.response);
  const leg = unanswered < 0 ? exchange.legs.length - 1 : unanswered;
  const onPreflight = nc.onPreflight ?? (!!exchange.legs[leg]?.preflight && !exchange.legs[leg]!.preflight!.response);
  return { ...nc, onPreflight, leg, url: exchange.legs[leg]?.request.url ?? exchange.legs[0]!.request.url };
}

/** Ids after which Firefox logs "CORS request did not succeed" for a cross-origin request. */
const FIREFOX_DID_NOT_SUCCEED = new Set([
  "not-cors-network-refused",
  "not-cors-network-dns",
  "not-cors-network-tls",
  "not-cors-network-offline",
  "not-cors-network-other",
  "not-cors-blocked-by-client",
]);

function notCorsFinding(nc: NotCorsBlock, exchange: Exchange, origin: string): Finding {
  const targetSpace = exchange.addressSpace?.resource ?? wouldNeedLocalNetworkAccess(exchange) ?? undefined;
  const words = notCorsWords(nc, { url: nc.url, origin, method: normalizeMethod(exchange.legs[0]!.request.method), targetSpace });
  const finding: Finding = {
    id: nc.id,
    severity: "error",
    title: words.title,
    detail: words.detail,
    request: nc.onPreflight ? "preflight" : "actual",
    actual: nc.signal,
    spec: words.spec,
  };
  // Contracts §2: a CorsError only where Chromium reported one (Local Network Access).
  if (nc.chromeCorsError) {
    finding.chromeCorsError = nc.chromeCorsError;
    finding.failedParameter = nc.failedParameter ?? "";
  }
  if (FIREFOX_DID_NOT_SUCCEED.has(nc.id)) finding.firefoxReason = "CORSDidNotSucceed2";
  if (words.console && (words.console.chrome || words.console.firefox)) finding.console = words.console;
  return finding;
}

function notCorsFixContext(exchange: Exchange, origin: string, f: Finding) {
  return {
    findingId: f.id,
    url: exchange.legs[exchange.legs.length - 1]?.request.url ?? "",
    origin,
    signal: f.chromeCorsError ?? f.actual,
    header: f.expected,
    cookieName: f.header === "cookie" ? f.expected : undefined,
    targetSpace: exchange.addressSpace?.resource ?? wouldNeedLocalNetworkAccess(exchange) ?? undefined,
  };
}

/** The last leg is a redirect the browser did not follow: its Location, if any. */
function unfollowedRedirect(exchange: Exchange): { leg: number; location: string } | null {
  const i = exchange.legs.length - 1;
  const response = exchange.legs[i]?.response;
  if (!response || response.status < 300 || response.status >= 400) return null;
  const location = get(response.headers, "location");
  return location === null ? null : { leg: i, location };
}

/**
 * Chrome's HAR marks a request failed with an empty `_error` when a policy stopped it before it left, and keeps no
 * `blockedReason`: measured (matrix2), mixed content and the page's Content-Security-Policy. Mixed content is told
 * from the URLs before this, and another extension's or DevTools' block says net::ERR_BLOCKED_BY_CLIENT, so for a
 * fetch or XHR it is the page's CSP (connect-src); still a prediction, and it says so. For other request types
 * (a script, an image) other directives govern: the file does not say which.
 */
function failedWithoutText(exchange: Exchange): { block: NotCorsBlock; assumption: string } {
  const because =
    "Chrome recorded the failure with an empty error: a policy stopped the request before it left (its HAR keeps no blockedReason), not a CORS check";
  if (exchange.resourceType === undefined || FETCH_TYPES.has(exchange.resourceType)) {
    return {
      block: placed({ id: "not-cors-csp-connect-src", signal: "empty error (Chrome's HAR)", source: "prediction" }, exchange),
      assumption: `${because}; for a fetch or XHR that is the page's Content-Security-Policy (connect-src) once mixed content is ruled out by the URLs (an extension's or DevTools' block would say net::ERR_BLOCKED_BY_CLIENT). The console's "Refused to connect" line confirms it`,
    };
  }
  return {
    block: placed({ id: "not-cors-no-response", signal: "empty error (Chrome's HAR)", source: "prediction" }, exchange),
    assumption: `${because}; for this type of request the file does not say which (most likely a Content-Security-Policy directive of the page): the console line says`,
  };
}

/**
 * Predictions from the URLs and headers alone, for a request that failed without a reason or whose
 * outcome is unknown: the classes a HAR cannot name (Chrome's HAR keeps `errorText` only).
 */
function predictedNotCors(exchange: Exchange, outcomeFailed: boolean): { block: NotCorsBlock; assumption: string } | null {
  const redirect = unfollowedRedirect(exchange);
  if (redirect) {
    const scheme = nonHttpRedirectTarget(redirect.location, exchange.legs[redirect.leg]!.request.url);
    if (scheme) {
      return {
        block: {
          id: "not-cors-redirect-mode",
          signal: `Location: ${scheme}…`,
          source: "prediction",
          leg: redirect.leg,
          url: exchange.legs[redirect.leg]!.request.url,
        },
        assumption: `predicted from the headers: the redirect goes to a ${scheme} URL, which fetch() never follows (Chromium: net::ERR_UNSAFE_REDIRECT)`,
      };
    }
  }
  if (!outcomeFailed) return null;
  if (wouldBeMixedContent(exchange)) {
    return {
      block: placed({ id: "not-cors-mixed-content", signal: "https page → http URL", source: "prediction" }, exchange),
      assumption:
        "predicted from the URLs: an https page calling plain http is blocked before sending (mixed content); the log cannot carry the browser's blockedReason",
    };
  }
  const space = wouldNeedLocalNetworkAccess(exchange);
  if (space) {
    return {
      block: placed({ id: "not-cors-local-network-access", signal: `${space} address`, source: "prediction" }, exchange),
      assumption: `predicted from the URLs: a page on a public name calling a ${space} address needs the Local Network Access permission; Chrome reports it only to DevTools (LocalNetworkAccessPermissionDenied), not in a HAR or to webRequest`,
    };
  }
  // The page declared an address space (a page-side observer saw the fetch option) and nothing came back: Chromium
  // refuses a request whose server is in another space (InvalidLocalNetworkAccess) with a bare net::ERR_FAILED to
  // webRequest (measured, matrix2 lna-target-local).
  const declared = exchange.targetAddressSpace;
  if (declared && declared !== "public" && !anyResponse(exchange)) {
    return {
      block: placed({ id: "not-cors-local-network-access", signal: `targetAddressSpace: "${declared}"`, source: "prediction" }, exchange),
      assumption: `predicted from the page: it called fetch() with targetAddressSpace "${declared}" and the request failed before any response; Chromium refuses such a request when the server is not in that address space (InvalidLocalNetworkAccess) or the user denied the permission, and names which only in DevTools`,
    };
  }
  return null;
}

function policyBlockOfNoCorsLoad(exchange: Exchange, options: DiagnoseOptions): CorsDiagnosis | null {
  const first = exchange.legs[0];
  if (!first || !isHttpUrl(first.request.url)) return null;
  if (exchange.resourceType && NAVIGATION_TYPES.has(exchange.resourceType)) return null;
  const outcome = exchange.outcome;
  const reported = reportedNotCors(exchange);
  const fromError = outcome?.kind === "failed" ? notCorsFromError(outcome.error, exchange) : null;
  // A failed load whose redirect points outside http(s): Firefox names it NS_ERROR_CORRUPTED_CONTENT (data:) for a
  // no-cors fetch too (measured, matrix2), which says nothing by itself; the Location does.
  const redirect = outcome?.kind === "failed" ? unfollowedRedirect(exchange) : null;
  const scheme = redirect ? nonHttpRedirectTarget(redirect.location, exchange.legs[redirect.leg]!.request.url) : null;
  const nonHttp: NotCorsFailure | null = scheme ? { id: "not-cors-redirect-mode", signal: `Location: ${scheme}…`, source: "error" } : null;
  const orb = outcome?.kind === "failed" ? firefoxOrb(exchange, outcome.error) : null;
  const corp = fromError || reported ? null : predictedCorp(exchange);
  const nc =
    reported ?? (fromError && ANY_MODE_BLOCKS.has(fromError.id) ? fromError : null) ?? nonHttp ?? orb?.block ?? corp?.block ?? null;
  if (!nc || !ANY_MODE_BLOCKS.has(nc.id)) return null;
  const origin = exchange.initiatorOrigin ?? get(first.request.headers, "origin") ?? "null";
  const blockedBy = notCorsFinding(placed(nc, exchange), exchange, origin);
  if (options.fixes !== false) blockedBy.fixes = notCorsFixes(notCorsFixContext(exchange, origin, blockedBy));
  return {
    role: "not-cors",
    pairedWith: null,
    verdict: "blocked",
    blockedBy,
    findings: [],
    assumptions: [
      "a no-cors load (CORS does not apply), stopped by a browser policy that applies to every mode",
      ...(nc === orb?.block ? [orb.assumption] : []),
      ...(nc === corp?.block ? [corp.assumption] : []),
    ],
  };
}

/**
 * A no-cors load whose response's Cross-Origin-Resource-Policy refuses the requester (checks/not-cors.ts `corpRefuses`):
 * blocked, when the log cannot say otherwise. Chrome's "completed" is evidence that it was read; Firefox's is not
 * (its HAR writes a response CORP refused as a plain 200, measured in matrix2), nor is a log without outcomes.
 */
function predictedCorp(exchange: Exchange): { block: NotCorsFailure; assumption: string } | null {
  const outcome = exchange.outcome;
  // A failure names its own reason (an error string, or none recorded with no response to read).
  if (outcome?.kind === "failed" || (outcome?.kind === "completed" && exchange.observedBy === "chrome")) return null;
  const last = exchange.legs[exchange.legs.length - 1]!;
  const policy = get(last.response?.headers, "cross-origin-resource-policy");
  const site = get(last.request.headers, "sec-fetch-site");
  const requester = exchange.initiatorOrigin ?? "";
  const sameScheme = requester.split(":")[0] === last.request.url.split(":")[0];
  if (!corpRefuses(get(last.request.headers, "sec-fetch-mode"), site, policy, sameScheme)) return null;
  return {
    block: { id: "not-cors-corp-coep", signal: `Cross-Origin-Resource-Policy: ${policy!.trim()}`, source: "prediction" },
    assumption: `predicted from the headers: a no-cors load (Sec-Fetch-Mode: no-cors) from a ${site} requester, answered with Cross-Origin-Resource-Policy: ${policy!.trim()}, which every browser refuses; the log does not record the browser's own word on it`,
  };
}

/** Firefox's silent ORB block (checks/not-cors.ts `firefoxOrbBlocked`), read from the response it blocked. */
function firefoxOrb(exchange: Exchange, error: string): { block: NotCorsFailure; assumption: string } | null {
  const last = exchange.legs[exchange.legs.length - 1]!;
  const contentType = get(last.response?.headers, "content-type");
  if (!firefoxOrbBlocked(exchange.resourceType, error, last.response?.status, contentType)) return null;
  return {
    block: { id: "not-cors-orb", signal: error, source: "error" },
    assumption: `Firefox reported only ${error} and printed nothing: ORB is inferred from the response (HTTP ${last.response!.status}, Content-Type: ${contentType}), which Firefox blocks for a no-cors ${exchange.resourceType}`,
  };
}

/** Whether the capture proves the request was made in cors mode (not a beacon, form post or no-cors fetch). */
function corsModeKnown(exchange: Exchange): boolean {
  if (exchange.mode === "cors") return true;
  if (exchange.resourceType && CORS_TYPES.has(exchange.resourceType)) return true;
  const first = exchange.legs[0];
  return get(first?.request.headers, "sec-fetch-mode") === "cors" || exchange.legs.some((l) => l.preflight !== undefined);
}

/** The request mode is not in the log and nothing about the request rules out no-cors. */
function modeAmbiguous(exchange: Exchange): boolean {
  if (corsModeKnown(exchange)) return false;
  if (exchange.resourceType && exchange.resourceType !== "fetch" && exchange.resourceType !== "other") return false;
  return exchange.legs[0]!.request.method.toUpperCase() === "POST";
}

/** What the Chromium-reported CORS error said, in the words of the contradiction. */
function rewrittenFinding(
  exchange: Exchange,
  origin: string,
  observed: string,
  browserSaid: string,
  severity: "error" | "warning",
  reported?: { corsError: string; failedParameter?: string },
): Finding {
  const finding: Finding = {
    id: "response-header-rewritten",
    severity,
    request: "actual",
    header: "access-control-allow-origin",
    actual: observed,
    title:
      severity === "error"
        ? "The browser's CORS check saw other headers than the server sent"
        : "The page could read this only because something added or changed its CORS headers",
    detail:
      severity === "error"
        ? `The captured response passes every CORS check for ${origin} (${observed}), yet the browser blocked it (${browserSaid}). Something between the server and the browser's check rewrote the response: typically another extension using declarativeNetRequest to modify headers (webRequest and DevTools show the headers before such changes). Test in a clean profile before changing the server.`
        : `The browser completed this cors-mode request, but the captured headers fail the CORS check (${browserSaid}). An extension (a "CORS unblock" tool, declarativeNetRequest) or a proxy added the headers after they were captured: users without it are blocked. Fix the server so it does not depend on that.`,
  };
  if (reported && !reported.corsError.startsWith("LocalNetwork")) {
    finding.chromeCorsError = reported.corsError;
    finding.failedParameter = reported.failedParameter ?? "";
  }
  void exchange;
  return finding;
}

/** Attaches the recipes for one finding of a diagnosis being made. */
function fillFixes(f: Finding, exchange: Exchange, walk: Walk, origin: string, include: boolean, status: number | undefined): void {
  f.fixes = isNotCorsAdvice(f.id)
    ? notCorsFixes(notCorsFixContext(exchange, origin, f))
    : fixesFor(
        fixContext(exchange, walk, origin, include, f.id === "blocked-if-cors-mode" ? { ...f, id: walk.failure?.id ?? f.id } : f, status),
      );
}

function anyResponse(exchange: Exchange): boolean {
  for (const leg of exchange.legs) if (leg.response !== undefined) return true;
  return false;
}

function diagnoseUnchecked(exchange: Exchange, options: DiagnoseOptions): CorsDiagnosis {
  const browser: BrowserName = options.browser ?? "chrome";
  const otherBrowser: BrowserName = browser === "chrome" ? "firefox" : "chrome";
  const origin = requestOriginOf(exchange);
  const reason = notCorsReason(exchange, origin);
  if (reason || origin === null) return policyBlockOfNoCorsLoad(exchange, options) ?? notCors(reason ?? "no origin");

  const assumptions: string[] = [];
  const extraFindings: Finding[] = [];
  let credentials = inferCredentials(exchange);
  if (credentials.assumption) assumptions.push(credentials.assumption);
  let walk = walkExchange(exchange, origin, credentials.include, browser);
  const outcome: Outcome = exchange.outcome ?? UNKNOWN_OUTCOME;
  // Firefox reports a CORS-blocked simple request as completed: only Chrome's "completed" is evidence.
  const observer = exchange.observedBy ?? "unknown";
  const completedInChrome = outcome.kind === "completed" && observer === "chrome";
  let failure = walk.failure;
  /** The page saw its request fail while the browser reported no end for it (see below). */
  let pageSawFailure = false;
  let notCorsBlock: NotCorsBlock | null = null;
  let verdictOverride: "allowed" | "not-cors" | null = null;

  // A cancelled request (AbortController, navigation, or a redirect not followed with redirect:
  // "manual") is not a CORS decision: judge what was received.
  const cancelled = outcome.kind === "failed" && CANCELLED_ERRORS.has(outcome.error);
  // What the browser said besides the error string (DevTools' blockedReason, a page observer, an LNA
  // CorsError) names the class whatever the headers say: the request never got to the CORS check.
  const reported = reportedNotCors(exchange);
  if (reported) {
    notCorsBlock = placed(reported, exchange);
    if (cancelled)
      assumptions.push(
        `the browser reported ${(outcome as { error: string }).error} for the request, and ${reported.signal} as the reason`,
      );
  } else if (cancelled && redirectBlockedAfterCancel(exchange)) {
    notCorsBlock = redirectBlockedAfterCancel(exchange)!.block;
    const why = redirectBlockedAfterCancel(exchange)!.assumption;
    if (why) assumptions.push(why);
  } else if (cancelled) {
    const error = (outcome as { error: string }).error;
    assumptions.push(cancelledAssumption(exchange, error));
    // Contracts §2: a cancelled request is never a CORS block, even when its headers would fail. What
    // was received and passes (an opaque redirect with redirect: 'manual') stays allowed.
    const received = anyResponse(exchange);
    if (failure || !received) {
      extraFindings.push({
        id: "not-cors-cancelled",
        severity: "info",
        request: failure?.request ?? "actual",
        actual: error,
        title: `Cancelled (${error}): not a CORS block`,
        detail: `The page (an AbortController, a navigation, a closed tab) or the browser cancelled this request; nothing to fix on the server.${failure ? ` Its headers would also fail the CORS check (${failure.id}) had it been read.` : ""}`,
      });
      failure = null;
      verdictOverride = "not-cors";
    }
  } else if (outcome.kind === "failed") {
    const corsError = CORS_FAILURE_ERRORS.has(outcome.error);
    const redirect = failure ? null : unfollowedRedirect(exchange);
    if (outcome.error === NO_RESPONSE_UNRECORDED && failure && failure.id !== "preflight-request-did-not-succeed") {
      // The file records no reason (Firefox's HAR), and a check failed on what was received: that is the reason
      // (Firefox writes a request its preflight's answer refused as never answered; measured, producers fixtures).
      assumptions.push(
        "the file records no reason for the failure (Firefox's HAR has no error field); the headers received fail the check named here, which stops the request",
      );
    } else if (failure?.id === "preflight-request-did-not-succeed") {
      // The preflight failed below HTTP: its own error string (webRequest/HAR) says why.
      const nc = notCorsFromError(failure.actual ?? "", exchange) ?? (corsError ? null : notCorsFromError(outcome.error, exchange));
      if (nc) notCorsBlock = { ...nc, onPreflight: true, leg: failure.leg, url: failure.url };
      else if (failure.actual === "net::ERR_FAILED" && exchange.legs[failure.leg]?.response === undefined) {
        // Measured (matrix2): a preflight that failed inside the browser, with no response and no CORS error (a
        // CORS failure has a response). DevTools (a HAR) says net::ERR_FAILED when another extension blocked it;
        // Chromium's webRequest says net::ERR_BLOCKED_BY_CLIENT then, and net::ERR_FAILED when Local Network Access
        // refused it (DevTools names that one ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS).
        const predicted = predictedNotCors(exchange, true);
        const live = exchange.capturedBy === "webRequest" && exchange.observedBy === "chrome";
        notCorsBlock = predicted?.block ?? {
          id: live ? "not-cors-local-network-access" : "not-cors-blocked-by-client",
          signal: failure.actual,
          source: "prediction",
          onPreflight: true,
          leg: failure.leg,
          url: failure.url,
        };
        assumptions.push(
          predicted?.assumption ??
            (live
              ? "the preflight failed inside the browser (net::ERR_FAILED to webRequest, no response, no CORS error): that is how Chromium's webRequest shows Local Network Access refusing a public page's preflight to a private or loopback address (DevTools names it LocalNetworkAccessPermissionDenied); another extension's block of it would say net::ERR_BLOCKED_BY_CLIENT. If the server is on a public address, DevTools' Network panel shows the real reason"
              : "the preflight failed inside the browser (net::ERR_FAILED, no response, no CORS error): in a DevTools HAR that is typically another extension blocking OPTIONS requests (DevTools names a Local Network Access refusal ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS); the log cannot say more"),
        );
      }
    } else if (
      failure &&
      !corsError &&
      notCorsFromError(outcome.error, exchange) &&
      notCorsFromError(outcome.error, exchange)!.id !== "not-cors-network-other"
    ) {
      // The browser named a failure that is not a CORS check (ORB, CORP, a blocker…): had the CORS check
      // failed, it would have said net::ERR_FAILED / NS_ERROR_DOM_BAD_URI. The browser wins over our walk.
      notCorsBlock = placed(notCorsFromError(outcome.error, exchange)!, exchange);
      failure = null;
    } else if (!failure && redirect && nonHttpRedirectTarget(redirect.location, exchange.legs[redirect.leg]!.request.url)) {
      // A Location outside http(s): Chromium says ERR_UNSAFE_REDIRECT, Firefox NS_ERROR_CORRUPTED_CONTENT (data:)
      // or NS_ERROR_DOM_BAD_URI (about:), measured (matrix2).
      notCorsBlock = {
        id: "not-cors-redirect-mode",
        signal: `Location: ${nonHttpRedirectTarget(redirect.location, exchange.legs[redirect.leg]!.request.url)}…`,
        source: "error",
        leg: redirect.leg,
        url: exchange.legs[redirect.leg]!.request.url,
      };
    } else if (!failure && redirect && redirectBlockedAfterCancel(exchange)) {
      // A redirect the browser refused to follow ended in an error that names something else: Firefox ends a
      // mixed-content hop with NS_ERROR_UNEXPECTED or NS_ERROR_NET_ON_RECEIVING_FROM (measured, matrix2). The hop
      // (https page, plain-http Location) or the page's redirect: 'error' names the class, not the error string.
      const refused = redirectBlockedAfterCancel(exchange)!;
      notCorsBlock = refused.block;
      if (refused.assumption) assumptions.push(refused.assumption);
    } else if (!failure && outcome.error === FAILED_WITHOUT_TEXT) {
      // Chrome's HAR: failed before it left, the policy not recorded. The URLs may still tell (mixed content, LNA).
      const explained = predictedNotCors(exchange, true) ?? failedWithoutText(exchange);
      notCorsBlock = explained.block;
      assumptions.push(explained.assumption);
    } else if (!failure && !corsError) {
      const nc = notCorsFromError(outcome.error, exchange);
      if (nc) notCorsBlock = placed(nc, exchange);
      else failure = networkFailure(exchange, outcome.error);
    } else if (
      !failure &&
      redirect &&
      (exchange.redirectMode === "error" || (exchange.redirectMode === undefined && outcome.error === "net::ERR_FAILED"))
    ) {
      // The 3xx passed the CORS check and was not followed, and Chromium failed the request without a CORS
      // error: redirect: 'error' (measured, matrix2: only net::ERR_FAILED). Checked before guessing credentials.
      notCorsBlock = {
        id: "not-cors-redirect-mode",
        signal: outcome.error,
        source: exchange.redirectMode ? "page" : "prediction",
        leg: redirect.leg,
        url: exchange.legs[redirect.leg]!.request.url,
      };
      if (!exchange.redirectMode)
        assumptions.push(
          `the response is a redirect that passes the CORS check and was not followed, and the browser failed the request (${outcome.error}) without a CORS error: the page used redirect: 'error' (measured: Chromium reports only net::ERR_FAILED)`,
        );
    } else if (!failure && !credentials.known && credentialsCanExplain(exchange)) {
      const withCredentials = walkExchange(exchange, origin, true, browser);
      if (withCredentials.failure && stoppedThere(exchange, withCredentials.failure)) {
        credentials = { include: true, known: false };
        walk = withCredentials;
        failure = withCredentials.failure;
        assumptions.push(`${INCLUDE_ASSUMED} (the request failed, and only a credentialed request fails on these headers)`);
      }
    }
    if (!failure && !notCorsBlock && walk.preflightUnobservedAndNoResponse !== null && wouldBeMixedContent(exchange)) {
      // Mixed content is decided before any preflight: none was sent (measured, matrix2).
      const predicted = predictedNotCors(exchange, true)!;
      notCorsBlock = predicted.block;
      assumptions.push(predicted.assumption);
    }
    // A file that records every preflight but no reason (Firefox's HAR) has none because none was sent.
    if (!failure && !notCorsBlock && walk.preflightUnobservedAndNoResponse !== null && outcome.error !== NO_RESPONSE_UNRECORDED) {
      const leg = exchange.legs[walk.preflightUnobservedAndNoResponse]!;
      failure = { id: "preflight-not-observed", request: "preflight", leg: walk.preflightUnobservedAndNoResponse, url: leg.request.url };
      assumptions.push("the request never left: its preflight failed, but the preflight was not captured");
    }
    if (!failure && !notCorsBlock) {
      const explained = explainFailedWithPassingHeaders(exchange, origin, outcome.error);
      if (explained.block) notCorsBlock = explained.block;
      if (explained.finding) extraFindings.push(explained.finding);
      if (explained.assumption) assumptions.push(explained.assumption);
      if (explained.failure) failure = explained.failure;
    }
  } else if (!failure && exchange.redirectMode === "error" && unfollowedRedirect(exchange)) {
    // Fetch (HTTP-redirect fetch, step 1 of "HTTP fetch"): with redirect: 'error' any redirect is a network error.
    // Firefox's webRequest shows the 3xx as completed and reports nothing else (measured, matrix2); the page said
    // which mode it used, so the 3xx is the whole story.
    const redirect = unfollowedRedirect(exchange)!;
    notCorsBlock = {
      id: "not-cors-redirect-mode",
      signal: "redirect: 'error'",
      source: "page",
      leg: redirect.leg,
      url: exchange.legs[redirect.leg]!.request.url,
    };
  } else if (
    !failure &&
    exchange.redirectMode === undefined &&
    outcome.kind === "completed" &&
    (exchange.resourceType === undefined || FETCH_TYPES.has(exchange.resourceType)) &&
    unfollowedRedirect(exchange)
  ) {
    assumptions.push(unfollowedRedirectReading(exchange, unfollowedRedirect(exchange)!.leg, "ended the request there"));
  } else if (failure && completedInChrome) {
    if (!corsModeKnown(exchange)) {
      // Chrome completed what our checks would block: then it was not a CORS-mode request.
      return notCors(
        "the browser completed the request although its headers fail the CORS check: a no-cors request (e.g. <img>, <script>, a form post)",
      );
    }
    // A cors-mode request that Chrome let the page read although the captured headers fail.
    extraFindings.push(
      rewrittenFinding(
        exchange,
        origin,
        get(exchange.legs[failure.leg]?.response?.headers, "access-control-allow-origin") ?? "no Access-Control-Allow-Origin",
        failure.chromeCorsError ?? failure.id,
        "warning",
      ),
    );
    failure = null;
  } else if (!failure && outcome.kind === "unknown") {
    const predicted = predictedNotCors(exchange, false);
    if (predicted) {
      notCorsBlock = predicted.block;
      assumptions.push(predicted.assumption);
    } else if (exchange.pageObserved?.kind === "error" && !anyResponse(exchange)) {
      // The page's fetch failed, nothing was received, and the browser never reported how the request ended:
      // Firefox does so for a page's request its service worker answered (measured, matrix2
      // init-sw-passthrough-no-acao; the worker's own request is captured apart, with its reason).
      const message = exchange.pageObserved.message ?? "the page's request failed";
      failure = { id: "blocked-reason-unknown", request: "actual", actual: message, leg: 0, url: exchange.legs[0]!.request.url };
      pageSawFailure = true;
      assumptions.push(
        `the page's request failed (${message}) and the browser reported neither a response nor an end for it: a request the page's service worker answered ends so in Firefox (the worker's own request is listed with its reason); otherwise the page's console names the cause`,
      );
    }
  }

  // Issue 15: the log does not show the request mode, and a cross-origin POST with a safelisted body is
  // also what sendBeacon, a form post and fetch(…, {mode: "no-cors"}) send. Only a cors-mode read is
  // blocked: say so as a warning (verdict allowed), not as a block.
  if (
    failure &&
    !notCorsBlock &&
    failure.request === "actual" &&
    outcome.kind !== "failed" &&
    !completedInChrome &&
    modeAmbiguous(exchange)
  ) {
    const words = blockingWords(failure, origin, credentials.include);
    extraFindings.push({
      id: "blocked-if-cors-mode",
      severity: "warning",
      request: "actual",
      ...(failure.header ? { header: failure.header } : {}),
      ...(failure.expected !== undefined ? { expected: failure.expected } : {}),
      actual: failure.actual ?? "",
      title: `Blocked if a script reads it in cors mode: ${words.title}`,
      detail: `${words.detail} A beacon, a form post or a no-cors fetch is not affected (the page does not read the response).`,
      spec: words.spec,
    });
    assumptions.push(
      `request mode unknown (no _resourceType, no Sec-Fetch-Mode): a cross-origin POST with a safelisted body may be a beacon, a form post or a no-cors fetch, which CORS does not govern; in cors mode the browser would block it (${failure.id})`,
    );
    // Not blocked (the evidence does not show a cors-mode read), and still listed with its warning: a
    // "not-cors" verdict would hide the warning from the reports that list CORS requests only.
    failure = null;
  }

  if (failure && !notCorsBlock && outcome.kind === "completed" && observer === "firefox" && !exchange.pageObserved) {
    // Firefox's webRequest and its HAR record a response its CORS check refused exactly like one the page read.
    assumptions.push(
      "blocked is predicted from these headers: Firefox records a response its CORS check refused like one the page read (completed, with status and headers); had the page read it, something changed the headers after they were recorded (another extension's declarativeNetRequest rule)",
    );
  }
  if (walk.preflightFromCache.length > 0) {
    assumptions.push(
      "preflight not observed: the browser reused a cached preflight result (Chrome caches 5 s by default, up to Access-Control-Max-Age)",
    );
  }
  if (walk.incomplete && outcome.kind !== "failed" && !cancelled && !notCorsBlock && !pageSawFailure) {
    assumptions.push("no response yet: the request is still in flight or was cancelled");
  }
  if (!failure && !notCorsBlock && !credentials.known && outcome.kind === "unknown") {
    const withCredentials = walkExchange(exchange, origin, true, browser);
    if (withCredentials.failure) {
      assumptions.push(
        withCredentials.failure.id === "acao-wildcard-with-credentials" ||
          withCredentials.failure.id === "preflight-acao-wildcard-with-credentials"
          ? "credentials mode not seen (no Cookie or Authorization in the log): with Access-Control-Allow-Origin: * it is allowed for credentials: 'same-origin' (fetch's default) or 'omit', and blocked for 'include' (acao-wildcard-with-credentials)"
          : `credentials mode not 'include' (no Cookie header was seen); with credentials the browser would block it: ${withCredentials.failure.id}`,
      );
    }
  }

  // The other browser matters only to say, on a blocked request, whether it would behave differently.
  // Failures that came from the outcome rather than the headers (network errors, uncaptured
  // preflights) say nothing about a difference between browsers.
  // The walk usually knows from the failing step; otherwise walk again as the other browser. (No
  // closures here: one would put this function's variables in a heap context on every call.)
  let blockedBy: Finding | null = null;
  if (notCorsBlock) blockedBy = notCorsFinding(notCorsBlock, exchange, origin);
  else if (failure) {
    const otherBlocks =
      failure !== walk.failure ||
      (walk.otherBrowserBlocks ?? walkExchange(exchange, origin, credentials.include, otherBrowser).failure !== null);
    blockedBy = toBlockingFinding(failure, exchange, origin, otherBlocks, browser, credentials.include);
  }
  if (blockedBy?.firefoxReason === "CORSMultipleAllowOriginNotAllowed" && failure) {
    const leg = exchange.legs[failure.leg];
    const headers = failure.request === "preflight" ? leg?.preflight?.response?.headers : leg?.response?.headers;
    if (headers && lineCount(headers, "access-control-allow-origin") === 1) {
      assumptions.push(
        'one Access-Control-Allow-Origin value repeating the same origin ("X, X"): read as two header lines joined (Firefox\'s webRequest joins them, and Firefox reports two lines as CORSMultipleAllowOriginNotAllowed); sent as one line, Firefox reports CORSAllowOriginNotMatchingOrigin instead',
      );
    }
  }

  const lintContext = { exchange, walk, origin, credentialsInclude: credentials.include, browser, failure };
  // Every lint returns fresh objects (or a shared empty list): they become the findings as they are.
  const findings: Finding[] = extraFindings;
  for (const lint of EXCHANGE_LINTS) {
    const found: LintFinding[] = lint(lintContext);
    for (let i = 0; i < found.length; i++) findings.push(found[i]!);
  }
  if (findings.length > 1) sortBySeverity(findings);

  if (options.fixes !== false) {
    const status = failure?.status;
    if (blockedBy) fillFixes(blockedBy, exchange, walk, origin, credentials.include, status);
    for (const f of findings) if (f.severity !== "info") fillFixes(f, exchange, walk, origin, credentials.include, status);
  }

  const blocked = notCorsBlock !== null || failure !== null;
  const verdict = blocked ? "blocked" : (verdictOverride ?? "allowed");
  return {
    // Contracts §2: a "not-cors" verdict (a cancelled request judged on what was received) has the role too.
    role: verdict === "not-cors" ? "not-cors" : "actual",
    pairedWith: null,
    verdict,
    blockedBy,
    findings,
    assumptions,
  };
}

/** Unless Chromium named a CORS error that credentials cannot cause, 'include' may explain a failure. */
function credentialsCanExplain(exchange: Exchange): boolean {
  const reported = exchange.corsErrorStatus?.corsError;
  return !reported || /WildcardOriginNotAllowed|InvalidAllowCredentials|MethodDisallowed|HeaderDisallowed/.test(reported);
}

/**
 * What a cancelled request is taken for. A 3xx the browser did not follow and then cancelled is, to webRequest and a
 * HAR, the same for redirect: 'manual' (the page got an opaque redirect) and redirect: 'error' (its fetch failed):
 * measured in Chromium (the playground's redirect-mode-error button before the page-side observer was live). Judged
 * as the first; the second is named, with how to tell.
 */
function cancelledAssumption(exchange: Exchange, error: string): string {
  const redirect = exchange.redirectMode === undefined ? unfollowedRedirect(exchange) : null;
  if (!redirect)
    return `the request was cancelled (${error}): redirect: 'manual', an AbortController or a navigation; judged on what was received`;
  return `${unfollowedRedirectReading(exchange, redirect.leg, `cancelled the request (${error})`)}; an AbortController or a navigation remain possible too`;
}

/**
 * The two readings of a 3xx the browser did not follow, when how the page called fetch() was not seen. Firefox's
 * webRequest shows it completed, Chromium's cancelled, for redirect: 'manual' and redirect: 'error' alike (measured:
 * matrix2 and the playground's redirect-mode-error button without the page-side observer).
 */
function unfollowedRedirectReading(exchange: Exchange, leg: number, ended: string): string {
  const status = exchange.legs[leg]!.response!.status;
  return `the browser did not follow the ${status} redirect and ${ended}: judged as redirect: 'manual', where the page gets an opaque redirect. Had the page used redirect: 'error', its fetch failed here, and not for CORS (not-cors-redirect-mode): how the page called fetch() was not seen (the page-side observer tells from the page's next load)`;
}

/**
 * A request cancelled right after a redirect the browser refused to follow: Chromium ends a mixed-content or
 * CSP block of a redirect hop with net::ERR_ABORTED (measured, matrix2), Firefox with NS_ERROR_UNEXPECTED.
 * Only the mixed-content hop (https page, plain-http Location) can be told from redirect: 'manual' by the
 * headers; redirect: 'error' only when the page said so.
 */
function redirectBlockedAfterCancel(exchange: Exchange): { block: NotCorsBlock; assumption?: string } | null {
  const redirect = unfollowedRedirect(exchange);
  if (!redirect) return null;
  const leg = exchange.legs[redirect.leg]!;
  const error = exchange.outcome.kind === "failed" ? exchange.outcome.error : "";
  if (exchange.redirectMode === "error") {
    return { block: { id: "not-cors-redirect-mode", signal: error, source: "page", leg: redirect.leg, url: leg.request.url } };
  }
  if (exchange.redirectMode === "manual") return null;
  let target: string;
  try {
    target = new URL(redirect.location, leg.request.url).href;
  } catch {
    return null;
  }
  const hop: Exchange = { ...exchange, legs: [...exchange.legs, { request: { method: leg.request.method, url: target, headers: [] } }] };
  if (!wouldBeMixedContent(hop) || wouldBeMixedContent({ ...exchange, legs: exchange.legs })) return null;
  return {
    block: {
      id: "not-cors-mixed-content",
      signal: `redirect to ${target.split("?")[0]}`,
      source: "prediction",
      leg: redirect.leg,
      url: target,
    },
    assumption: `the https request was redirected to plain http (${target.split("?")[0]}) and then ended with ${error}: the browser refused the insecure hop (mixed content). Unless the page used redirect: 'manual', which ends the same way`,
  };
}

interface Explanation {
  block?: NotCorsBlock;
  failure?: CheckFailure;
  finding?: Finding;
  assumption?: string;
}

/** Something changed the last leg's headers after capture: the captured `request` (its ACAO `observed`) passes. */
function rewrittenOnLastLeg(exchange: Exchange, request: "actual" | "preflight", observed: string | null): CheckFailure {
  const leg = exchange.legs.length - 1;
  return {
    id: "response-header-rewritten",
    request,
    leg,
    url: exchange.legs[leg]!.request.url,
    header: "access-control-allow-origin",
    actual: observed ?? "",
  };
}

/**
 * The browser failed the request as a CORS failure (or without a reason), and the captured headers pass
 * every check. In order: Chromium said which CORS error (then the response was rewritten after capture),
 * a redirect the page refused, a class the URLs reveal (mixed content, Local Network Access), a response
 * that passes yet was refused (rewritten), and only then "unknown".
 */
function explainFailedWithPassingHeaders(exchange: Exchange, origin: string, error: string): Explanation {
  const last = exchange.legs[exchange.legs.length - 1]!;
  const observedAcao = get(last.response?.headers, "access-control-allow-origin");
  const reported = exchange.corsErrorStatus;
  if (reported && last.response) {
    return {
      failure: {
        ...rewrittenOnLastLeg(exchange, "actual", observedAcao),
        chromeCorsError: reported.corsError,
        failedParameter: reported.failedParameter ?? "",
      },
      assumption: `Chromium reported ${reported.corsError}${reported.failedParameter ? ` (${reported.failedParameter})` : ""}, but the captured response has Access-Control-Allow-Origin ${JSON.stringify(observedAcao ?? "")}: the headers were changed after capture`,
    };
  }
  const redirect = unfollowedRedirect(exchange);
  if (redirect && error !== UNKNOWN_FAILURE) {
    const known = exchange.redirectMode === "error";
    return {
      block: {
        id: "not-cors-redirect-mode",
        signal: error,
        source: known ? "page" : "prediction",
        leg: redirect.leg,
        url: exchange.legs[redirect.leg]!.request.url,
      },
      ...(known
        ? {}
        : {
            assumption: `the response is a redirect that passes the CORS check and was not followed, and the browser failed the request (${error}): the page used redirect: 'error' (measured: Chromium reports net::ERR_FAILED without a CORS error)`,
          }),
    };
  }
  const predicted = predictedNotCors(exchange, true);
  if (predicted) return { block: predicted.block, assumption: predicted.assumption };
  if (error === UNKNOWN_FAILURE) return { assumption: "no response was recorded for part of this request, and no error was given" };
  const preflight = last.preflight?.response;
  if (!last.response && preflight && CORS_FAILURE_ERRORS.has(error)) {
    // The captured preflight passes every check, yet the browser never sent the request and failed it with its CORS
    // error: the preflight's response it checked was not the one captured (measured, matrix2: an extension's
    // declarativeNetRequest rule removing Access-Control-Allow-Origin or -Headers from the OPTIONS response).
    return {
      failure: rewrittenOnLastLeg(exchange, "preflight", get(preflight.headers, "access-control-allow-origin")),
      assumption: `the captured preflight passes every CORS check for ${origin}, but the browser did not send the request and reported ${error}: something (typically an extension using declarativeNetRequest) changed the preflight's headers after capture`,
    };
  }
  if (error === NO_RESPONSE_UNRECORDED && !last.response) {
    // Nothing was received, and the file does not say why (Firefox's HAR): not a CORS header check.
    return { block: placed(notCorsFromError(error, exchange)!, exchange) };
  }
  if (last.response) {
    return {
      failure: rewrittenOnLastLeg(exchange, "actual", observedAcao),
      assumption: `the browser reported ${error}, but the captured response passes every CORS check for ${origin}: something (typically an extension using declarativeNetRequest) changed the headers after capture`,
    };
  }
  // No response was captured, but Chromium named the access check that failed (precise mode): its word, not a guess.
  const named = reported && !last.response ? accessFailureFromCorsError(reported.corsError, reported.failedParameter, origin) : null;
  if (named) {
    return {
      failure: { ...named, request: "actual", leg: exchange.legs.length - 1, url: last.request.url },
      assumption: `Chromium itself reported ${named.chromeCorsError}${named.failedParameter ? ` (${named.failedParameter})` : ""} for this request (precise mode); its response's headers were not captured`,
    };
  }
  // Nothing but the failure was captured: what a service worker's request gives (webRequest has it in no tab, and
  // CORS Doctor lists only its failure event, measured in matrix2), or a request that failed before its headers.
  const nothingCaptured = exchange.legs.every((l) => l.request.headers.length === 0 && !l.response && !l.preflight);
  return {
    failure: { id: "blocked-reason-unknown", request: "actual", actual: error, leg: 0, url: exchange.legs[0]!.request.url },
    assumption: nothingCaptured
      ? `only the failure (${error}) was captured, no request or response headers: a service worker's request arrives like this (webRequest gives it no tab), and ${error} is also what the browser reports for a CORS failure; the worker's own DevTools console (chrome://inspect/#service-workers, Firefox about:debugging) names the reason`
      : `the browser reported ${error}, but the captured headers pass every CORS check: look for an extension, a CSP or mixed-content block, or Local Network Access`,
  };
}

/** Diagnoses one exchange on its own (no cross-request lints). Never throws. */
export function diagnoseExchange(exchange: Exchange, options: DiagnoseOptions = {}): CorsDiagnosis {
  beginHeaderViews();
  try {
    return diagnoseUnchecked(exchange, options);
  } catch (err) {
    return notCors(`could not analyse this request: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    endHeaderViews();
  }
}

/** Diagnoses every exchange of one log, adding the lints that need several exchanges. Never throws. */
export function diagnoseLog(exchanges: Exchange[], options: DiagnoseOptions = {}): CorsDiagnosis[] {
  return addLogLints(
    exchanges,
    exchanges.map((e) => diagnoseExchange(e, options)),
    options,
  );
}

/**
 * `diagnoseLog` from diagnoses already made by `diagnoseExchange` with the same options (a live tab keeps them
 * between its lint passes): the cross-request lints added to copies, the diagnoses given are not changed.
 */
export function withLogLints(exchanges: Exchange[], diagnoses: readonly CorsDiagnosis[], options: DiagnoseOptions = {}): CorsDiagnosis[] {
  return addLogLints(
    exchanges,
    diagnoses.map((d) => ({ ...d, findings: d.findings.slice() })),
    options,
  );
}

/** The lints only add findings: they change `findings` arrays, nothing else. */
function addLogLints(exchanges: Exchange[], diagnoses: CorsDiagnosis[], options: DiagnoseOptions): CorsDiagnosis[] {
  try {
    crossExchangeLints(exchanges, diagnoses, options);
    if (options.fixes !== false) attachMissingFixes(exchanges, diagnoses);
  } catch {
    // Cross-request lints are advice; a malformed log must not cost the per-request diagnoses.
  }
  return diagnoses;
}

/**
 * Attaches recipes to the findings of a diagnosis made without them (live capture diagnoses with
 * `fixes: false` to keep snapshots small; the panel asks for recipes when a request is opened).
 * Returns a new diagnosis; the one given is not changed.
 */
export function withFixes(exchange: Exchange, diagnosis: CorsDiagnosis): CorsDiagnosis {
  const origin = requestOriginOf(exchange);
  if (diagnosis.role === "not-cors" && diagnosis.blockedBy && !diagnosis.blockedBy.fixes && isNotCorsAdvice(diagnosis.blockedBy.id)) {
    const page = origin ?? "null";
    return {
      ...diagnosis,
      blockedBy: { ...diagnosis.blockedBy, fixes: notCorsFixes(notCorsFixContext(exchange, page, diagnosis.blockedBy)) },
    };
  }
  if (!origin || diagnosis.role !== "actual") return diagnosis;
  const lacksFixes = (f: Finding) => !f.fixes && f.severity !== "info";
  // Most diagnoses of a log already have their recipes: do not walk the exchange again for nothing.
  if (!(diagnosis.blockedBy && lacksFixes(diagnosis.blockedBy)) && !diagnosis.findings.some(lacksFixes)) return diagnosis;
  const credentials = inferCredentials(exchange);
  const include = credentials.include || (diagnosis.assumptions ?? []).some((a) => a.startsWith(INCLUDE_ASSUMED));
  const walk = walkExchange(exchange, origin, include, "chrome");
  const fill = (f: Finding): Finding => {
    if (!lacksFixes(f)) return f;
    if (isNotCorsAdvice(f.id)) return { ...f, fixes: notCorsFixes(notCorsFixContext(exchange, origin, f)) };
    const forId = f.id === "blocked-if-cors-mode" ? { ...f, id: walk.failure?.id ?? f.id } : f;
    return { ...f, fixes: fixesFor(fixContext(exchange, walk, origin, include, forId)) };
  };
  return { ...diagnosis, blockedBy: diagnosis.blockedBy ? fill(diagnosis.blockedBy) : null, findings: diagnosis.findings.map(fill) };
}

/** Cross-request findings arrive after the per-exchange pass: give them recipes too. */
function attachMissingFixes(exchanges: Exchange[], diagnoses: CorsDiagnosis[]): void {
  diagnoses.forEach((d, i) => {
    const exchange = exchanges[i];
    if (exchange) diagnoses[i] = withFixes(exchange, d);
  });
}
