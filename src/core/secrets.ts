// What counts as a secret, by one rule for every output (SECURITY.md, "What is redacted"): a NAME that says
// it carries a credential (header, query/form/matrix parameter, cookie), or a VALUE whose shape is a
// credential (a JWT, a long random token) wherever it appears. Lists of known names are always one name
// short (X-RapidAPI-Key, Ocp-Apim-Subscription-Key…), so names are matched by the words they contain.
// The names the diagnosis is about (the CORS headers) are exempt by exact name, never by prefix.

/**
 * The real CORS protocol headers (Fetch #http-cors-protocol, Private Network Access): the diagnosis quotes
 * them verbatim. `Access-Control-Allow-Credentials` would otherwise match "credential"; a made-up
 * `Access-Control-Auth-Token` is not one of them and is treated like any other header.
 */
const CORS_HEADERS = new Set([
  "origin",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-request-method",
  "access-control-request-headers",
  "access-control-allow-private-network",
  "access-control-request-private-network",
]);

/** Challenges name a scheme and a realm, never a credential (RFC 9110 §11.6.1, §11.7.1). */
const CHALLENGE_HEADERS = new Set(["www-authenticate", "proxy-authenticate"]);

/**
 * Parts of a name that say "credential", matched inside the name with separators removed, so that
 * X-AuthToken, X-Sessionid, Ocp-Apim-Subscription-Key, PHPSESSID and oauth_verifier all match.
 */
const SECRET_NAME_PARTS =
  /auth|token|secret|passw|passcode|passphrase|credential|session|sessid|signature|cookie|apikey|csrf|xsrf|jwt|privatekey|bearer/;

/**
 * Whole words that say "credential" but are too short (or too common inside other words) to match as parts:
 * `key` (api_key, X-RapidAPI-Key; not "monkey"), `sig`, `sid`, `otp`, `pwd`, `ticket` (CAS), `verifier` (PKCE).
 */
const SECRET_NAME_WORDS = new Set([
  "key",
  "sig",
  "sid",
  "otp",
  "pwd",
  "ticket",
  "nonce",
  "hmac",
  "assertion",
  "samlrequest",
  "samlresponse",
  "verifier",
]);
/** Names that are credentials only on their own: OAuth's `code`, `pin`, `pass` (not country_code, pass_through). */
const SECRET_NAME_EXACT = new Set(["code", "pin", "pass"]);

/** `X-RapidAPI-Key` → ["x", "rapid", "api", "key"]; `privateKey` → ["private", "key"]; `api_key` → ["api", "key"]. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Names about a credential rather than of one (`token_type`, `auth_url`, `token_endpoint`, `expires_in`):
 * the last word says what the value is, and it is not the secret.
 */
const METADATA_LAST_WORDS = new Set([
  "type",
  "expires",
  "expiry",
  "mode",
  "method",
  "scheme",
  "url",
  "uri",
  "endpoint",
  "length",
  "name",
  "format",
  "version",
  "hint",
  "provider",
  "realm",
]);

/** True for a name (header, query, form or matrix parameter) that says its value is a credential. */
export function isSecretName(name: string): boolean {
  const squashed = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (squashed === "") return false;
  const nameWords = words(name);
  if (nameWords.length > 1 && METADATA_LAST_WORDS.has(nameWords[nameWords.length - 1]!)) return false;
  if (SECRET_NAME_PARTS.test(squashed)) return true;
  return SECRET_NAME_EXACT.has(squashed) || SECRET_NAME_WORDS.has(squashed) || nameWords.some((w) => SECRET_NAME_WORDS.has(w));
}

/** True for headers whose values are credentials (Cookie, Authorization, X-RapidAPI-Key…); never the CORS headers. */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (CORS_HEADERS.has(lower) || CHALLENGE_HEADERS.has(lower)) return false;
  return isSecretName(lower);
}

/** True for the headers the diagnosis quotes verbatim (their values are never rewritten). */
export function isCorsHeader(name: string): boolean {
  return CORS_HEADERS.has(name.trim().toLowerCase());
}

/** True for query (or form, matrix, fragment) parameters whose values are credentials. */
export function isSecretQueryParam(name: string): boolean {
  return isSecretName(name);
}

/** A JSON Web Token (or JWE/JWS compact form): base64url of "{" twice, then a signature that may be empty. */
export const JWT_SOURCE = "eyJ[A-Za-z0-9_-]*\\.eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)?";
const JWT = new RegExp(JWT_SOURCE);
/** Runs of token characters (base64, base64url, hex) long enough to be a token. */
export const TOKEN_RUN_SOURCE = "[A-Za-z0-9_+/-]{20,}={0,2}";
const TOKEN_RUN = new RegExp(TOKEN_RUN_SOURCE, "g");

/** Shortest random run treated as a token: 20 alphanumerics are ≥ 100 bits in base62, more than any id or word. */
const MIN_TOKEN = 20;
const MAX_JUDGED = 4096;

function charClass(code: number): number {
  if (code >= 48 && code <= 57) return 0; // digit
  if (code >= 65 && code <= 90) return 1; // upper
  return 2; // lower
}

/**
 * A long random token (API keys, session ids, signatures, reset links): at least 20 letters and digits
 * that switch between digits, lower and upper case as often as random text does. Random base62 switches
 * on ~60 % of characters, base36 and hex on ~40–47 %; words, paths with ids and CamelCase names on
 * under 22 % (test/har/redact.test.ts measures both sides). Hex of 32+ is a digest or key whatever its mix.
 */
export function looksLikeToken(text: string): boolean {
  if (text.length < MIN_TOKEN) return false;
  // A token is not megabytes long: a huge run is judged by its head, so hostile input stays cheap.
  if (text.length > MAX_JUDGED) text = text.slice(0, MAX_JUDGED);
  if (JWT.test(text)) return true;
  let core = 0;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  let switches = 0;
  let previous = -1;
  let hex = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const alnum = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alnum) continue;
    const cls = charClass(code);
    if (cls === 0) digits++;
    else if (cls === 1) upper++;
    else lower++;
    if (!((code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))) hex = false;
    if (previous !== -1 && previous !== cls) switches++;
    previous = cls;
    core++;
  }
  if (core < MIN_TOKEN) return false;
  const letters = upper + lower;
  if (hex && core >= 32 && digits >= 4 && letters >= 4) return true;
  const rate = switches / (core - 1);
  if (digits >= 2 && letters >= 2) return rate >= 0.22;
  // Letters only: random mixed case switches on half the characters, CamelCase words on about a quarter.
  return digits === 0 && upper >= 4 && lower >= 4 && core >= 24 && rate >= 0.42;
}

/** True when a value (a header value, a parameter) is a credential by its shape alone. */
export function hasSecretShape(value: string): boolean {
  if (JWT.test(value)) return true;
  const runs = value.match(TOKEN_RUN);
  return runs?.some(looksLikeToken) ?? false;
}
