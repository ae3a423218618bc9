// The pipeline every surface calls: decide whether CORS applies, infer what is not on the wire,
// walk the exchange as the browser does, reconcile with what the browser reported, then lint.
import type { CheckFailure } from "./checks/failure";
import { walkExchange, type Walk } from "./checks/walk";
import { blockingWords } from "./findings/blocking";
import { chromeConsoleLine, firefoxConsoleLine } from "./findings/console";
import { fixesFor, type FixContext } from "./fixes/index";
import { get } from "./headers";
import { EXCHANGE_LINTS, type LintFinding } from "./lints/index";
import { crossExchangeLints } from "./lints/log";
import type { BrowserName, CorsDiagnosis, Exchange, Finding, Severity } from "./model";
import { isHttpUrl, originOf } from "./origin";
import { normalizeMethod } from "./safelist";

export interface DiagnoseOptions {
  /** Whose behaviour decides the verdict and `blockedBy` (default chrome). */
  browser?: BrowserName;
  /** Attach fix recipes to findings (default true). */
  fixes?: boolean;
}

/** Errors that mean "the CORS machinery refused", as opposed to a network failure. */
const CORS_FAILURE_ERRORS = new Set(["net::ERR_FAILED", "NS_ERROR_DOM_BAD_URI", "unknown"]);
/** "unknown": a HAR entry with status 0 and no error string — it failed, nobody said why. */
const UNKNOWN_FAILURE = "unknown";

const CANCELLED_ERRORS = new Set(["net::ERR_ABORTED", "NS_BINDING_ABORTED"]);

const NAVIGATION_TYPES = new Set(["main_frame", "sub_frame", "document", "navigation", "outermost_frame"]);

function notCors(reason: string): CorsDiagnosis {
  return { role: "not-cors", pairedWith: null, verdict: "not-cors", blockedBy: null, findings: [], assumptions: [reason] };
}

/** Why CORS does not apply to this exchange, or null when it does. */
function notCorsReason(exchange: Exchange, origin: string | null): string | null {
  const first = exchange.legs[0];
  if (!first) return "no request was recorded";
  if (!isHttpUrl(first.request.url)) return "not an http(s) request";
  if (exchange.resourceType && NAVIGATION_TYPES.has(exchange.resourceType)) return "a navigation: CORS does not apply";
  if (exchange.mode && exchange.mode !== "cors") return `request mode '${exchange.mode}': CORS does not apply`;
  const fetchMode = get(first.request.headers, "sec-fetch-mode");
  if (fetchMode && fetchMode !== "cors") return `Sec-Fetch-Mode: ${fetchMode}: CORS does not apply`;
  if (origin === null) return "no Origin header and no known initiator: not a cross-origin CORS request";
  const crossOrigin = exchange.legs.some((l) => originOf(l.request.url) !== origin) || origin === "null";
  if (!crossOrigin) return "same-origin request";
  // A cross-origin GET/HEAD in cors mode always carries Origin; without it this was a no-cors load
  // (<img>, <script>, <link>) — when the headers were captured at all.
  const method = first.request.method.toUpperCase();
  if (first.request.headers.length > 0 && get(first.request.headers, "origin") === null && (method === "GET" || method === "HEAD") && !first.preflight) {
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
    return { include: true, known: true, assumption: `${INCLUDE_ASSUMED} (the browser added Authorization itself, the page did not set it)` };
  }
  return { include: false, known: false };
}

function requestOriginOf(exchange: Exchange): string | null {
  if (exchange.initiatorOrigin) return exchange.initiatorOrigin;
  const sent = get(exchange.legs[0]?.request.headers, "origin");
  return sent ?? null;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function fixContext(exchange: Exchange, walk: Walk, origin: string, include: boolean, f: { id: string; header?: string; expected?: string; actual?: string }, status?: number): FixContext {
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

function toBlockingFinding(failure: CheckFailure, exchange: Exchange, origin: string, other: { browser: BrowserName; blocks: boolean }, browser: BrowserName, credentialsInclude: boolean): Finding {
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
  if (chrome || firefox) finding.console = { ...(chrome ? { chrome } : {}), ...(firefox ? { firefox } : {}) };
  if (!other.blocks) {
    finding.browsers = browser === "chrome" ? { chrome: "blocks", firefox: "allows" } : { chrome: "allows", firefox: "blocks" };
  }
  return finding;
}

function networkFailure(exchange: Exchange, error: string): CheckFailure {
  const legIndex = Math.max(0, exchange.legs.findIndex((l) => !l.response));
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

function diagnoseUnchecked(exchange: Exchange, options: DiagnoseOptions): CorsDiagnosis {
  const browser: BrowserName = options.browser ?? "chrome";
  const otherBrowser: BrowserName = browser === "chrome" ? "firefox" : "chrome";
  const origin = requestOriginOf(exchange);
  const reason = notCorsReason(exchange, origin);
  if (reason || origin === null) return notCors(reason ?? "no origin");

  const assumptions: string[] = [];
  let credentials = inferCredentials(exchange);
  if (credentials.assumption) assumptions.push(credentials.assumption);
  let walk = walkExchange(exchange, origin, credentials.include, browser);
  const outcome = exchange.outcome ?? { kind: "unknown" };
  // Firefox reports a CORS-blocked simple request as completed: only Chrome's "completed" is evidence.
  const observer = exchange.observedBy ?? "unknown";
  const completedInChrome = outcome.kind === "completed" && observer === "chrome";
  let failure = walk.failure;

  // A cancelled request (AbortController, navigation, or a redirect not followed with redirect:
  // "manual") is not a CORS decision: judge what was received.
  const cancelled = outcome.kind === "failed" && CANCELLED_ERRORS.has(outcome.error);
  if (cancelled) assumptions.push(`the request was cancelled (${(outcome as { error: string }).error}): redirect: 'manual', an AbortController or a navigation; judged on what was received`);
  if (outcome.kind === "failed" && !cancelled) {
    const corsError = CORS_FAILURE_ERRORS.has(outcome.error);
    if (!failure && !corsError) {
      failure = networkFailure(exchange, outcome.error);
    } else if (!failure && !credentials.known) {
      const withCredentials = walkExchange(exchange, origin, true, browser);
      if (withCredentials.failure && stoppedThere(exchange, withCredentials.failure)) {
        credentials = { include: true, known: false };
        walk = withCredentials;
        failure = withCredentials.failure;
        assumptions.push(`${INCLUDE_ASSUMED} (the request failed, and only a credentialed request fails on these headers)`);
      }
    }
    if (!failure && walk.preflightUnobservedAndNoResponse !== null) {
      const leg = exchange.legs[walk.preflightUnobservedAndNoResponse]!;
      failure = { id: "preflight-not-observed", request: "preflight", leg: walk.preflightUnobservedAndNoResponse, url: leg.request.url };
      assumptions.push("the request never left: its preflight failed, but the preflight was not captured");
    }
    if (!failure && outcome.error === UNKNOWN_FAILURE) {
      assumptions.push("no response was recorded for part of this request, and no error was given");
    } else if (!failure) {
      failure = {
        id: "blocked-reason-unknown", request: "actual", actual: outcome.error, leg: 0, url: exchange.legs[0]!.request.url,
      };
      assumptions.push(`the browser reported ${outcome.error}, but the captured headers pass every CORS check: look for an extension, a CSP or mixed-content block, or Local Network Access`);
    }
  } else if (failure && completedInChrome) {
    // Chrome completed what our checks would block: then it was not a CORS-mode request.
    return notCors("the browser completed the request although its headers fail the CORS check: a no-cors request (e.g. <img>, <script>, a form post)");
  }

  if (walk.preflightFromCache.length > 0) {
    assumptions.push("preflight not observed: the browser reused a cached preflight result (Chrome caches 5 s by default, up to Access-Control-Max-Age)");
  }
  if (walk.incomplete && outcome.kind !== "failed" && !cancelled) {
    assumptions.push("no response yet: the request is still in flight or was cancelled");
  }
  if (!failure && !credentials.known && outcome.kind === "unknown") {
    const withCredentials = walkExchange(exchange, origin, true, browser);
    if (withCredentials.failure) {
      assumptions.push(`credentials mode not 'include' (no Cookie header was seen); with credentials the browser would block it: ${withCredentials.failure.id}`);
    }
  }

  // The other browser matters only to say, on a blocked request, whether it would behave differently.
  // Failures that came from the outcome rather than the headers (network errors, uncaptured
  // preflights) say nothing about a difference between browsers.
  const otherBlocks = () => failure !== walk.failure || walkExchange(exchange, origin, credentials.include, otherBrowser).failure !== null;
  const blockedBy = failure ? toBlockingFinding(failure, exchange, origin, { browser: otherBrowser, blocks: otherBlocks() }, browser, credentials.include) : null;

  const lintContext = { exchange, walk, origin, credentialsInclude: credentials.include, browser, failure };
  const lintFindings: LintFinding[] = [];
  for (const lint of EXCHANGE_LINTS) lintFindings.push(...lint(lintContext));
  const findings: Finding[] = lintFindings.map((f) => ({ ...f }));
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);

  if (options.fixes !== false) {
    const status = failure?.status;
    if (blockedBy) blockedBy.fixes = fixesFor(fixContext(exchange, walk, origin, credentials.include, blockedBy, status));
    for (const f of findings) {
      if (f.severity !== "info") f.fixes = fixesFor(fixContext(exchange, walk, origin, credentials.include, f, status));
    }
  }

  return {
    role: "actual",
    pairedWith: null,
    verdict: failure ? "blocked" : "allowed",
    blockedBy,
    findings,
    assumptions,
  };
}

/** Diagnoses one exchange on its own (no cross-request lints). Never throws. */
export function diagnoseExchange(exchange: Exchange, options: DiagnoseOptions = {}): CorsDiagnosis {
  try {
    return diagnoseUnchecked(exchange, options);
  } catch (err) {
    return notCors(`could not analyse this request: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Diagnoses every exchange of one log, adding the lints that need several exchanges. Never throws. */
export function diagnoseLog(exchanges: Exchange[], options: DiagnoseOptions = {}): CorsDiagnosis[] {
  const diagnoses = exchanges.map((e) => diagnoseExchange(e, options));
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
  if (!origin || diagnosis.role !== "actual") return diagnosis;
  const lacksFixes = (f: Finding) => !f.fixes && f.severity !== "info";
  // Most diagnoses of a log already have their recipes: do not walk the exchange again for nothing.
  if (!(diagnosis.blockedBy && lacksFixes(diagnosis.blockedBy)) && !diagnosis.findings.some(lacksFixes)) return diagnosis;
  const credentials = inferCredentials(exchange);
  const include = credentials.include || (diagnosis.assumptions ?? []).some((a) => a.startsWith(INCLUDE_ASSUMED));
  const walk = walkExchange(exchange, origin, include, "chrome");
  const fill = (f: Finding): Finding => (lacksFixes(f) ? { ...f, fixes: fixesFor(fixContext(exchange, walk, origin, include, f)) } : f);
  return { ...diagnosis, blockedBy: diagnosis.blockedBy ? fill(diagnosis.blockedBy) : null, findings: diagnosis.findings.map(fill) };
}

/** Cross-request findings arrive after the per-exchange pass: give them recipes too. */
function attachMissingFixes(exchanges: Exchange[], diagnoses: CorsDiagnosis[]): void {
  diagnoses.forEach((d, i) => {
    const exchange = exchanges[i];
    if (exchange) diagnoses[i] = withFixes(exchange, d);
  });
}
