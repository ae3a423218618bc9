// What each browser itself says happened to a matrix2 case, mapped to the taxonomy (A.5 ids for failures that are
// not a CORS check; "cors:<ChromiumCorsError>" / "cors:<FirefoxReasonKey>" for a CORS check). Derived from the
// recorded signals only — never from what the case aimed at — so that the agreement test compares CORS Doctor with
// the browser, not with our intentions. `basis` says which signal decided.
import fs from "node:fs";
import { parseFirefoxCorsLine } from "../matrix/firefox-reasons.mjs";

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */
/**
 * `rewritten`: the test-only blocker extension rewrote the case's response headers between the server and the
 * browser's CORS check (a fact of the recording's set-up, from its rules file), so "something rewrote the
 * response" (`response-header-rewritten`) is a right answer whatever CORS reason the browser then gave.
 * @typedef {{ verdict: "blocked" | "not-blocked" | "cancelled", id?: string, finding?: string, rewritten?: true, basis: string }} Truth
 */

/** The blocker's modifyHeaders rules (test/fixtures/matrix2/dnr-extension/rules.json): which cases they rewrite. */
const REWRITE_FILTERS = /** @type {{ action: { type: string }, condition: { urlFilter: string } }[]} */ (
  JSON.parse(fs.readFileSync(new URL("../fixtures/matrix2/dnr-extension/rules.json", import.meta.url), "utf8"))
)
  .filter((r) => r.action.type === "modifyHeaders")
  .map((r) => r.condition.urlFilter);

function rewrittenByExtension(/** @type {Scenario} */ s) {
  return REWRITE_FILTERS.some((f) => `/m/${s.id}?`.includes(f));
}

/** @param {Scenario} s @param {Truth} t @param {string | undefined} finding @returns {Truth} */
function withEvidence(s, t, finding) {
  return { ...t, ...(finding ? { finding } : {}), ...(rewrittenByExtension(s) ? { rewritten: /** @type {const} */ (true) } : {}) };
}

/** Chromium `errorText` → A.5 id. */
export function idOfChromiumError(/** @type {string | undefined} */ e) {
  if (!e) return undefined;
  if (e === "net::ERR_CONNECTION_REFUSED") return "not-cors-network-refused";
  if (e === "net::ERR_NAME_NOT_RESOLVED" || e === "net::ERR_NAME_RESOLUTION_FAILED") return "not-cors-network-dns";
  if (/^net::ERR_(CERT_|SSL_)/.test(e) || e === "net::ERR_BAD_SSL_CLIENT_AUTH_CERT") return "not-cors-network-tls";
  if (e === "net::ERR_INTERNET_DISCONNECTED") return "not-cors-network-offline";
  if (
    /^net::ERR_(CONNECTION_RESET|CONNECTION_CLOSED|EMPTY_RESPONSE|TIMED_OUT|CONNECTION_TIMED_OUT|CONNECTION_ABORTED|CONNECTION_FAILED|ADDRESS_UNREACHABLE|INVALID_HTTP_RESPONSE)$/.test(
      e,
    )
  )
    return "not-cors-network-other";
  if (e === "net::ERR_BLOCKED_BY_CLIENT") return "not-cors-blocked-by-client";
  if (e.startsWith("net::ERR_BLOCKED_BY_RESPONSE")) return "not-cors-corp-coep";
  if (e === "net::ERR_BLOCKED_BY_ORB") return "not-cors-orb";
  if (e === "net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS") return "not-cors-local-network-access";
  if (e === "net::ERR_ABORTED") return "not-cors-cancelled";
  // A redirect to a URL fetch may not follow (data:, about:): Fetch's "redirect to a non-HTTP(S) URL" network error.
  if (e === "net::ERR_UNSAFE_REDIRECT") return "not-cors-redirect-mode";
  return undefined;
}

/** Chromium `blockedReason` → A.5 id. */
export function idOfBlockedReason(/** @type {string | undefined} */ r) {
  if (!r) return undefined;
  if (r === "mixed-content") return "not-cors-mixed-content";
  if (r === "csp") return "not-cors-csp-connect-src";
  if (/^(corp|coep)-/.test(r)) return "not-cors-corp-coep";
  if (r === "subresource-filter" || r === "inspector") return "not-cors-blocked-by-client";
  return undefined;
}

const LNA_CORS_ERRORS =
  /^(LocalNetworkAccess|InvalidLocalNetworkAccess|InsecureLocalNetwork|UnexpectedPrivateNetworkAccess|InsecurePrivateNetwork|InvalidPrivateNetworkAccess|PrivateNetworkAccess|NoCorsRedirectModeNotFollow)/;

/** Firefox error string (BiDi fetchError / webRequest) → A.5 id. */
export function idOfFirefoxError(/** @type {string | undefined} */ e) {
  if (!e) return undefined;
  if (e === "NS_ERROR_CONNECTION_REFUSED") return "not-cors-network-refused";
  if (e === "NS_ERROR_UNKNOWN_HOST") return "not-cors-network-dns";
  if (/SEC_ERROR_|SSL_ERROR_|MOZILLA_PKIX_ERROR_|NS_ERROR_MODULE_SECURITY/.test(e)) return "not-cors-network-tls";
  if (e === "NS_ERROR_OFFLINE") return "not-cors-network-offline";
  if (/^NS_ERROR_(NET_RESET|NET_INTERRUPT|NET_TIMEOUT|NET_EMPTY_RESPONSE|NET_PARTIAL_TRANSFER|PROXY_CONNECTION_REFUSED)$/.test(e))
    return "not-cors-network-other";
  if (e === "NS_ERROR_LOCAL_NETWORK_ACCESS_DENIED") return "not-cors-local-network-access";
  if (e === "NS_ERROR_DOM_CORP_FAILED" || e === "NS_ERROR_DOM_COEP_FAILED") return "not-cors-corp-coep";
  if (e === "NS_ERROR_CONTENT_BLOCKED" || e === "NS_ERROR_ABORT") return "not-cors-blocked-by-client";
  if (e === "NS_BINDING_ABORTED") return "not-cors-cancelled";
  return undefined;
}

/** The finding the case's evidence calls for (root causes outside the headers), given the truth so far. */
function findingFor(/** @type {Scenario} */ s, /** @type {any} */ rec, /** @type {Truth} */ t) {
  // A cookie case whose request went without its cookie (the wire shows it) and was blocked for it.
  if (
    s.cls === "cookies" &&
    s.expect.finding &&
    t.verdict === "blocked" &&
    !rec.wire.some((/** @type {string} */ w) => w.includes(`cookie:`) && w.includes(s.server.requireCookie ?? "?"))
  )
    return s.expect.finding;
  // The page tried to read a header and got null.
  if (s.action.readHeader && rec.page.ok && rec.page.header === null) return "response-header-not-exposed";
  return undefined;
}

/** The page's own outcome: did it get what it asked for? Beacons: sendBeacon's result plus the wire. */
function pageGotIt(/** @type {Scenario} */ s, /** @type {any} */ rec) {
  if (s.action.kind === "beacon") return rec.page.ok && rec.wire.length > 0;
  return rec.page.ok;
}

const cancelledByPage = (/** @type {any} */ rec) => /AbortError|abort event/.test(String(rec.page.error ?? ""));

/** @returns {Truth} */
export function chromiumTruth(/** @type {Scenario} */ s, /** @type {any} */ rec) {
  const t = chromiumVerdict(s, rec);
  return withEvidence(s, t, findingFor(s, rec, t));
}

/** @returns {Truth} */
function chromiumVerdict(/** @type {Scenario} */ s, /** @type {any} */ rec) {
  if (pageGotIt(s, rec)) return { verdict: "not-blocked", basis: "page" };
  if (cancelledByPage(rec)) return { verdict: "cancelled", basis: "page: AbortError" };
  const reqs = /** @type {any[]} */ (rec.requests);
  const actuals = reqs.filter((r) => r.initiator !== "preflight");
  for (const r of actuals) {
    const c = r.corsErrorStatus?.corsError;
    if (c && LNA_CORS_ERRORS.test(c)) return { verdict: "blocked", id: "not-cors-local-network-access", basis: `corsErrorStatus ${c}` };
    if (c) return { verdict: "blocked", id: `cors:${c}`, basis: "corsErrorStatus" };
  }
  for (const r of [...actuals, ...reqs]) {
    const id = idOfBlockedReason(r.blockedReason);
    if (id) return { verdict: "blocked", id, basis: `blockedReason ${r.blockedReason}` };
  }
  for (const r of [...actuals, ...reqs]) {
    const id = idOfChromiumError(r.errorText);
    if (id) return { verdict: "blocked", id, basis: `errorText ${r.errorText}` };
  }
  for (const i of /** @type {any[]} */ (rec.issues)) {
    if (i.code === "ContentSecurityPolicyIssue")
      return { verdict: "blocked", id: "not-cors-csp-connect-src", basis: "ContentSecurityPolicyIssue" };
    if (i.code === "MixedContentIssue" && i.details.includes("MixedContentBlocked"))
      return { verdict: "blocked", id: "not-cors-mixed-content", basis: "MixedContentIssue" };
    if (i.code === "SRIMessageSignatureIssue") return { verdict: "blocked", id: "not-cors-sri", basis: "SRIMessageSignatureIssue" };
  }
  const consoleText = rec.console.join("\n");
  if (/Failed to find a valid digest in the 'integrity' attribute/.test(consoleText))
    return { verdict: "blocked", id: "not-cors-sri", basis: "console: integrity" };
  return unspecific(
    s,
    rec.requests
      .map((/** @type {any} */ r) => r.errorText)
      .filter(Boolean)
      .join(", ") || "nothing",
    undefined,
  );
}

/**
 * The page failed and the browser named no reason (Chromium: only net::ERR_FAILED and no CORS error, e.g. a
 * redirect under redirect: 'error', a preflight blocked by another extension). No CORS check failed, so the case's
 * aim (a not-cors id) is taken, and the basis says so.
 * @returns {Truth}
 */
function unspecific(/** @type {Scenario} */ s, /** @type {string} */ said, /** @type {string | undefined} */ otherwise) {
  const aim = s.expect.id?.startsWith("not-cors-") ? s.expect.id : undefined;
  if (aim) return { verdict: "blocked", id: aim, basis: `the case's aim: the browser said only ${said}` };
  // Nothing to go on (e.g. a service worker's fetch, which neither BiDi nor the page's console shows): any block.
  return { verdict: "blocked", ...(otherwise ? { id: otherwise } : {}), basis: `the browser said only ${said}` };
}

/** @returns {Truth} */
export function firefoxTruth(/** @type {Scenario} */ s, /** @type {any} */ rec) {
  const t = firefoxVerdict(s, rec);
  return withEvidence(s, t, findingFor(s, rec, t));
}

/** @returns {Truth} */
function firefoxVerdict(/** @type {Scenario} */ s, /** @type {any} */ rec) {
  const consoleText = rec.console.join("\n");
  // A CSP-blocked beacon: sendBeacon still returns true; only the console (and the empty wire) tell.
  if (s.action.kind === "beacon" && /Content-Security-Policy/.test(consoleText) && !rec.wire.length)
    return { verdict: "blocked", id: "not-cors-csp-connect-src", basis: "console: CSP" };
  if (pageGotIt(s, rec)) return { verdict: "not-blocked", basis: "page" };
  if (cancelledByPage(rec)) return { verdict: "cancelled", basis: "page: AbortError" };
  if (/Blocked loading mixed (active|display) content/.test(consoleText))
    return { verdict: "blocked", id: "not-cors-mixed-content", basis: "console: mixed content" };
  if (/^Content-Security-Policy: /m.test(consoleText)) return { verdict: "blocked", id: "not-cors-csp-connect-src", basis: "console: CSP" };
  for (const f of /** @type {any[]} */ (rec.failures)) {
    const id = idOfFirefoxError(f.errorText);
    if (id) return { verdict: "blocked", id, basis: `error ${f.errorText}` };
  }
  // A service worker answered the page's request with a rejected respondWith(): the page's request is blocked, and
  // why the worker's own fetch failed is not shown to the page (its "did not succeed" line follows any failure).
  if (rec.failures.some((/** @type {any} */ f) => f.errorText === "NS_ERROR_INTERCEPTION_FAILED"))
    return { verdict: "blocked", basis: "error NS_ERROR_INTERCEPTION_FAILED: the service worker's respondWith() rejected" };
  // The CORS reason Firefox printed (the first specific one: "did not succeed" follows every preflight failure).
  const reasons = rec.console.map((/** @type {string} */ l) => parseFirefoxCorsLine(l)).filter((/** @type {any} */ r) => r && !r.warning);
  const specific = reasons.find((/** @type {any} */ r) => r.key !== "CORSDidNotSucceed2");
  if (specific) return { verdict: "blocked", id: `cors:${specific.key}`, basis: "console: CORS reason" };
  if (/integrity|Subresource Integrity/i.test(consoleText)) return { verdict: "blocked", id: "not-cors-sri", basis: "console: integrity" };
  if (/Cross-Origin-Resource-Policy|Cross-Origin-Embedder-Policy/.test(consoleText))
    return { verdict: "blocked", id: "not-cors-corp-coep", basis: "console: CORP/COEP" };
  // "CORS request did not succeed" is Firefox's line for any request that got no usable response: not specific.
  const errors = rec.failures.map((/** @type {any} */ f) => f.errorText).join(", ");
  const said = [errors, reasons.length ? "“CORS request did not succeed”" : ""].filter(Boolean).join(" and ") || "nothing";
  return unspecific(s, said, reasons.length ? "cors:CORSDidNotSucceed2" : undefined);
}
