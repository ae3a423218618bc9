// Words for failures that are not a CORS check (taxonomy A.5): what stopped the request, the console
// line each browser prints for it, and never a CORS header as the cure.
import { isNonHttpRedirectSignal, type NotCorsFailure } from "../checks/not-cors";
import type { Words } from "./blocking";

const SPEC = "https://fetch.spec.whatwg.org/";

export interface NotCorsContext {
  url: string;
  /** The page's origin. */
  origin: string;
  method: string;
  /** The address space the target is in, when known or revealed by the URL. */
  targetSpace?: string;
}

export interface NotCorsWords extends Words {
  console?: { chrome?: string; firefox?: string };
}

/** Firefox logs a cross-origin request that failed below CORS as "CORS request did not succeed". */
function firefoxDidNotSucceed(url: string): string {
  return `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: CORS request did not succeed). Status code: (null).`;
}

/** Chromium's network-error console line. */
function chromeNetLine(ctx: NotCorsContext, error: string): string | undefined {
  // Measured (matrix2 SIGNALS.md): Chromium logs "Failed to load resource: net::ERR_…" for these.
  void ctx;
  return error.startsWith("net::") ? `Failed to load resource: ${error}` : undefined;
}

const NETWORK_WHY: Record<string, string> = {
  ERR_CONNECTION_RESET: "the connection was reset (the server or a proxy closed it abruptly)",
  ERR_CONNECTION_CLOSED: "the server closed the connection without answering",
  ERR_EMPTY_RESPONSE: "the server closed the connection without sending anything",
  ERR_CONNECTION_TIMED_OUT: "the connection timed out (a firewall dropping packets, or the host is down)",
  ERR_TIMED_OUT: "the request timed out",
  ERR_ADDRESS_UNREACHABLE: "the address is unreachable from this machine",
  ERR_NETWORK_CHANGED: "the network changed while the request was in flight",
  ERR_TOO_MANY_REDIRECTS: "the URL redirects in a loop (more than 20 redirects)",
  ERR_INVALID_REDIRECT: "the redirect's Location is not a valid URL",
  ERR_INVALID_HTTP_RESPONSE: "the server's answer is not valid HTTP (a TLS port spoken to in http, or the reverse?)",
  ERR_PROXY_CONNECTION_FAILED: "the configured proxy cannot be reached",
  ERR_TUNNEL_CONNECTION_FAILED: "the proxy refused to open a tunnel to the host",
  NS_ERROR_NET_RESET: "the connection was reset",
  NS_ERROR_NET_TIMEOUT: "the connection timed out",
  NS_ERROR_NET_INTERRUPT: "the connection was interrupted",
  NS_ERROR_NET_EMPTY_RESPONSE: "the server closed the connection without sending anything",
  NS_ERROR_REDIRECT_LOOP: "the URL redirects in a loop",
  NS_ERROR_PROXY_CONNECTION_REFUSED: "the configured proxy refused the connection",
  NS_ERROR_BLOCKED_BY_POLICY: "a browser policy blocked it (Cross-Origin-Embedder-Policy, or an administrator policy)",
};

function lnaWords(f: NotCorsFailure, ctx: NotCorsContext): NotCorsWords {
  const space = f.failedParameter || ctx.targetSpace || "local";
  const corsError = f.chromeCorsError ?? "";
  const chromeBody: Record<string, string> = {
    LocalNetworkAccessPermissionDenied: `Permission was denied for this request to access the \`${space}\` address space.`,
    InsecureLocalNetwork: `The request client is not a secure context and the resource is in more-private address space \`${space}\`.`,
    InvalidLocalNetworkAccess: `Request had a target IP address space of \`${f.failedParameter || "?"}\` yet the resource is in address space \`${ctx.targetSpace ?? "?"}\`.`,
  };
  const body = chromeBody[corsError];
  const chrome = body
    ? `Access to fetch at '${ctx.url}' from origin '${ctx.origin}' has been blocked by CORS policy: ${body}`
    : chromeNetLine(ctx, f.signal);
  let detail: string;
  if (corsError === "InsecureLocalNetwork" || corsError === "InsecurePrivateNetwork") {
    detail = `Local Network Access: a page that is not a secure context (${ctx.origin} is plain http) may not call a more private address (${space}). Serve the page over https; then the browser asks the user for permission.`;
  } else if (!corsError && f.signal.startsWith("targetAddressSpace")) {
    detail = `Local Network Access: the page declared ${f.signal} and the request failed before any response. Chromium refuses it when the server is in another address space (InvalidLocalNetworkAccess: use "loopback" for localhost/127.0.0.1, "local" for a private LAN address (10.x, 192.168.x, *.local), and no option for a public server), or when the user did not grant the permission; DevTools' console names which. CORS headers do not change this.`;
  } else if (corsError === "InvalidLocalNetworkAccess" || corsError === "InvalidPrivateNetworkAccess") {
    detail = `Local Network Access: the page declared fetch(url, { targetAddressSpace: "${f.failedParameter || "…"}" }), but the server is in another address space. Use "loopback" for localhost/127.0.0.1, "local" for a private LAN address (10.x, 192.168.x, *.local), and nothing for a public server.`;
  } else {
    detail = `Local Network Access (Chrome 142+, Firefox 152+): a public page (${ctx.origin}) called a ${space === "loopback" ? "loopback (this machine)" : "local-network"} address, and the user did not grant the permission (headless browsers deny at once). Allow "${space === "loopback" ? "Apps on this device" : "Local network access"}" for the page in the site settings, or serve the page from the same network; an https page can also mark the call with fetch(url, { targetAddressSpace: "${space === "loopback" ? "loopback" : "local"}" }). Administrators: LocalNetworkAccessAllowedForUrls. CORS headers do not change this.`;
  }
  return {
    title: `Blocked by Local Network Access, not CORS${corsError ? ` (${corsError})` : ""}`,
    detail,
    spec: "https://wicg.github.io/local-network-access/",
    console: { ...(chrome ? { chrome } : {}), firefox: firefoxDidNotSucceed(ctx.url) },
  };
}

export function notCorsWords(f: NotCorsFailure, ctx: NotCorsContext): NotCorsWords {
  const on = f.onPreflight ? "The preflight (OPTIONS)" : "The request";
  const signal = f.signal;
  const name = signal.replace(/^net::/, "");
  const netLine = chromeNetLine(ctx, signal);
  const network = (title: string, detail: string): NotCorsWords => ({
    title,
    detail,
    spec: `${SPEC}#concept-network-error`,
    console: { ...(netLine ? { chrome: netLine } : {}), firefox: firefoxDidNotSucceed(ctx.url) },
  });
  switch (f.id) {
    case "not-cors-network-refused":
      return network(
        `Connection refused: nothing listens at ${hostPort(ctx.url)} (${signal})`,
        `${on} never reached a server: the connection was refused. The server is not running, listens on another port or interface (127.0.0.1 vs 0.0.0.0), or a firewall rejects it. Start the server and check the port; CORS headers play no part.`,
      );
    case "not-cors-network-dns":
      return network(
        `The host name does not resolve (${signal})`,
        `${on} failed at DNS: ${hostPort(ctx.url)} has no address. Check the spelling of the host, the environment's API URL, /etc/hosts or the VPN. CORS headers play no part.`,
      );
    case "not-cors-network-tls":
      return network(
        `Certificate or TLS failure (${signal})`,
        `${on} failed during the TLS handshake: the certificate is not trusted, expired, or for another name. Open ${originOnly(ctx.url)} in a tab to see the certificate error (a fetch never shows it); fix the certificate, or trust the development CA. CORS headers play no part.`,
      );
    case "not-cors-network-offline":
      return network(
        `The browser was offline (${signal})`,
        "The machine had no network connection when the request was made (or DevTools' network throttling was set to Offline), so nothing was sent. Reconnect and retry; nothing is wrong with the server or its CORS configuration.",
      );
    case "not-cors-network-other": {
      const why = NETWORK_WHY[name] ?? "the connection failed before any response";
      return network(
        `The request failed below HTTP (${signal})`,
        `${on} got no usable response: ${why}. This happens before any CORS check: look at the server's logs, its proxy or load balancer. CORS headers play no part.`,
      );
    }
    case "not-cors-blocked-by-client": {
      const by = blockedBy(name);
      return {
        title: `Blocked by ${by}, not by CORS (${signal})`,
        detail: `${on} was stopped inside the browser by ${by} before it reached the network${f.onPreflight ? " (only the preflight was blocked, so the request itself never left)" : ""}. Test in a clean profile or a private window without extensions, or allowlist ${hostPort(ctx.url)} in the blocker. URLs with words such as "ads", "track", "analytics" or "pixel" are typical targets.`,
        spec: `${SPEC}#concept-network-error`,
        console: { ...(netLine ? { chrome: netLine } : {}), firefox: firefoxDidNotSucceed(ctx.url) },
      };
    }
    case "not-cors-mixed-content":
      return {
        title: "Mixed content: an https page cannot call an http URL",
        detail: `The page ${ctx.origin} is served over https and the request goes to ${originOnly(ctx.url)} over plain http, so the browser blocks it before sending (the request never reaches the server, and webRequest never sees it). Serve the API over https and call it with https://. (http://localhost and http://127.0.0.1 are exempt.)`,
        spec: "https://w3c.github.io/webappsec-mixed-content/",
        console: {
          chrome: `Mixed Content: The page at '${ctx.origin}/' was loaded over HTTPS, but requested an insecure resource '${ctx.url}'. This request has been blocked; the content must be served over HTTPS.`,
          firefox: `Blocked loading mixed active content “${ctx.url}”`,
        },
      };
    case "not-cors-csp-connect-src":
      return {
        title: "The page's own Content-Security-Policy forbids this URL (connect-src)",
        detail: `The page's Content-Security-Policy does not list ${originOnly(ctx.url)} in connect-src (or default-src), so the browser refused to send the request. The fix is on the page's server, not the API: add ${originOnly(ctx.url)} to connect-src in the page's Content-Security-Policy header or <meta>.`,
        spec: "https://www.w3.org/TR/CSP3/#directive-connect-src",
        console: {
          chrome: `Refused to connect to '${ctx.url}' because it violates the following Content Security Policy directive: "${signal.includes("connect-src") || signal.includes("default-src") ? signal : "connect-src …"}".`,
          firefox: `Content-Security-Policy: The page’s settings blocked the loading of a resource (connect-src) at ${ctx.url}`,
        },
      };
    case "not-cors-corp-coep":
      return {
        title: `Blocked by Cross-Origin-Resource-Policy / Cross-Origin-Embedder-Policy, not CORS (${signal})`,
        detail: `The response's Cross-Origin-Resource-Policy does not allow ${ctx.origin} to embed it${/coep/i.test(signal) ? ", or the page's Cross-Origin-Embedder-Policy requires resources to opt in" : ""}. Send Cross-Origin-Resource-Policy: cross-origin on the resource (or same-site where that fits), or load it in cors mode with CORS headers; a page with COEP: require-corp needs one of the two for every cross-origin resource.`,
        spec: "https://fetch.spec.whatwg.org/#cross-origin-resource-policy-header",
        console: { ...(netLine ? { chrome: netLine } : {}) },
      };
    case "not-cors-orb":
      return {
        title: `Opaque Response Blocking (${signal})`,
        detail:
          "A no-cors load (an <img>, <script> or fetch in no-cors mode) received something that is not an image, script, stylesheet or media: JSON, HTML or the like. The browser hides it (ORB). Load it with fetch() in cors mode and CORS headers, or fix the Content-Type / URL so a real image or script comes back.",
        spec: "https://github.com/annevk/orb",
        console: { ...(netLine ? { chrome: netLine } : {}) },
      };
    case "not-cors-content-type":
      return {
        title: "Blocked by its Content-Type (X-Content-Type-Options: nosniff)",
        detail:
          "The response is sent with X-Content-Type-Options: nosniff and a Content-Type that does not fit how it is used (a script or stylesheet served as text/plain or JSON). Serve it with the right Content-Type.",
        spec: "https://fetch.spec.whatwg.org/#x-content-type-options-header",
      };
    case "not-cors-local-network-access":
      return lnaWords(f, ctx);
    case "not-cors-redirect-mode":
      if (isNonHttpRedirectSignal(signal)) {
        return {
          title: `A redirect points outside http(s) (${signal})`,
          detail:
            "fetch() follows redirects to http and https URLs only; a Location of data:, about:, blob:, file:, javascript: or a custom scheme is a network error in every mode. Redirect to an https URL, or return the content directly.",
          spec: `${SPEC}#http-redirect-fetch`,
          console: { ...(netLine ? { chrome: netLine } : {}), firefox: firefoxDidNotSucceed(ctx.url) },
        };
      }
      return {
        title: "The server redirected and the page asked for redirect: 'error'",
        detail:
          "fetch() was called with redirect: 'error', and the response is a 3xx, so the browser turns it into a network error. Call the final URL directly, or use redirect: 'follow'.",
        spec: `${SPEC}#concept-request-redirect-mode`,
      };
    case "not-cors-sri":
      return {
        title: "Subresource Integrity mismatch",
        detail:
          "The response's digest does not match the page's integrity attribute (or integrity option), so the browser discarded it. Update the hash after the file changed, or serve the exact file the hash was made from.",
        spec: "https://w3c.github.io/webappsec-subresource-integrity/",
      };
    case "not-cors-no-response":
      return {
        title: "No response, and the file does not record why: not a CORS header check",
        detail: `${on} got no response at all, and the browser checks CORS only on a response. The file records no reason (Firefox's HAR writes every request that got no response as status 0, without an error), so it cannot tell which of these it was: the connection was refused, the host name did not resolve, TLS failed, the browser was offline, an extension or Local Network Access blocked it, or the page cancelled it while waiting, or it was still waiting when the file was saved (then there is nothing to fix).${f.onPreflight ? "" : " A request that needed a preflight is also never sent when its preflight fails: an answered OPTIONS entry for this URL elsewhere in the file then holds the cause."} Firefox's console line for this request tells which: "CORS request did not succeed" for the network or an extension, a Local Network Access message for LNA, none for a cancel. CORS Doctor recording live shows the browser's own reason.`,
        spec: `${SPEC}#concept-network-error`,
      };
    case "not-cors-cancelled":
      return {
        title: `Cancelled (${signal}): not a CORS block`,
        detail:
          "The page (AbortController, a navigation, a closed tab) or the browser cancelled this request; nothing to fix on the server.",
        spec: `${SPEC}#concept-fetch-terminate`,
      };
  }
}

function blockedBy(name: string): string {
  if (name === "ERR_BLOCKED_BY_ADMINISTRATOR") return "an administrator policy (URLBlocklist)";
  if (name === "subresource-filter") return "Chrome's ad filter";
  if (name === "inspector") return "DevTools request blocking";
  if (/^NS_ERROR_(TRACKING|FINGERPRINTING|CRYPTOMINING|SOCIALTRACKING|EMAILTRACKING)_URI$/.test(name))
    return "Firefox's Enhanced Tracking Protection";
  if (/^NS_ERROR_(MALWARE|PHISHING|HARMFUL|UNWANTED)_URI$/.test(name)) return "Safe Browsing";
  return "an extension (an ad-blocker or privacy tool)";
}

function originOnly(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
