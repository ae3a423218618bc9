// Credential redaction for every output (HAR report, copied text). Structural: we walk headers, cookies,
// query parameters and bodies and replace values, never regex over serialized JSON (that misses
// encodings and can break the JSON). HAR files are credentials: Okta's 2023 support breach replayed
// session tokens taken from uploaded HAR files.
import type { Header } from "./model";
import type { HarCookie, HarEntry, HarNameValue, HarRedactionSummary } from "./har/types";

export const REDACTED = "[redacted]";
/** REDACTED as it goes into a URL, so the URL still parses and decodes back to "[redacted]". */
const REDACTED_IN_URL = "%5Bredacted%5D";

/** The report is useless without these, and they carry no credentials. */
const NEVER_SECRET_HEADER = /^(origin|vary|host|content-type|access-control-.*)$/i;

const SECRET_HEADERS = new Set([
  "cookie", "cookie2", "set-cookie", "set-cookie2", "authorization", "proxy-authorization",
  "x-api-key", "api-key", "apikey", "x-apikey", "x-auth-token", "x-access-token", "x-csrf-token", "x-csrftoken",
  "x-xsrf-token", "x-amz-security-token", "x-amz-signature", "x-client-data", "dpop",
]);
const SECRET_HEADER_WORD = /(^|[-_])(token|secret|password|passwd|api-?key|session|auth|credentials?|signature|jwt)([-_]|$)/i;

/** Normalised (lower-case, letters and digits only) query parameter names that carry credentials. */
const SECRET_PARAMS = new Set([
  "token", "accesstoken", "idtoken", "refreshtoken", "authtoken", "sessiontoken", "apikey", "key", "secret",
  "clientsecret", "password", "passwd", "pwd", "pass", "sig", "signature", "code", "auth", "session", "sessionid",
  "sid", "jwt", "xamzsignature", "xamzcredential", "xamzsecuritytoken", "xgoogsignature", "xgoogcredential",
  "samlrequest", "samlresponse", "assertion", "codeverifier", "authenticitytoken", "csrftoken", "xsrftoken",
]);
const SECRET_PARAM_SUFFIX = /(token|secret|password|passwd|apikey|signature|sessionid|credential)$/;

/** A JSON Web Token anywhere in a value: header.payload.signature, both first parts base64url of "{". */
const JWT = /eyJ[\w-]*\.eyJ[\w-]*\.[\w-]+/;
const JWT_ALL = new RegExp(JWT.source, "g");

/** True for headers whose values are credentials (Cookie, Authorization, API keys…). */
export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (NEVER_SECRET_HEADER.test(lower)) return false;
  return SECRET_HEADERS.has(lower) || SECRET_HEADER_WORD.test(lower);
}

/** True for query (or form) parameters whose values are credentials (token, api_key, X-Amz-Signature…). */
export function isSecretQueryParam(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_PARAMS.has(normalised) || SECRET_PARAM_SUFFIX.test(normalised);
}

/** Headers whose value is a URL that may carry secret query parameters. */
const URL_HEADERS = new Set(["location", "content-location", "referer", "refresh"]);

/**
 * Records what was redacted (names and counts, for `log._redaction`) and the secret values themselves,
 * so text derived from them elsewhere (a finding quoting a URL) can be scrubbed too.
 */
export class Redaction {
  private readonly headers = new Map<string, number>();
  private readonly params = new Map<string, number>();
  private readonly cookies = new Map<string, number>();
  private readonly secrets = new Set<string>();
  requestBodies = 0;
  responseBodies = 0;

  header(name: string, value: string): void {
    bump(this.headers, name.toLowerCase());
    this.secret(value);
    // "Bearer <token>": text elsewhere may quote the token alone.
    for (const part of value.split(/[\s,;]+/)) if (part.length >= 8) this.secret(part);
  }

  queryParameter(name: string, ...values: string[]): void {
    bump(this.params, name);
    values.forEach((v) => this.secret(v));
  }

  cookie(name: string, value: string): void {
    bump(this.cookies, name);
    this.secret(value);
  }

  /** Remembers a removed value (short values are skipped: replacing "1" everywhere would garble text). */
  secret(value: string): void {
    if (value.length >= 4 && value !== REDACTED) this.secrets.add(value);
  }

  get count(): number {
    return [...this.headers.values(), ...this.params.values(), ...this.cookies.values()].reduce((a, b) => a + b, 0) + this.requestBodies + this.responseBodies;
  }

  summary(secretsIncluded: boolean): HarRedactionSummary {
    const list = (map: Map<string, number>) => [...map].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
    return {
      secretsIncluded,
      replacement: REDACTED,
      headers: list(this.headers),
      queryParameters: list(this.params),
      cookies: list(this.cookies),
      requestBodies: this.requestBodies,
      responseBodies: this.responseBodies,
    };
  }

  /** Deep copy of `value` with every recorded secret replaced inside strings (for derived text like `_cors`). */
  scrub<T>(value: T): T {
    if (this.secrets.size === 0) return value;
    const secrets = [...this.secrets].sort((a, b) => b.length - a.length);
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") return secrets.reduce((text, s) => (text.includes(s) ? text.split(s).join(REDACTED) : text), v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** `a=1&token=x` → `a=1&token=%5Bredacted%5D`; other parameters keep their exact bytes. */
function redactParams(query: string, redaction?: Redaction): string {
  return query
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq < 0) return part;
      const rawName = part.slice(0, eq);
      const rawValue = part.slice(eq + 1);
      const name = decode(rawName);
      const value = decode(rawValue);
      if (rawValue === "" || value === REDACTED) return part;
      if (isSecretQueryParam(name)) {
        redaction?.queryParameter(name, value, rawValue);
        return `${rawName}=${REDACTED_IN_URL}`;
      }
      if (JWT.test(value)) {
        redaction?.queryParameter(name, value, rawValue);
        return `${rawName}=${REDACTED_IN_URL}`;
      }
      return part;
    })
    .join("&");
}

/** Replaces credential-like query parameter values in a URL by "[redacted]" (also in the fragment and userinfo). */
export function redactUrl(url: string, redaction?: Redaction): string {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  // OAuth's implicit flow puts access_token in the fragment.
  const fragment = hashAt < 0 ? "" : "#" + redactParams(url.slice(hashAt + 1), redaction);
  const queryAt = beforeHash.indexOf("?");
  let base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? "" : "?" + redactParams(beforeHash.slice(queryAt + 1), redaction);
  const userinfo = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i.exec(base);
  if (userinfo) {
    const [whole, scheme, info] = userinfo as unknown as [string, string, string];
    const colon = info.indexOf(":");
    const user = colon < 0 ? "" : info.slice(0, colon);
    const secret = colon < 0 ? info : info.slice(colon + 1);
    redaction?.queryParameter("(userinfo)", decode(secret), secret);
    base = `${scheme}${user ? user + ":" : ""}${REDACTED_IN_URL}@${base.slice(whole.length)}`;
  }
  return base + query + fragment;
}

/** `a=1; b=2` → `a=[redacted]; b=[redacted]`: cookie names stay, so "credentials were sent" stays visible. */
function redactCookieHeader(value: string, redaction?: Redaction): string {
  return value
    .split(";")
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = (eq < 0 ? "" : pair.slice(0, eq)).trim();
      const cookieValue = eq < 0 ? pair.trim() : pair.slice(eq + 1).trim();
      redaction?.cookie(name, cookieValue);
      return name ? `${name}=${REDACTED}` : REDACTED;
    })
    .join("; ");
}

/** `sid=abc; Path=/; SameSite=None` → `sid=[redacted]; Path=/; SameSite=None`: the attributes matter to the diagnosis. */
function redactSetCookie(value: string, redaction?: Redaction): string {
  const semi = value.indexOf(";");
  const pair = semi < 0 ? value : value.slice(0, semi);
  const eq = pair.indexOf("=");
  const name = (eq < 0 ? "" : pair.slice(0, eq)).trim();
  redaction?.cookie(name, (eq < 0 ? pair : pair.slice(eq + 1)).trim());
  return `${name ? name + "=" : ""}${REDACTED}${semi < 0 ? "" : value.slice(semi)}`;
}

function redactHeader(header: Header, redaction?: Redaction): Header {
  const lower = header.name.trim().toLowerCase();
  if (NEVER_SECRET_HEADER.test(lower) || header.value === REDACTED) return header;
  if (lower === "cookie" || lower === "cookie2") {
    redaction?.header(header.name, header.value);
    return { name: header.name, value: redactCookieHeader(header.value, redaction) };
  }
  if (lower === "set-cookie" || lower === "set-cookie2") {
    redaction?.header(header.name, header.value);
    return { name: header.name, value: header.value.split("\n").map((line) => redactSetCookie(line, redaction)).join("\n") };
  }
  if (isSecretHeader(lower)) {
    redaction?.header(header.name, header.value);
    return { name: header.name, value: REDACTED };
  }
  if (URL_HEADERS.has(lower)) {
    const value = redactUrl(header.value, redaction);
    return value === header.value ? header : { name: header.name, value };
  }
  if (JWT.test(header.value)) {
    redaction?.header(header.name, header.value);
    return { name: header.name, value: header.value.replace(JWT_ALL, REDACTED) };
  }
  return header;
}

/** Replaces secret header values by "[redacted]"; names stay. Cookie names stay too (values go). */
export function redactHeaders(headers: Header[], redaction?: Redaction): Header[] {
  return headers.map((h) => redactHeader(h, redaction));
}

function redactCookies(cookies: HarCookie[] | undefined, redaction: Redaction): HarCookie[] {
  return (cookies ?? []).map((c) => {
    if (c.value === REDACTED) return c;
    redaction.cookie(c.name, c.value);
    return { ...c, value: REDACTED };
  });
}

function redactQueryString(params: HarNameValue[] | undefined, redaction: Redaction): HarNameValue[] {
  return (params ?? []).map((p) => {
    if (p.value === REDACTED || p.value === "") return p;
    if (!isSecretQueryParam(p.name) && !JWT.test(p.value)) return p;
    redaction.queryParameter(p.name, p.value);
    return { ...p, value: REDACTED };
  });
}

/**
 * A redacted copy of one HAR entry: URLs, headers, cookies, query strings; request bodies lose their text
 * and form values, responses lose their body. `_cors` is scrubbed of any secret value it quotes.
 */
export function redactHarEntry(entry: HarEntry, redaction: Redaction): HarEntry {
  const request = {
    ...entry.request,
    url: redactUrl(entry.request.url, redaction),
    headers: redactHeaders(entry.request.headers, redaction),
    cookies: redactCookies(entry.request.cookies, redaction),
    queryString: redactQueryString(entry.request.queryString, redaction),
  };
  if (entry.request.postData) {
    const { text, params, ...rest } = entry.request.postData;
    if (text !== undefined) redaction.secret(text);
    request.postData = { ...rest, ...(params ? { params: params.map((p) => ({ ...p, ...(p.value !== undefined ? { value: REDACTED } : {}) })) } : {}) };
    if (text || params?.length) redaction.requestBodies++;
    params?.forEach((p) => p.value !== undefined && redaction.secret(p.value));
  }
  const { text, ...content } = entry.response.content;
  if (text) redaction.responseBodies++;
  const response = {
    ...entry.response,
    headers: redactHeaders(entry.response.headers, redaction),
    cookies: redactCookies(entry.response.cookies, redaction),
    redirectURL: redactUrl(entry.response.redirectURL, redaction),
    // The body is dropped whole (with its encoding): CORS never depends on it.
    content: text ? { size: content.size, mimeType: content.mimeType } : entry.response.content,
  };
  const redacted: HarEntry = { ...entry, request, response };
  if (entry._initiator?.url) redacted._initiator = { ...entry._initiator, url: redactUrl(entry._initiator.url, redaction) };
  return redacted;
}
