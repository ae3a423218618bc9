// Firefox's CORS console line → its security.properties key (the console category Firefox itself uses).
// Texts from dom/locales/en-US/chrome/security/security.properties (taxonomy Section A); the keys are what
// the engine's `firefoxReason` holds. Order matters only where one text is a prefix of another.

/** @type {[RegExp, string][]} */
const REASONS = [
  [/^CORS header ‘Access-Control-Allow-Origin’ missing$/, "CORSMissingAllowOrigin2"],
  [/^Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed$/, "CORSMultipleAllowOriginNotAllowed"],
  [/^CORS header ‘Access-Control-Allow-Origin’ does not match ‘.*’$/s, "CORSAllowOriginNotMatchingOrigin"],
  [/^Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘\*’$/, "CORSNotSupportingCredentials"],
  [/^expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’$/, "CORSMissingAllowCredentials"],
  [/^Did not find method in CORS header ‘Access-Control-Allow-Methods’$/, "CORSMethodNotFound"],
  [/^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Methods’$/s, "CORSInvalidAllowMethod"],
  [/^invalid token ‘.*’ in CORS header ‘Access-Control-Allow-Headers’$/s, "CORSInvalidAllowHeader"],
  [
    /^header ‘.*’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response$/s,
    "CORSMissingAllowHeaderFromPreflight2",
  ],
  [/^CORS preflight response did not succeed$/, "CORSPreflightDidNotSucceed3"],
  [/^CORS request did not succeed$/, "CORSDidNotSucceed2"],
  [/^CORS request external redirect not allowed$/, "CORSExternalRedirectNotAllowed"],
  [/^CORS request not http$/, "CORSRequestNotHttp"],
  [/^CORS disabled$/, "CORSDisabled"],
  [/^CORS header ‘Origin’ cannot be added$/, "CORSOriginHeaderNotAdded"],
  [
    /^When the `Access-Control-Allow-Headers` is `\*`, the `Authorization` header is not covered\./,
    "CORSAllowHeaderFromPreflightDeprecation",
  ],
];

/**
 * @typedef {object} FirefoxConsoleReason
 * @property {string} key       security.properties key, or "unknown"
 * @property {string} text      the text inside "(Reason: …)"
 * @property {string} url       the blocked URL
 * @property {string} [status]  "Status code: N" when present
 * @property {boolean} warning  "Cross-Origin Request Warning" rather than "Blocked"
 */

/**
 * Parse one Firefox console line such as
 * "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at URL. (Reason: …). Status code: 200."
 * @param {string} line
 * @returns {FirefoxConsoleReason | null}
 */
export function parseFirefoxCorsLine(line) {
  const m =
    /^Cross-Origin Request (Blocked|Warning): The Same Origin Policy (?:disallows|will disallow) reading the remote resource at ‘?(.+?)’?(?: soon)?\. \(Reason: (.*?)\)\.?(?: Status code: (.*)\.)?$/s.exec(
      line.trim(),
    );
  if (!m) return null;
  const text = m[3];
  const hit = REASONS.find(([re]) => re.test(text));
  return { key: hit ? hit[1] : "unknown", text, url: m[2], ...(m[4] !== undefined ? { status: m[4] } : {}), warning: m[1] === "Warning" };
}
