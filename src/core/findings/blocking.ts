// Words for the blocking findings (taxonomy Section A): the only place that turns a failure into text.
import type { CheckFailure } from "../checks/failure";

const SPEC = "https://fetch.spec.whatwg.org/";
export const SPEC_CORS_CHECK = `${SPEC}#concept-cors-check`;
export const SPEC_PREFLIGHT = `${SPEC}#cors-preflight-fetch`;
export const SPEC_REDIRECT = `${SPEC}#http-redirect-fetch`;
export const SPEC_TAINT = `${SPEC}#concept-request-tainted-origin`;

export interface Words {
  title: string;
  detail: string;
  spec: string;
}

const q = (v: string | undefined) => JSON.stringify(v ?? "");

/** Explanations of why a single, valid-looking Access-Control-Allow-Origin is still not the origin (A.2). */
const MISMATCH_WHY: Record<string, string> = {
  "acao-mismatch-trailing-slash": "A serialised origin has no path, not even a trailing slash; the comparison is byte for byte.",
  "acao-mismatch-scheme": "The scheme is part of the origin: http and https origins are different origins.",
  "acao-mismatch-port": "The port is part of the origin, and default ports (80, 443) are never written in a serialised origin.",
  "acao-mismatch-case": "Origins are compared byte for byte, and browsers send them lower-case.",
  "acao-mismatch-null-expected":
    "The request's origin became \"null\" (after a redirect to another origin, or from a sandboxed or file: page), so the page's real origin no longer matches.",
  "acao-mismatch-null-sent": 'The server allowed the literal origin "null", but the page has a real origin.',
  "acao-mismatch-localhost-vs-127": "localhost and 127.0.0.1 are different origins even though they reach the same machine.",
  "acao-mismatch-wildcard-pattern": "Patterns such as https://*.example.com are not supported: only a bare * or one exact origin.",
  "acao-mismatch-other-valid-origin":
    "The server answered with another origin: a static allow-list entry for a different environment, or a response cached for another origin (check Vary: Origin).",
  "acao-mismatch": "The value must be exactly the page's origin.",
};

export function blockingWords(f: CheckFailure, origin: string, credentialsInclude = false): Words {
  const starNote = credentialsInclude ? " With credentials, * is read as a literal name, not a wildcard." : "";
  const where = f.request === "preflight" ? "the preflight (OPTIONS) response" : "the response";
  const id = f.id.replace(/^preflight-(?=acao|acac)/, "");
  if (id.startsWith("acao-mismatch")) {
    return {
      title: `Access-Control-Allow-Origin ${q(f.actual)} does not match the page's origin ${q(f.expected ?? origin)}`,
      detail: `${where[0]!.toUpperCase()}${where.slice(1)} allows origin ${q(f.actual)} but the request came from ${q(f.expected ?? origin)}. ${MISMATCH_WHY[id] ?? MISMATCH_WHY["acao-mismatch"]}`,
      spec: f.request === "preflight" ? SPEC_PREFLIGHT : SPEC_CORS_CHECK,
    };
  }
  const spec = f.request === "preflight" ? SPEC_PREFLIGHT : SPEC_CORS_CHECK;
  switch (id) {
    case "acao-missing":
      return {
        title: `No Access-Control-Allow-Origin header on ${where}${f.status ? ` (HTTP ${f.status})` : ""}`,
        detail:
          `The browser needs Access-Control-Allow-Origin: ${f.expected ?? origin} (or * without credentials) on ${where}, and the server sent none. ${
            f.status && f.status >= 400
              ? `The status ${f.status} suggests the real problem is an error response that lacks CORS headers.`
              : ""
          }`.trim(),
        spec,
      };
    case "acao-multiple-values":
      return {
        title: `Access-Control-Allow-Origin has several values: ${q(f.actual)}`,
        detail: `Exactly one origin (or *) is allowed; ${where} sent ${q(f.actual)}. Two layers adding the header (app and proxy) or a list of origins both cause this: pick the one matching origin ${q(f.expected ?? origin)} on the server.`,
        spec,
      };
    case "acao-invalid-value":
      return {
        title: `Access-Control-Allow-Origin ${q(f.actual)} is not a valid origin`,
        detail: `The value must be a full origin such as ${q(f.expected ?? origin)} (scheme://host[:port]) or *; ${where} sent ${q(f.actual)}.`,
        spec,
      };
    case "acao-wildcard-with-credentials":
      return {
        title: "Access-Control-Allow-Origin: * is not allowed with credentials",
        detail: `The request is credentialed (cookies or HTTP auth: credentials mode 'include'), and then the browser refuses the wildcard. ${where[0]!.toUpperCase()}${where.slice(1)} must name the origin ${q(f.expected ?? origin)} and send Access-Control-Allow-Credentials: true — or the page must stop sending credentials.`,
        spec,
      };
    case "acac-not-true":
      return {
        title: `Access-Control-Allow-Credentials must be "true" for a credentialed request (got ${f.actual ? q(f.actual) : "none"})`,
        detail: `The request is credentialed, so ${where} must carry Access-Control-Allow-Credentials: true exactly (lower-case, once). It carried ${f.actual ? q(f.actual) : "no such header"}.`,
        spec,
      };
    case "preflight-status-not-ok":
      return {
        title: `The preflight (OPTIONS) got HTTP ${f.actual}, not a 2xx`,
        detail: `A preflight must succeed with a status from 200 to 299. HTTP ${f.actual} usually means OPTIONS hit authentication (preflights never carry cookies or Authorization), a missing route, or a method filter before the CORS layer.`,
        spec: SPEC_PREFLIGHT,
      };
    case "preflight-redirect":
      return {
        title: "The preflight (OPTIONS) was redirected",
        detail: `Browsers never follow a redirect on a preflight. The server answered ${f.actual ?? "a redirect"}: call the final URL directly (scheme, host, trailing slash) and never redirect OPTIONS.`,
        spec: SPEC_PREFLIGHT,
      };
    case "preflight-allow-methods-invalid":
      return {
        title: `Access-Control-Allow-Methods cannot be parsed: ${q(f.actual)}`,
        detail:
          'The value must be a comma-separated list of method tokens, e.g. "GET, POST, PUT"; one element is not a token (spaces as separators, quotes or semicolons), so the whole header is rejected.',
        spec: SPEC_PREFLIGHT,
      };
    case "preflight-allow-headers-invalid":
      return {
        title: `Access-Control-Allow-Headers cannot be parsed: ${q(f.actual)}`,
        detail:
          'The value must be a comma-separated list of header names, e.g. "Content-Type, X-Requested-With"; one element is not a token, so the whole header is rejected.',
        spec: SPEC_PREFLIGHT,
      };
    case "preflight-method-not-allowed":
      return {
        title: `Method ${f.expected} is not allowed by the preflight response`,
        detail: `Access-Control-Allow-Methods is ${f.actual ? q(f.actual) : "absent"}; it must list ${f.expected} exactly (methods are compared case-sensitively).${starNote}`,
        spec: SPEC_PREFLIGHT,
      };
    case "preflight-header-not-allowed":
      return {
        title: `Request header ${f.expected} is not allowed by the preflight response`,
        detail: `The page sends ${f.expected}, so the preflight response's Access-Control-Allow-Headers must list it; it is ${f.actual ? q(f.actual) : "absent"}.${starNote}`,
        spec: SPEC_PREFLIGHT,
      };
    case "redirect-location-has-credentials":
      return {
        title: "A redirect points to a URL with a username and password",
        detail: `The redirect Location ${q(f.actual)} contains user:password@, which browsers refuse for cross-origin requests.`,
        spec: SPEC_REDIRECT,
      };
    case "request-did-not-succeed":
      return {
        title: `The request failed before any CORS check (${f.actual ?? "network error"})`,
        detail:
          "No response came back (connection refused, DNS, TLS, reset, or blocked by an extension). This is not a CORS header problem: make sure the server answers at all.",
        spec: `${SPEC}#concept-network-error`,
      };
    case "preflight-request-did-not-succeed":
      return {
        title: `The preflight (OPTIONS) failed before any CORS check (${f.actual ?? "network error"})`,
        detail:
          "The OPTIONS request got no response (connection refused, reset, TLS, timeout). Make the server answer OPTIONS for this path.",
        spec: SPEC_PREFLIGHT,
      };
    case "blocked-reason-unknown":
      return {
        title: `The browser failed the request (${f.actual ?? "no reason given"}), and the captured headers do not say why`,
        detail:
          "Every CORS check passes on what was captured, and no response came back. What fails like this: Local Network Access (a public page calling a private or loopback address: Chrome reports it only to DevTools), a service worker whose own fetch failed, an extension that blocked or rewrote the request, a Content-Security-Policy or mixed-content block. Open DevTools' Console and Issues on the page (or record with CORS Doctor's page observer) to see the browser's own reason.",
        spec,
      };
    case "response-header-rewritten":
      return {
        title: `The browser's CORS check saw other headers than the server sent${f.chromeCorsError ? ` (Chromium: ${f.chromeCorsError})` : ""}`,
        detail: `The captured response passes the CORS check for ${q(origin)}${f.actual ? ` (Access-Control-Allow-Origin ${q(f.actual)})` : ""}, yet the browser blocked it${f.chromeCorsError ? ` as ${f.chromeCorsError}` : ""}. Something between the server and the browser's check rewrote the response: typically another extension using declarativeNetRequest to remove or change headers (webRequest and DevTools show the headers before such changes). Test in a clean profile; do not change a server that already answers correctly.`,
        spec,
      };
    case "preflight-not-observed":
      return {
        title: "Blocked by a preflight that was not captured",
        detail:
          "The request needed a preflight and never got a response, but no preflight was observed (capture started late, or the preflight came from another tool). Reload with CORS Doctor open to see it.",
        spec: SPEC_PREFLIGHT,
      };
    default:
      return {
        title: `Blocked by CORS (${f.id})`,
        detail: `The browser blocked the request. ${f.actual ? `Received ${q(f.actual)}.` : ""}`.trim(),
        spec,
      };
  }
}
