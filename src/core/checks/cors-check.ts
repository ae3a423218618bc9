// The CORS check on one response (https://fetch.spec.whatwg.org/#concept-cors-check), classified
// the way each browser reports it.
// Chromium: services/network/public/cpp/cors/cors.cc CheckAccess (+ preflight_controller.cc for the
// Preflight* names). Firefox: nsCORSListenerProxy::CheckRequestApproved.
import { get, lineCount } from "../headers";
import { classifyOriginMismatch } from "../origin";
import type { Header } from "../model";

export interface AccessInput {
  headers: readonly Header[];
  /** The serialised request origin as sent in Origin ("null" when tainted or opaque). */
  requestOrigin: string;
  credentialsInclude: boolean;
}

/** An access failure before it is placed on the preflight or the actual request. */
export interface AccessFailure {
  /** Id stem: "acao-missing", "acao-mismatch-port", "acac-not-true"… ("preflight-" is prefixed by the caller). */
  id: string;
  header: "access-control-allow-origin" | "access-control-allow-credentials";
  expected: string;
  actual: string;
  chromeCorsError: string;
  failedParameter: string;
}

const validUrls = new Map<string, boolean>();
const VALID_URLS_LIMIT = 1024;

function isValidUrl(value: string): boolean {
  // A log repeats its few wrong Access-Control-Allow-Origin values: parse each once.
  let valid = validUrls.get(value);
  if (valid === undefined) {
    try {
      new URL(value);
      valid = true;
    } catch {
      valid = false;
    }
    if (validUrls.size >= VALID_URLS_LIMIT) validUrls.clear();
    validUrls.set(value, valid);
  }
  return valid;
}

/** Chromium's CheckAccess: the first failing condition, with its CorsError and failedParameter. */
export function chromeCheckAccess(input: AccessInput): AccessFailure | null {
  const acao = get(input.headers, "access-control-allow-origin");
  const origin = input.requestOrigin;
  if (acao === "*") {
    if (input.credentialsInclude) {
      return {
        id: "acao-wildcard-with-credentials",
        header: "access-control-allow-origin",
        expected: origin,
        actual: "*",
        chromeCorsError: "WildcardOriginNotAllowed",
        failedParameter: "",
      };
    }
    return null;
  }
  if (acao === null) {
    return {
      id: "acao-missing",
      header: "access-control-allow-origin",
      expected: origin,
      actual: "",
      chromeCorsError: "MissingAllowOriginHeader",
      failedParameter: "",
    };
  }
  if (acao !== origin) {
    // Chromium calls anything with a space or comma "multiple values" — two header lines are
    // combined with ", " first, so they land here too.
    if (acao.includes(" ") || acao.includes(",")) {
      return {
        id: "acao-multiple-values",
        header: "access-control-allow-origin",
        expected: origin,
        actual: acao,
        chromeCorsError: "MultipleAllowOriginValues",
        failedParameter: acao,
      };
    }
    if (acao !== "null" && !isValidUrl(acao)) {
      return {
        id: "acao-invalid-value",
        header: "access-control-allow-origin",
        expected: origin,
        actual: acao,
        chromeCorsError: "InvalidAllowOriginValue",
        failedParameter: acao,
      };
    }
    return {
      id: classifyOriginMismatch(acao, origin),
      header: "access-control-allow-origin",
      expected: origin,
      actual: acao,
      chromeCorsError: "AllowOriginMismatch",
      failedParameter: acao,
    };
  }
  if (input.credentialsInclude) {
    const acac = get(input.headers, "access-control-allow-credentials");
    if (acac !== "true") {
      return {
        id: "acac-not-true",
        header: "access-control-allow-credentials",
        expected: "true",
        actual: acac ?? "",
        chromeCorsError: "InvalidAllowCredentials",
        failedParameter: acac ?? "",
      };
    }
  }
  return null;
}

export interface FirefoxAccessFailure {
  id: string;
  firefoxReason: string;
}

/**
 * "X, X": the same value twice in one line. Firefox's webRequest hands two header lines over joined this
 * way, and Firefox reports two lines as CORSMultipleAllowOriginNotAllowed (measured, Firefox ESR 153,
 * test/engine/firefox-joined-acao.test.ts); a server writing "X, X" in one line gets "does not match"
 * instead, and the joined value cannot tell the two apart. Two layers adding the same header is the
 * common cause, so the joined reading wins and the diagnosis says what it assumed.
 */
export function looksJoined(acao: string): boolean {
  const comma = acao.indexOf(",");
  if (comma < 0) return false;
  const first = acao.slice(0, comma).trim();
  if (first === "") return false;
  return acao.split(",").every((part) => part.trim() === first);
}

/**
 * Firefox's CheckRequestApproved order: header lines are counted (not combined values), and every
 * malformed single value is simply "does not match".
 */
export function firefoxCheckAccess(input: AccessInput): FirefoxAccessFailure | null {
  const lines = lineCount(input.headers, "access-control-allow-origin");
  if (lines > 1) return { id: "acao-multiple-values", firefoxReason: "CORSMultipleAllowOriginNotAllowed" };
  const acao = get(input.headers, "access-control-allow-origin");
  if (acao !== null && looksJoined(acao)) return { id: "acao-multiple-values", firefoxReason: "CORSMultipleAllowOriginNotAllowed" };
  if (acao === null) return { id: "acao-missing", firefoxReason: "CORSMissingAllowOrigin2" };
  if (input.credentialsInclude && acao === "*") {
    return { id: "acao-wildcard-with-credentials", firefoxReason: "CORSNotSupportingCredentials" };
  }
  if ((input.credentialsInclude || acao !== "*") && acao !== input.requestOrigin) {
    // Firefox has one reason for every wrong value; the refinement (trailing slash, port, localhost
    // against 127.0.0.1…) is ours, and applies whenever the value is a single origin-like string.
    const single = !acao.includes(",") && !acao.includes(" ");
    return {
      id: single ? classifyOriginMismatch(acao, input.requestOrigin) : "acao-mismatch",
      firefoxReason: "CORSAllowOriginNotMatchingOrigin",
    };
  }
  if (input.credentialsInclude && get(input.headers, "access-control-allow-credentials") !== "true") {
    return { id: "acac-not-true", firefoxReason: "CORSMissingAllowCredentials" };
  }
  return null;
}

/**
 * The access check failure Chromium itself named (CDP `corsErrorStatus`, heard in precise mode) for a response that
 * was not captured, so that the check cannot run on it: the CorsError says which check failed, `failedParameter` what
 * the header held. Null for the CorsError values that are not about the access check (preflight, redirect, LNA…).
 */
export function accessFailureFromCorsError(corsError: string, failedParameter: string | undefined, origin: string): AccessFailure | null {
  const value = failedParameter ?? "";
  const onAcao = (id: string, actual: string): AccessFailure => ({
    id,
    header: "access-control-allow-origin",
    expected: origin,
    actual,
    chromeCorsError: corsError,
    failedParameter: value,
  });
  switch (corsError) {
    case "MissingAllowOriginHeader":
      return onAcao("acao-missing", "");
    case "WildcardOriginNotAllowed":
      return onAcao("acao-wildcard-with-credentials", "*");
    case "MultipleAllowOriginValues":
      return onAcao("acao-multiple-values", value);
    case "InvalidAllowOriginValue":
      return onAcao("acao-invalid-value", value);
    case "AllowOriginMismatch":
      return onAcao(value ? classifyOriginMismatch(value, origin) : "acao-mismatch", value);
    case "InvalidAllowCredentials":
      return {
        id: "acac-not-true",
        header: "access-control-allow-credentials",
        expected: "true",
        actual: value,
        chromeCorsError: corsError,
        failedParameter: value,
      };
    default:
      return null;
  }
}
