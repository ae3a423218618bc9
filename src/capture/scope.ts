// Which requests capture keeps. Decided as early and as cheaply as possible because every request of
// every tab passes through here: navigations, same-origin, non-HTTP and the extension's own pages are
// dropped on the first event without allocating a record.
import { originOf } from "../core/origin";
import type { WebRequestDetails } from "./events";

/** The origin of the page (or worker) that made the request: Chromium's `initiator`, Firefox's `originUrl`/`documentUrl`. */
export function initiatorOriginOf(details: WebRequestDetails): string | null {
  if (details.initiator !== undefined) return details.initiator;
  const url = details.originUrl ?? details.documentUrl;
  if (!url) return null;
  // Extension pages: URL parsers give non-special schemes an opaque origin, but we need to recognise them.
  const extension = /^((?:chrome|moz|safari-web)-extension:\/\/[^/]*)/.exec(url);
  return extension ? extension[1]! : originOf(url);
}

export function isExtensionOrigin(origin: string | null): boolean {
  return origin !== null && /^(chrome|moz|safari-web)-extension:/.test(origin);
}

/** Navigations are not CORS requests (Fetch: mode "navigate"); they only matter for clearing the log. */
export function isNavigation(type: string): boolean {
  return type === "main_frame" || type === "sub_frame" || type === "outermost_frame";
}

/**
 * Types that always go through the CORS protocol when cross-origin: fetch() and XHR default to mode "cors".
 * Other types (fonts, `crossorigin` scripts and images, module scripts) are CORS requests only when the
 * browser sends `Origin`, which is decided once the request headers are seen.
 */
export function isCorsByType(type: string): boolean {
  return type === "xmlhttprequest" || type === "fetch";
}

export type Scope = "ignore" | "cross-origin" | "same-origin";

/**
 * First look at a request. Same-origin is reported apart from "ignore" because a same-origin fetch that is
 * redirected to another origin becomes a CORS request from that hop on (Fetch, HTTP-redirect fetch step 7
 * taints the request) and is picked up again at the redirect.
 */
export function scopeOf(details: WebRequestDetails): Scope {
  if (details.tabId < 0) return "ignore"; // not a tab (the extension itself, service workers of sites)
  if (!details.url.startsWith("http:") && !details.url.startsWith("https:")) return "ignore";
  if (details.type === "websocket" || isNavigation(details.type)) return "ignore";
  const initiator = initiatorOriginOf(details);
  if (isExtensionOrigin(initiator)) return "ignore";
  if (initiator !== null && initiator !== "null" && initiator === originOf(details.url)) return "same-origin";
  return "cross-origin";
}
