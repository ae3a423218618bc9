// `--audit`: replays the probed request from hostile origins and reports every one the server trusts.
// Trust is the browser's CORS check (Fetch #concept-cors-check): the response's Access-Control-Allow-Origin
// is byte-for-byte the Origin sent (a "*" is public data, not trust in that origin), and credentials are
// allowed when Access-Control-Allow-Credentials is exactly "true". For a request that needs a preflight,
// the browser reads the response only if the preflight trusts the origin too, so both must.
import { get } from "../../core/headers";
import { refineWithAudit } from "../../core/lints/audit-refine";
import type { CorsDiagnosis, Finding, Header } from "../../core/model";
import { fixesFor } from "../../core/fixes";
import { preflightNeeded, unsafeRequestHeaderNames } from "../../core/safelist";
import { actualRequest, preflightRequest } from "./browser-requests";
import { hostileOrigins, type AuditFindingId, type HostileOrigin } from "./hostile-origins";
import type { BrowserFetch } from "./run-exchange";
import { ProbeNetworkError, type Transport } from "./wire";

export type AuditSeverity = "high" | "medium" | "low";

export interface AuditEvidence {
  status: number;
  allowOrigin: string | null;
  allowCredentials: string | null;
}

export interface AuditResult {
  origin: string;
  id: AuditFindingId;
  trusted: boolean;
  credentials: boolean;
  severity: AuditSeverity | null;
  preflight: AuditEvidence | null;
  actual: AuditEvidence | null;
  error?: string;
  /** Set when a broader trust already explains this one (the server reflects every origin). */
  subsumedBy?: AuditFindingId;
  finding: Finding | null;
}

export interface AuditReport {
  results: AuditResult[];
  requestsSent: number;
  /** Hostile origins not sent because --max-requests ran out. */
  skipped: string[];
}

/** The request to repeat with hostile origins, and the audit's own bounds. */
export interface AuditRequest extends BrowserFetch {
  maxRequests: number;
  delayMs: number;
}

const TITLES: Record<AuditFindingId, string> = {
  "acao-reflects-arbitrary-origin": "The server trusts any origin it is sent",
  "acao-null-trusted": "The server trusts the origin null",
  "acao-prefix-match-bypass": "The allow-list matches the start of the origin only",
  "acao-suffix-match-bypass": "The allow-list matches the end of the origin without a dot boundary",
  "acao-substring-match": "The allow-list accepts any part of an allowed origin",
  "acao-unescaped-dot-regex": "The allow-list regex has an unescaped dot",
  "acao-any-subdomain-trusted": "The server trusts every subdomain",
  "acao-http-origin-on-https": "An https resource trusts an http origin",
  "acao-special-char-bypass": "The allow-list parser is fooled by a special character",
  "acao-third-party-unsafe-origin": "The server trusts a host anyone can publish on",
};

/**
 * High when another site can read responses with the user's cookies; an any-subdomain allow-list with
 * credentials stays medium because trusting your own subdomains is often intended (taxonomy B.1: "low–medium,
 * context dependent"). Without credentials only public-equivalent data leaks (like "*"), except for null,
 * which also bypasses origin-keyed checks on the server side.
 */
export function auditSeverity(id: AuditFindingId, credentials: boolean): AuditSeverity {
  if (credentials) return id === "acao-any-subdomain-trusted" ? "medium" : "high";
  return id === "acao-null-trusted" ? "medium" : "low";
}

function evidence(headers: Header[], status: number): AuditEvidence {
  return {
    status,
    allowOrigin: get(headers, "access-control-allow-origin"),
    allowCredentials: get(headers, "access-control-allow-credentials"),
  };
}

const trusts = (e: AuditEvidence | null, origin: string) => e !== null && e.allowOrigin === origin;
const allowsCredentials = (e: AuditEvidence | null) => e !== null && e.allowCredentials === "true";

/** Told before each hostile origin is tried (`done` of `total`), for a progress line on a terminal. */
export type AuditProgress = (origin: string, done: number, total: number) => void;

export async function runAudit(
  request: AuditRequest,
  send: Transport,
  sleep: (ms: number) => Promise<void>,
  progress?: AuditProgress,
): Promise<AuditReport> {
  const needsPreflight = preflightNeeded(request.method, request.headers, request.browser);
  const results: AuditResult[] = [];
  const skipped: string[] = [];
  let requestsSent = 0;
  const options = { timeoutMs: request.timeoutMs };
  const pace = async () => {
    if (requestsSent > 0 && request.delayMs > 0) await sleep(request.delayMs);
    requestsSent++;
  };
  const origins = hostileOrigins(request.origin, request.url);
  for (const [n, hostile] of origins.entries()) {
    // Both requests for an origin, or none: half the evidence would give a wrong answer.
    if (requestsSent + 2 > request.maxRequests) {
      skipped.push(hostile.origin);
      continue;
    }
    progress?.(hostile.origin, n, origins.length);
    const result: AuditResult = {
      origin: hostile.origin,
      id: hostile.id,
      trusted: false,
      credentials: false,
      severity: null,
      preflight: null,
      actual: null,
      finding: null,
    };
    try {
      await pace();
      const preflight = preflightRequest(request.url, hostile.origin, request.method, request.headers, request.browser);
      const pre = await send(preflight, options);
      result.preflight = evidence(pre.headers, pre.status);
      await pace();
      const actual = actualRequest(
        request.url,
        hostile.origin,
        request.method,
        request.headers,
        request.credentials ? request.cookie : null,
      );
      const res = await send(actual, options);
      result.actual = evidence(res.headers, res.status);
    } catch (err) {
      if (!(err instanceof ProbeNetworkError)) throw err;
      result.error = err.message;
    }
    result.trusted = trusts(result.actual, hostile.origin) && (!needsPreflight || trusts(result.preflight, hostile.origin));
    result.credentials = result.trusted && allowsCredentials(result.actual) && (!needsPreflight || allowsCredentials(result.preflight));
    if (result.trusted) {
      result.severity = auditSeverity(hostile.id, result.credentials);
      result.finding = auditFinding(hostile, result, request);
    }
    results.push(result);
  }
  subsume(results, "acao-reflects-arbitrary-origin", () => true);
  subsume(results, "acao-prefix-match-bypass", (id) => id === "acao-special-char-bypass");
  return { results, requestsSent, skipped };
}

/**
 * A broader trust explains narrower ones: a server that echoes every origin also "trusts" each crafted one,
 * and a "starts with" check also accepts `host_.evil.example`. One finding says it; the others point at it.
 */
function subsume(results: AuditResult[], broader: AuditFindingId, covers: (id: AuditFindingId) => boolean): void {
  const cause = results.find((r) => r.id === broader && r.trusted);
  if (!cause) return;
  for (const r of results) {
    if (r === cause || !r.trusted || r.subsumedBy || !covers(r.id) || r.credentials !== cause.credentials) continue;
    r.subsumedBy = cause.id;
    r.finding = null;
  }
}

function auditFinding(hostile: HostileOrigin, result: AuditResult, request: AuditRequest): Finding {
  const url = request.url;
  const reach = result.credentials
    ? "with credentials: a page there can read this response with the user's cookies"
    : "without credentials: a page there can read what any anonymous request can";
  return {
    id: hostile.id,
    // Not a blocking error: the browser allows this, which is the problem.
    severity: result.severity === "low" ? "info" : "warning",
    title: TITLES[hostile.id],
    detail:
      `${url} answered Origin ${hostile.origin} with Access-Control-Allow-Origin: ${result.actual?.allowOrigin ?? ""}` +
      `${result.credentials ? " and Access-Control-Allow-Credentials: true" : ""}, so it is trusted ${reach}. ` +
      `The allow-list gets this wrong: ${hostile.why}. Compare the Origin with exact, complete origins.`,
    request: "actual",
    header: "access-control-allow-origin",
    expected: "no Access-Control-Allow-Origin for this origin",
    actual: result.actual?.allowOrigin ?? "",
    spec: "https://fetch.spec.whatwg.org/#cors-check",
    // The recipe is the correct configuration for the page's own origin: an exact allow-list.
    fixes: fixesFor({
      findingId: hostile.id,
      origin: request.origin,
      url,
      method: request.method,
      requestHeaders: unsafeRequestHeaderNames(request.headers, request.browser),
      credentials: result.credentials,
      header: "access-control-allow-origin",
      actual: result.actual?.allowOrigin ?? "",
    }),
  };
}

/** The probe's diagnosis, its origin-trust findings named by what the audit proved (core/lints/audit-refine). */
export function refineDiagnosis(diagnosis: CorsDiagnosis, report: AuditReport): CorsDiagnosis {
  const facts = report.results.map((r) => ({
    id: r.id,
    origin: r.origin,
    trusted: r.trusted,
    credentials: r.credentials,
    ...(r.error ? { error: r.error } : {}),
  }));
  const refined = refineWithAudit(diagnosis, facts);
  const recipes = (id: string) => report.results.find((r) => r.id === id && r.finding?.fixes)?.finding?.fixes;
  return {
    ...refined,
    findings: refined.findings.map((f) => (f.fixes || f.severity === "info" ? f : { ...f, fixes: recipes(f.id) ?? [] })),
  };
}

export function worstSeverity(report: AuditReport): AuditSeverity | null {
  const order: AuditSeverity[] = ["high", "medium", "low"];
  for (const s of order) if (report.results.some((r) => r.severity === s)) return s;
  return null;
}
