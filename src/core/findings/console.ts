// The console lines Chromium and Firefox print for a blocked request, rebuilt from the failure.
// Chromium: third_party/blink/renderer/platform/loader/cors/cors_error_string.cc (taxonomy A.0).
// Firefox: dom/locales/en-US/chrome/security/security.properties (the category is the key).
import type { CheckFailure } from "../checks/failure";

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const VALID_VALUE_SUFFIX = " Have the server send the header with a valid value.";

/** Chromium's message body for a CorsError, without the "Access to … has been blocked" lead. */
function chromeBody(f: CheckFailure): string | null {
  const p = f.failedParameter ?? "";
  switch (f.chromeCorsError?.replace(/^Preflight/, "")) {
    case "MissingAllowOriginHeader":
      return "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    case "MultipleAllowOriginValues":
      return `The 'Access-Control-Allow-Origin' header contains multiple values '${p}', but only one is allowed.${VALID_VALUE_SUFFIX}`;
    case "InvalidAllowOriginValue":
      return `The 'Access-Control-Allow-Origin' header contains the invalid value '${p}'.${VALID_VALUE_SUFFIX}`;
    case "AllowOriginMismatch":
      return `The 'Access-Control-Allow-Origin' header has a value '${p}' that is not equal to the supplied origin.${VALID_VALUE_SUFFIX}`;
    case "WildcardOriginNotAllowed":
      return "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
    case "InvalidAllowCredentials":
      return `The value of the 'Access-Control-Allow-Credentials' header in the response is '${p}' which must be 'true' when the request's credentials mode is 'include'.`;
    case "InvalidStatus":
      return "It does not have HTTP ok status.";
    case "DisallowedRedirect":
      return "Redirect is not allowed for a preflight request.";
    case "InvalidAllowMethodsPreflightResponse":
      return "Cannot parse Access-Control-Allow-Methods response header field in preflight response.";
    case "InvalidAllowHeadersPreflightResponse":
      return "Cannot parse Access-Control-Allow-Headers response header field in preflight response.";
    case "MethodDisallowedByPreflightResponse":
      return `Method ${p} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case "HeaderDisallowedByPreflightResponse":
      return `Request header field ${p} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case "RedirectContainsCredentials":
      return `Redirect location '${p}' contains a username and password, which is disallowed for cross-origin requests.`;
    default:
      return null;
  }
}

/** Chromium's IsPreflightError: only these get the "Response to preflight request…" prefix. */
function hasPreflightPrefix(corsError: string): boolean {
  return corsError.startsWith("Preflight");
}

export interface ConsoleContext {
  /** The URL the request started with (Chromium adds "(redirected from …)" when the failing one differs). */
  firstUrl: string;
  origin: string;
  /** "fetch" or "XMLHttpRequest". */
  kind: string;
}

export function chromeConsoleLine(f: CheckFailure, ctx: ConsoleContext): string | undefined {
  if (!f.chromeCorsError) return undefined;
  const body = chromeBody(f);
  if (!body) return undefined;
  const redirected = f.url !== ctx.firstUrl ? `(redirected from '${ctx.firstUrl}') ` : "";
  const prefix = hasPreflightPrefix(f.chromeCorsError) ? PREFLIGHT_PREFIX : "";
  return `Access to ${ctx.kind} at '${f.url}' ${redirected}from origin '${ctx.origin}' has been blocked by CORS policy: ${prefix}${body}`;
}

function firefoxReasonText(f: CheckFailure): { text: string; withStatus: boolean } | null {
  switch (f.firefoxReason) {
    case "CORSMissingAllowOrigin2":
      return { text: "CORS header ‘Access-Control-Allow-Origin’ missing", withStatus: true };
    case "CORSMultipleAllowOriginNotAllowed":
      return { text: "Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed", withStatus: false };
    case "CORSAllowOriginNotMatchingOrigin":
      return { text: `CORS header ‘Access-Control-Allow-Origin’ does not match ‘${f.actual ?? ""}’`, withStatus: false };
    case "CORSNotSupportingCredentials":
      return { text: "Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’", withStatus: false };
    case "CORSMissingAllowCredentials":
      return { text: "expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’", withStatus: false };
    case "CORSPreflightDidNotSucceed3":
      return { text: "CORS preflight response did not succeed", withStatus: true };
    case "CORSExternalRedirectNotAllowed":
      return { text: "CORS request external redirect not allowed", withStatus: false };
    case "CORSInvalidAllowMethod":
      return { text: `invalid token ‘${f.actual ?? ""}’ in CORS header ‘Access-Control-Allow-Methods’`, withStatus: false };
    case "CORSMethodNotFound":
      return { text: "Did not find method in CORS header ‘Access-Control-Allow-Methods’", withStatus: false };
    case "CORSInvalidAllowHeader":
      return { text: `invalid token ‘${f.actual ?? ""}’ in CORS header ‘Access-Control-Allow-Headers’`, withStatus: false };
    case "CORSMissingAllowHeaderFromPreflight2":
      return {
        text: `header ‘${f.expected ?? f.failedParameter ?? ""}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response`,
        withStatus: false,
      };
    case "CORSDidNotSucceed2":
      return { text: "CORS request did not succeed", withStatus: true };
    default:
      return null;
  }
}

export function firefoxConsoleLine(f: CheckFailure): string | undefined {
  const reason = firefoxReasonText(f);
  if (!reason) return undefined;
  const url = f.firefoxReason === "CORSNotSupportingCredentials" ? `‘${f.url}’` : f.url;
  const status = reason.withStatus ? ` Status code: ${f.status ?? "(null)"}.` : "";
  return `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: ${reason.text}).${status}`;
}
