// Failures that are not a CORS check (taxonomy A.4/A.5): the page sees the same "TypeError: Failed to
// fetch", but the browser stopped the request for another reason. Classified from the evidence each
// browser gives: Chromium's net error names (webRequest, HAR `_error`, CDP `errorText`), CDP
// `blockedReason` and `corsErrorStatus`, Firefox's nsresult names, and what a page-side observer saw.
// Lookups only: exact names in maps, then a few fixed prefixes (no regex built per exchange).
import type { Exchange, PageObservation } from "../model";
import { hostOf } from "../origin";

export type NotCorsId =
  | "not-cors-network-refused"
  | "not-cors-network-dns"
  | "not-cors-network-tls"
  | "not-cors-network-offline"
  | "not-cors-network-other"
  | "not-cors-blocked-by-client"
  | "not-cors-mixed-content"
  | "not-cors-csp-connect-src"
  | "not-cors-corp-coep"
  | "not-cors-orb"
  | "not-cors-content-type"
  | "not-cors-local-network-access"
  | "not-cors-redirect-mode"
  | "not-cors-sri"
  | "not-cors-cancelled"
  // Extends taxonomy A.5: no response reached the CORS check, and the evidence does not say why.
  | "not-cors-no-response";

/**
 * The error the HAR reader gives a request that got no response when the file records no reason. Firefox's HAR has no
 * error field: a refused, unresolvable, TLS-failed, offline, extension- or LNA-blocked request and one cancelled while
 * waiting are all status 0 with no response headers (`not-cors-no-response`).
 */
export const NO_RESPONSE_UNRECORDED = "no response, reason not recorded";

/**
 * The error the HAR reader gives a request Chrome's HAR marks failed with an empty `_error`: DevTools writes the
 * CDP `errorText`, which is empty when the request was stopped by a policy before it left (`blockedReason`
 * "csp", "mixed-content"…; measured in matrix2), and the HAR keeps no `blockedReason`. A request that did not fail
 * has `_error: null` in Chrome's export.
 */
export const FAILED_WITHOUT_TEXT = "failed, no error text recorded";

/** Where the classification came from: decides how sure the words may sound. */
export type NotCorsSource = "error" | "blocked-reason" | "cors-error" | "page" | "prediction";

export interface NotCorsFailure {
  id: NotCorsId;
  /** The evidence, verbatim: "net::ERR_CONNECTION_REFUSED", "mixed-content", "LocalNetworkAccessPermissionDenied"… */
  signal: string;
  source: NotCorsSource;
  /** Only when Chromium reported it (LNA errors are CorsError values): contracts §2. */
  chromeCorsError?: string;
  failedParameter?: string;
  /** The preflight failed, not the request itself. */
  onPreflight?: boolean;
}

const strip = (error: string) => error.trim().replace(/^net::/, "");

/** Chromium net error names (net/base/net_error_list.h) that are not CORS. */
const CHROMIUM_ERRORS: Record<string, NotCorsId> = {
  ERR_CONNECTION_REFUSED: "not-cors-network-refused",
  ERR_NAME_NOT_RESOLVED: "not-cors-network-dns",
  ERR_NAME_RESOLUTION_FAILED: "not-cors-network-dns",
  ERR_DNS_TIMED_OUT: "not-cors-network-dns",
  ERR_DNS_SERVER_FAILED: "not-cors-network-dns",
  ERR_DNS_MALFORMED_RESPONSE: "not-cors-network-dns",
  ERR_DNS_NAME_HTTPS_ONLY: "not-cors-network-dns",
  ERR_ICANN_NAME_COLLISION: "not-cors-network-dns",
  ERR_INTERNET_DISCONNECTED: "not-cors-network-offline",
  ERR_NETWORK_IO_SUSPENDED: "not-cors-network-offline",
  ERR_INSECURE_RESPONSE: "not-cors-network-tls",
  ERR_BAD_SSL_CLIENT_AUTH_CERT: "not-cors-network-tls",
  ERR_CERTIFICATE_TRANSPARENCY_REQUIRED: "not-cors-network-tls",
  ERR_BLOCKED_BY_CLIENT: "not-cors-blocked-by-client",
  ERR_BLOCKED_BY_ADMINISTRATOR: "not-cors-blocked-by-client",
  ERR_BLOCKED_BY_CSP: "not-cors-csp-connect-src",
  ERR_BLOCKED_BY_ORB: "not-cors-orb",
  ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS: "not-cors-local-network-access",
  ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS: "not-cors-local-network-access",
  // A redirect to data:, about:, file: or a custom scheme (measured, matrix2 SIGNALS.md).
  ERR_UNSAFE_REDIRECT: "not-cors-redirect-mode",
  ERR_ABORTED: "not-cors-cancelled",
};

/** Firefox nsresult names as webRequest and the console give them. */
const FIREFOX_ERRORS: Record<string, NotCorsId> = {
  NS_ERROR_CONNECTION_REFUSED: "not-cors-network-refused",
  NS_ERROR_UNKNOWN_HOST: "not-cors-network-dns",
  NS_ERROR_DNS_LOOKUP_QUEUE_FULL: "not-cors-network-dns",
  NS_ERROR_OFFLINE: "not-cors-network-offline",
  NS_ERROR_NET_INADEQUATE_SECURITY: "not-cors-network-tls",
  // Measured (browser-recipes §7): an extension's block (webRequest cancel, declarativeNetRequest).
  NS_ERROR_ABORT: "not-cors-blocked-by-client",
  // Enhanced Tracking Protection and Safe Browsing: the browser's own blocklists.
  NS_ERROR_TRACKING_URI: "not-cors-blocked-by-client",
  NS_ERROR_FINGERPRINTING_URI: "not-cors-blocked-by-client",
  NS_ERROR_CRYPTOMINING_URI: "not-cors-blocked-by-client",
  NS_ERROR_SOCIALTRACKING_URI: "not-cors-blocked-by-client",
  NS_ERROR_EMAILTRACKING_URI: "not-cors-blocked-by-client",
  NS_ERROR_MALWARE_URI: "not-cors-blocked-by-client",
  NS_ERROR_PHISHING_URI: "not-cors-blocked-by-client",
  NS_ERROR_HARMFUL_URI: "not-cors-blocked-by-client",
  NS_ERROR_UNWANTED_URI: "not-cors-blocked-by-client",
  NS_ERROR_DOM_CORP_FAILED: "not-cors-corp-coep",
  NS_ERROR_DOM_COEP_FAILED: "not-cors-corp-coep",
  NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED: "not-cors-local-network-access",
  NS_ERROR_SRI_CORRUPT: "not-cors-sri",
  NS_ERROR_SRI_NOT_ELIGIBLE: "not-cors-sri",
  NS_BINDING_ABORTED: "not-cors-cancelled",
};

/** CDP Network.BlockedReason values. */
const BLOCKED_REASONS: Record<string, NotCorsId> = {
  "mixed-content": "not-cors-mixed-content",
  csp: "not-cors-csp-connect-src",
  integrity: "not-cors-sri",
  "sri-message-signature-mismatch": "not-cors-sri",
  "subresource-filter": "not-cors-blocked-by-client",
  inspector: "not-cors-blocked-by-client",
  "content-type": "not-cors-content-type",
};

/** CDP CorsError values that are Local (formerly Private) Network Access, not a CORS header check. */
const LNA_CORS_ERRORS = new Set([
  "LocalNetworkAccessPermissionDenied",
  "InvalidLocalNetworkAccess",
  "InsecureLocalNetwork",
  "PrivateNetworkAccessPermissionDenied",
  "PrivateNetworkAccessPermissionUnavailable",
  "InvalidPrivateNetworkAccess",
  "InsecurePrivateNetwork",
  "UnexpectedPrivateNetworkAccess",
  "PreflightMissingAllowPrivateNetwork",
  "PreflightInvalidAllowPrivateNetwork",
  "PreflightMissingPrivateNetworkAccessId",
  "PreflightMissingPrivateNetworkAccessName",
]);

/** The redirect-mode signals that mean "a Location outside http(s)" rather than redirect: 'error'. */
export function isNonHttpRedirectSignal(signal: string): boolean {
  return signal === "net::ERR_UNSAFE_REDIRECT" || signal.startsWith("Location: ") || signal === "NS_ERROR_CORRUPTED_CONTENT";
}

/**
 * Firefox's webRequest gives TLS failures as localized sentences, not codes (measured, matrix2 SIGNALS.md):
 * "Peer’s Certificate issuer is not recognized.", "Peer’s Certificate has expired.", "Unable to communicate
 * securely with peer: requested domain name does not match the server’s certificate."
 */
const TLS_SENTENCE = /certificate|securely with peer|SSL|TLS/i;

export function isLocalNetworkCorsError(corsError: string): boolean {
  return LNA_CORS_ERRORS.has(corsError);
}

/**
 * Blocks that apply to no-cors loads too (an <img>, a no-cors fetch): CORP/COEP and ORB exist only for them,
 * and Local Network Access, mixed content, CSP and SRI stop any request. Measured in matrix2: each is the
 * browser's own failure of the load, so it is reported as blocked, with its not-CORS id, not as a CORS block.
 * Network failures and ad-blocked loads of no-cors requests stay not-cors: nothing was asked of CORS.
 */
export const ANY_MODE_BLOCKS: ReadonlySet<NotCorsId> = new Set<NotCorsId>([
  "not-cors-corp-coep",
  "not-cors-orb",
  "not-cors-local-network-access",
  "not-cors-mixed-content",
  "not-cors-csp-connect-src",
  "not-cors-sri",
  "not-cors-content-type",
  "not-cors-redirect-mode",
]);

/**
 * Firefox's ORB is silent: a no-cors <img>, <script> or media load of a response it blocks as opaque fails with a bare
 * NS_ERROR_FAILURE, no console line (measured, matrix2 `orb-*`). The response's Content-Type tells: ORB blocks what
 * sniffs as HTML, JSON or XML (not SVG), never an image, a script or media. So only such a response, answered 2xx,
 * makes NS_ERROR_FAILURE an ORB block; any other stays unexplained.
 */
const FIREFOX_ORB_ERROR = "NS_ERROR_FAILURE";
const ORB_SUBRESOURCE_TYPES = new Set(["image", "imageset", "img", "script", "media"]);
const ORB_BLOCKED_MIME =
  /^(text\/html|application\/json|text\/json|[a-z]+\/[a-z0-9.+-]*\+json|application\/xml|text\/xml|[a-z]+\/[a-z0-9.+-]*\+xml)$/;

export function firefoxOrbBlocked(
  type: string | undefined,
  error: string,
  status: number | undefined,
  contentType: string | null | undefined,
): boolean {
  if (strip(error) !== FIREFOX_ORB_ERROR || !type || !ORB_SUBRESOURCE_TYPES.has(type)) return false;
  if (status === undefined || status < 200 || status > 299 || !contentType) return false;
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  return mime !== "image/svg+xml" && ORB_BLOCKED_MIME.test(mime);
}

/**
 * The Fetch standard's cross-origin resource policy check, read from what the browser itself wrote on the request:
 * `Sec-Fetch-Mode` (the check applies to no-cors loads only) and `Sec-Fetch-Site` (how the requester relates to the
 * URL), against the response's `Cross-Origin-Resource-Policy`. True only where every browser refuses the response:
 * `same-origin` from another origin, and `same-site` from another site with the same scheme on both sides (the
 * standard lets an https requester through to an http same-site resource, which Sec-Fetch-Site calls cross-site).
 * A file that cannot record the block (Firefox's HAR writes such a response as a 200) still shows these headers.
 */
export function corpRefuses(
  secFetchMode: string | null | undefined,
  secFetchSite: string | null | undefined,
  policy: string | null | undefined,
  sameScheme: boolean,
): boolean {
  if (secFetchMode?.trim().toLowerCase() !== "no-cors" || policy == null) return false;
  const site = secFetchSite?.trim().toLowerCase();
  switch (policy.trim().toLowerCase()) {
    case "same-origin":
      return site === "same-site" || site === "cross-site";
    case "same-site":
      return site === "cross-site" && sameScheme;
    default:
      return false;
  }
}

/** Whether a load that failed with this error was stopped by a policy of every request mode (worth listing when no-cors). */
export function blocksAnyMode(error: string): boolean {
  const id = classifyError(error);
  return id !== null && ANY_MODE_BLOCKS.has(id);
}

/** The not-CORS class of one browser error string, or null for CORS failures and unknown strings. */
export function classifyError(error: string): NotCorsId | null {
  if (error === NO_RESPONSE_UNRECORDED) return "not-cors-no-response";
  // Its class comes from the URLs and the request's type (diagnose.ts), never from the words.
  if (error === FAILED_WITHOUT_TEXT) return null;
  const name = strip(error);
  const hit = CHROMIUM_ERRORS[name] ?? FIREFOX_ERRORS[name];
  if (hit) return hit;
  if (name.startsWith("ERR_BLOCKED_BY_RESPONSE")) return "not-cors-corp-coep";
  if (name.startsWith("ERR_CERT_") || name.startsWith("ERR_SSL_") || name.startsWith("ERR_ECH_")) return "not-cors-network-tls";
  if (
    name.startsWith("SEC_ERROR_") ||
    name.startsWith("SSL_ERROR_") ||
    name.startsWith("MOZILLA_PKIX_ERROR_") ||
    name.includes("NS_ERROR_MODULE_SECURITY")
  )
    return "not-cors-network-tls";
  if (name === "ERR_FAILED" || name === "NS_ERROR_DOM_BAD_URI") return null;
  if (!/^[A-Z_0-9]+$/.test(name) && TLS_SENTENCE.test(name)) return "not-cors-network-tls";
  // Every other net error or nsresult failed below CORS: reset, timeout, empty response, proxy…
  if (name.startsWith("ERR_") || name.startsWith("NS_ERROR_") || name.startsWith("NS_BINDING_")) return "not-cors-network-other";
  return null;
}

export function classifyBlockedReason(reason: string): NotCorsId | null {
  const hit = BLOCKED_REASONS[reason];
  if (hit) return hit;
  if (reason.startsWith("corp-") || reason.startsWith("coep-") || reason.startsWith("coop-")) return "not-cors-corp-coep";
  return null;
}

function classifyObservation(o: PageObservation): NotCorsId | null {
  if (o.kind === "csp") return "not-cors-csp-connect-src";
  if (o.kind === "mixed-content") return "not-cors-mixed-content";
  if (o.kind === "integrity") return "not-cors-sri";
  return null;
}

/**
 * What the browser itself said beyond the outcome's error string: DevTools' blockedReason, a page-side
 * observation, or a Local Network Access CorsError. These decide the class whatever the headers say.
 */
export function reportedNotCors(exchange: Exchange): NotCorsFailure | null {
  const cors = exchange.corsErrorStatus;
  if (cors && LNA_CORS_ERRORS.has(cors.corsError)) {
    return {
      id: "not-cors-local-network-access",
      signal: cors.corsError,
      source: "cors-error",
      chromeCorsError: cors.corsError,
      failedParameter: cors.failedParameter ?? "",
    };
  }
  if (exchange.blockedReason) {
    const id = classifyBlockedReason(exchange.blockedReason);
    if (id) return { id, signal: exchange.blockedReason, source: "blocked-reason" };
  }
  if (exchange.pageObserved) {
    const id = classifyObservation(exchange.pageObserved);
    if (id) return { id, signal: exchange.pageObserved.directive ?? exchange.pageObserved.kind, source: "page" };
  }
  return null;
}

/** From the outcome's error string; Firefox's "content blocked" is CSP or mixed content, told apart by the URLs. */
export function notCorsFromError(error: string, exchange: Exchange): NotCorsFailure | null {
  const name = strip(error);
  if (name === "NS_ERROR_CONTENT_BLOCKED" || name === "NS_ERROR_CONTENT_BLOCKED_SHOW_ALT") {
    return { id: wouldBeMixedContent(exchange) ? "not-cors-mixed-content" : "not-cors-csp-connect-src", signal: error, source: "error" };
  }
  const id = classifyError(error);
  return id ? { id, signal: error, source: "error" } : null;
}

// ---- predictions from the URLs alone ----

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isPrivateIpv4(host: string): boolean {
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (!m) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

/** The address space a URL's host reveals by itself ("public" for a name: DNS decides, and we cannot see it). */
export function addressSpaceOfUrl(url: string): "loopback" | "local" | "public" | "unknown" {
  const host = hostOf(url);
  if (!host) return "unknown";
  if (isLoopbackHost(host)) return "loopback";
  if (isPrivateIpv4(host) || host.endsWith(".local") || /^\[(fc|fd|fe80)/i.test(host)) return "local";
  if (/^[\d.]+$/.test(host) || host.startsWith("[")) return "public";
  return "unknown";
}

/**
 * An https page calling a plain-http URL that is not potentially trustworthy (localhost and 127.0.0.0/8 are:
 * browser-recipes §7, measured): the browser blocks it before sending.
 */
export function wouldBeMixedContent(exchange: Exchange): boolean {
  const page = exchange.initiatorOrigin;
  if (!page?.startsWith("https:")) return false;
  return exchange.legs.some((leg) => {
    const url = leg.request.url;
    if (!url.startsWith("http:")) return false;
    const host = hostOf(url);
    return host !== null && !isLoopbackHost(host);
  });
}

/** A public (named) page calling a loopback or private address: Local Network Access applies. */
export function wouldNeedLocalNetworkAccess(exchange: Exchange): "loopback" | "local" | null {
  const page = exchange.initiatorOrigin;
  if (!page || page === "null") return null;
  const from = addressSpaceOfUrl(page);
  if (from === "loopback" || from === "local") return null;
  const to = exchange.legs.map((l) => addressSpaceOfUrl(l.request.url)).find((s) => s === "loopback" || s === "local");
  return to === "loopback" || to === "local" ? to : null;
}

/** The Location of a redirect that points outside http(s) (data:, blob:, file:, javascript:…), if any. */
export function nonHttpRedirectTarget(location: string, base: string): string | null {
  try {
    const target = new URL(location, base);
    return target.protocol === "http:" || target.protocol === "https:" ? null : target.protocol;
  } catch {
    return null;
  }
}
