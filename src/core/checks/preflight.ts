// The checks on a preflight response, in the order each browser applies them.
// Fetch: https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7. Chromium: preflight_controller.cc
// (redirect → CheckAccess → status → parse ACAM, ACAH → method → headers). Firefox:
// nsCORSPreflightListener::CheckPreflightRequestApproved (status → ACAM → method → ACAH → headers).
import { get, parseTokenList } from "../headers";
import type { Header, HttpResponse } from "../model";
import { isSafelistedMethod } from "../safelist";
import { chromeCheckAccess, firefoxCheckAccess } from "./cors-check";
import type { Evidence } from "./failure";

export interface PreflightInput {
  response: HttpResponse;
  /** Origin the preflight carried. */
  requestOrigin: string;
  /** The actual request's credentials mode decides (the preflight itself never carries credentials). */
  credentialsInclude: boolean;
  /** The actual request's method, as sent. */
  method: string;
  /** Lower-cased header names that need permission (Access-Control-Request-Headers). */
  unsafeHeaders: string[];
}

export interface PreflightFailure extends Evidence {
  id: string;
}

function isRedirectWithLocation(response: HttpResponse): boolean {
  return response.status >= 300 && response.status < 400 && get(response.headers, "location") !== null;
}

const isOkStatus = (status: number) => status >= 200 && status <= 299;

function methodAllowed(method: string, allowed: string[], credentialsInclude: boolean): boolean {
  if (isSafelistedMethod(method)) return true;
  // Case-sensitive: "put" does not allow PUT (Chromium's spec-conformant ACAM matching, Firefox Equals).
  if (allowed.includes(method)) return true;
  return !credentialsInclude && allowed.includes("*");
}

/** First request header the preflight response does not allow, or null. */
function disallowedHeader(unsafe: string[], allowedRaw: string[], credentialsInclude: boolean): string | null {
  const allowed = new Set(allowedRaw.map((h) => h.toLowerCase()));
  // Measured in Chromium 156 and Firefox ESR 153: a bare "*" (without credentials) also covers
  // Authorization, although the Fetch standard says it should not.
  const wildcard = !credentialsInclude && allowed.has("*");
  for (const name of unsafe) {
    if (!allowed.has(name) && !wildcard) return name;
  }
  return null;
}

const ACAM = "access-control-allow-methods";
const ACAH = "access-control-allow-headers";

export function chromeCheckPreflight(input: PreflightInput): PreflightFailure | null {
  const { response } = input;
  if (isRedirectWithLocation(response)) {
    return {
      id: "preflight-redirect",
      header: "location",
      expected: "a 2xx response",
      actual: `${response.status} → ${get(response.headers, "location")}`,
      chromeCorsError: "PreflightDisallowedRedirect",
      failedParameter: "",
    };
  }
  // The CORS check comes before the status check: a 404 without ACAO is reported as a missing ACAO.
  const access = chromeCheckAccess({
    headers: response.headers,
    requestOrigin: input.requestOrigin,
    credentialsInclude: input.credentialsInclude,
  });
  if (access) {
    return {
      id: `preflight-${access.id}`,
      header: access.header,
      expected: access.expected,
      actual: access.actual,
      chromeCorsError: `Preflight${access.chromeCorsError}`,
      failedParameter: access.failedParameter,
    };
  }
  if (!isOkStatus(response.status)) {
    return {
      id: "preflight-status-not-ok",
      expected: "200–299",
      actual: String(response.status),
      chromeCorsError: "PreflightInvalidStatus",
      failedParameter: "",
    };
  }
  const methods = parseTokenList(get(response.headers, ACAM));
  if (!methods.ok) {
    return {
      id: "preflight-allow-methods-invalid",
      header: ACAM,
      expected: "comma-separated method tokens",
      actual: get(response.headers, ACAM) ?? "",
      chromeCorsError: "InvalidAllowMethodsPreflightResponse",
      failedParameter: "",
    };
  }
  const headers = parseTokenList(get(response.headers, ACAH));
  if (!headers.ok) {
    return {
      id: "preflight-allow-headers-invalid",
      header: ACAH,
      expected: "comma-separated header names",
      actual: get(response.headers, ACAH) ?? "",
      chromeCorsError: "InvalidAllowHeadersPreflightResponse",
      failedParameter: "",
    };
  }
  if (!methodAllowed(input.method, methods.items, input.credentialsInclude)) {
    return {
      id: "preflight-method-not-allowed",
      header: ACAM,
      expected: input.method,
      actual: get(response.headers, ACAM) ?? "",
      chromeCorsError: "MethodDisallowedByPreflightResponse",
      failedParameter: input.method,
    };
  }
  const bad = disallowedHeader(input.unsafeHeaders, headers.items, input.credentialsInclude);
  if (bad) {
    return {
      id: "preflight-header-not-allowed",
      header: ACAH,
      expected: bad,
      actual: get(response.headers, ACAH) ?? "",
      chromeCorsError: "HeaderDisallowedByPreflightResponse",
      failedParameter: bad,
    };
  }
  return null;
}

export function firefoxCheckPreflight(input: PreflightInput): PreflightFailure | null {
  const { response } = input;
  // Measured (Firefox ESR 153): the redirected preflight goes through the CORS listener first, so a
  // 3xx without CORS headers is reported as a missing ACAO, not as a redirect.
  const access = firefoxCheckAccess({
    headers: response.headers,
    requestOrigin: input.requestOrigin,
    credentialsInclude: input.credentialsInclude,
  });
  if (access) return { id: `preflight-${access.id}`, firefoxReason: access.firefoxReason };
  if (isRedirectWithLocation(response)) {
    return { id: "preflight-redirect", firefoxReason: "CORSExternalRedirectNotAllowed" };
  }
  if (!isOkStatus(response.status)) return { id: "preflight-status-not-ok", firefoxReason: "CORSPreflightDidNotSucceed3" };
  const methods = parseTokenList(get(response.headers, ACAM));
  if (!methods.ok) return { id: "preflight-allow-methods-invalid", firefoxReason: "CORSInvalidAllowMethod" };
  if (!methodAllowed(input.method, methods.items, input.credentialsInclude)) {
    return { id: "preflight-method-not-allowed", firefoxReason: "CORSMethodNotFound" };
  }
  const headers = parseTokenList(get(response.headers, ACAH));
  if (!headers.ok) return { id: "preflight-allow-headers-invalid", firefoxReason: "CORSInvalidAllowHeader" };
  if (disallowedHeader(input.unsafeHeaders, headers.items, input.credentialsInclude)) {
    return { id: "preflight-header-not-allowed", firefoxReason: "CORSMissingAllowHeaderFromPreflight2" };
  }
  return null;
}

/** Headers the response allows, lower-cased (for the panel's comparison table). */
export function allowedHeaderNames(headers: readonly Header[]): string[] {
  const parsed = parseTokenList(get(headers, ACAH));
  return parsed.ok ? parsed.items.map((h) => h.toLowerCase()) : [];
}
