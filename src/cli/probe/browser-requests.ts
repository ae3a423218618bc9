// The requests a Chromium page sends for one fetch(), as captured from Chromium 156 on this machine.
// The preflight is reproduced header for header and in order (test/probe/express.test.ts compares it with
// the one Chromium sends): Accept, Access-Control-Request-Method, Access-Control-Request-Headers, Origin,
// User-Agent, Sec-Fetch-Mode/-Site/-Dest, Referer, Accept-Encoding, Accept-Language — no Cookie, no
// Authorization. The actual request carries the same headers as Chromium's (client hints, the page's
// headers, Accept, Origin, Sec-Fetch-*, Referer, Accept-Encoding, Accept-Language, Cookie with credentials);
// Chromium's own order there is not stable across requests, and servers do not depend on it.
// --browser firefox changes whose rules judge the answer, not these bytes.
import type { BrowserName, Header, HttpRequest } from "../../core/model";
import { unsafeRequestHeaderNames } from "../../core/safelist";

export const CHROME_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
const ACCEPT_ENCODING = "gzip, deflate, br, zstd";
const ACCEPT_LANGUAGE = "en-US,en;q=0.9";

/**
 * A rough registrable domain (no Public Suffix List here): the last two labels, three under a
 * two-letter second-level like co.uk. Used only for Sec-Fetch-Site and for deriving audit origins.
 */
export function registrableDomain(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(":") || !host.includes(".")) return host;
  const labels = host.split(".");
  const n =
    labels.length >= 3 && /^(co|com|org|net|ac|gov|edu)$/.test(labels[labels.length - 2]!) && labels[labels.length - 1]!.length === 2
      ? 3
      : 2;
  return labels.slice(-n).join(".");
}

/** https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-site-header */
export function secFetchSite(requestOrigin: string, url: string): "same-origin" | "same-site" | "cross-site" {
  if (requestOrigin === "null") return "cross-site";
  let from: URL;
  try {
    from = new URL(requestOrigin);
  } catch {
    return "cross-site"; // an audit origin no browser would produce (special characters)
  }
  const target = new URL(url);
  if (target.origin === from.origin) return "same-origin";
  if (target.protocol === from.protocol && registrableDomain(target.hostname) === registrableDomain(from.hostname)) return "same-site";
  return "cross-site";
}

/** strict-origin-when-cross-origin (the default policy): the origin only, and nothing on https → http. */
function referrer(requestOrigin: string, url: string): string | null {
  if (requestOrigin === "null") return null;
  if (requestOrigin.startsWith("https:") && url.startsWith("http:")) return null;
  return requestOrigin + "/";
}

/** Chromium sends client hints only to potentially trustworthy URLs (https, loopback). */
function isPotentiallyTrustworthy(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "https:" || u.hostname === "localhost" || u.hostname === "127.0.0.1" || u.hostname === "[::1]";
}

/**
 * The preflight (Fetch #cors-preflight-fetch; Chromium preflight_controller.cc CreatePreflightRequest):
 * OPTIONS to the same URL, credentials mode "omit" (no Cookie, no Authorization), the method as sent,
 * the unsafe header names lower-cased, sorted, joined with "," and no space.
 */
export function preflightRequest(
  url: string,
  originHeader: string,
  method: string,
  pageHeaders: readonly Header[],
  browser: BrowserName,
): HttpRequest {
  const names = unsafeRequestHeaderNames(pageHeaders, browser);
  const headers: Header[] = [
    { name: "Accept", value: "*/*" },
    { name: "Access-Control-Request-Method", value: method },
  ];
  if (names.length > 0) headers.push({ name: "Access-Control-Request-Headers", value: names.join(",") });
  headers.push(
    { name: "Origin", value: originHeader },
    { name: "User-Agent", value: CHROME_USER_AGENT },
    { name: "Sec-Fetch-Mode", value: "cors" },
    { name: "Sec-Fetch-Site", value: secFetchSite(originHeader, url) },
    { name: "Sec-Fetch-Dest", value: "empty" },
  );
  const ref = referrer(originHeader, url);
  if (ref) headers.push({ name: "Referer", value: ref });
  headers.push({ name: "Accept-Encoding", value: ACCEPT_ENCODING }, { name: "Accept-Language", value: ACCEPT_LANGUAGE });
  return { method: "OPTIONS", url, headers };
}

/** The actual request: the page's headers, then what the browser adds; Cookie only for credentials "include". */
export function actualRequest(
  url: string,
  originHeader: string,
  method: string,
  pageHeaders: readonly Header[],
  cookie: string | null,
): HttpRequest {
  const hints = isPotentiallyTrustworthy(url);
  const headers: Header[] = [];
  if (hints) headers.push({ name: "sec-ch-ua-platform", value: '"Linux"' });
  headers.push(...pageHeaders);
  if (hints)
    headers.push({ name: "sec-ch-ua", value: '"Not:A-Brand";v="8", "Chromium";v="156"' }, { name: "sec-ch-ua-mobile", value: "?0" });
  if (!pageHeaders.some((h) => h.name.toLowerCase() === "user-agent")) headers.push({ name: "User-Agent", value: CHROME_USER_AGENT });
  // fetch() defaults Accept to */* when the page did not set one (Fetch #fetching step "Accept").
  if (!pageHeaders.some((h) => h.name.toLowerCase() === "accept")) headers.push({ name: "Accept", value: "*/*" });
  headers.push(
    { name: "Origin", value: originHeader },
    { name: "Sec-Fetch-Site", value: secFetchSite(originHeader, url) },
    { name: "Sec-Fetch-Mode", value: "cors" },
    { name: "Sec-Fetch-Dest", value: "empty" },
  );
  const ref = referrer(originHeader, url);
  if (ref) headers.push({ name: "Referer", value: ref });
  headers.push({ name: "Accept-Encoding", value: ACCEPT_ENCODING });
  if (!pageHeaders.some((h) => h.name.toLowerCase() === "accept-language"))
    headers.push({ name: "Accept-Language", value: ACCEPT_LANGUAGE });
  if (cookie) headers.push({ name: "Cookie", value: cookie });
  return { method, url, headers };
}
