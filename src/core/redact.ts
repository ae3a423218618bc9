// Credential redaction for every output (HAR report, copy-as-curl, the CLI's text and JSON, the panel's copy
// buttons). HAR files are credentials: Okta's 2023 support breach replayed session tokens taken from uploaded
// HAR files. Two layers, one rule (secrets.ts):
// - structural, where the structure is known: headers, cookies, query strings and bodies of a HAR entry or a
//   request, so names stay and values go, and `log._redaction` can say what was removed;
// - at the edge of each output, `scrubText` over every string (or line) that leaves: it finds URLs,
//   `name=value` pairs, `Name: value` lines, `Bearer …` credentials, JWTs and long random tokens in any text,
//   and `Redaction.scrub` also removes every value the structural pass took out, wherever it is quoted. A new
//   output field therefore cannot bypass redaction: it is a string on its way out like any other.
import type { Header } from "./model";
import type { HarCookie, HarEntry, HarNameValue, HarRedactionSummary } from "./har/types";
import {
  JWT_SOURCE,
  TOKEN_RUN_SOURCE,
  isCorsHeader,
  isSecretHeader as isSecretHeaderRule,
  isSecretQueryParam,
  looksLikeToken,
} from "./secrets";

export { isSecretQueryParam, looksLikeToken } from "./secrets";

export const REDACTED = "[redacted]";
/** REDACTED as it goes into a URL, so the URL still parses and decodes back to "[redacted]". */
const REDACTED_IN_URL = "%5Bredacted%5D";

const JWT_ALL = new RegExp(JWT_SOURCE, "g");

const MEMO_KEY_MAX = 2048;

/** `rule` evaluated once per distinct argument, up to `size` of them at a time (names repeat on every entry). */
function memoized<T>(rule: (key: string) => T, size = 4096): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    // A hostile megabyte-long name is evaluated each time rather than kept.
    if (key.length > MEMO_KEY_MAX) return rule(key);
    let value = known.get(key);
    if (value === undefined) {
      value = rule(key);
      if (known.size >= size) known.clear();
      known.set(key, value);
    }
    return value;
  };
}

/** True for headers whose values are credentials (Cookie, Authorization, API keys…); never the CORS headers. */
export const isSecretHeader: (name: string) => boolean = memoized(isSecretHeaderRule);

/** True for query (form, matrix, fragment) parameter names whose values are credentials (secrets.ts). */
const isSecretParam: (name: string) => boolean = memoized(isSecretQueryParam);

/** Headers whose value is a URL that may carry secret query parameters. */
const URL_HEADERS = new Set(["location", "content-location", "referer", "refresh", "link"]);

/**
 * Records what was redacted (names and counts, for `log._redaction`) and the secret values themselves,
 * so text derived from them elsewhere (a finding quoting a URL or a header) can be scrubbed too.
 */
export class Redaction {
  // Made on first use: the CLI makes one redaction per diagnosed exchange, and most record nothing.
  private headers: Map<string, number> | null = null;
  private params: Map<string, number> | null = null;
  private cookies: Map<string, number> | null = null;
  private secrets: Set<string> | null = null;
  requestBodies = 0;
  responseBodies = 0;

  header(name: string, value: string): void {
    bump((this.headers ??= new Map()), name.toLowerCase());
    this.secret(value);
    // "Bearer <token>": text elsewhere may quote the token alone.
    for (const part of value.split(/[\s,;]+/)) if (part.length >= 8) this.secret(part);
  }

  /**
   * A header whose value kept its text but lost a token-shaped part: counted, and the removed parts kept
   * (not the whole value: the rest, an origin or a policy, must stay readable in derived text).
   */
  headerParts(name: string, removed: string[]): void {
    bump((this.headers ??= new Map()), name.toLowerCase());
    removed.forEach((part) => this.secret(part));
  }

  queryParameter(name: string, ...values: string[]): void {
    bump((this.params ??= new Map()), name);
    values.forEach((v) => this.secret(v));
  }

  cookie(name: string, value: string): void {
    bump((this.cookies ??= new Map()), name);
    this.secret(value);
  }

  /** The secret values recorded. */
  secretValues(): string[] {
    return this.secrets ? [...this.secrets] : [];
  }

  /** Remembers a removed value (short values are skipped: replacing "1" everywhere would garble text). */
  secret(value: string): void {
    if (value.length >= 4 && value !== REDACTED && value !== REDACTED_IN_URL) (this.secrets ??= new Set()).add(value);
  }

  get count(): number {
    let total = this.requestBodies + this.responseBodies;
    for (const map of [this.headers, this.params, this.cookies]) for (const n of map?.values() ?? []) total += n;
    return total;
  }

  summary(secretsIncluded: boolean): HarRedactionSummary {
    const list = (map: Map<string, number> | null) =>
      [...(map ?? [])].map(([name, count]) => ({ name, count })).sort((a, b) => a.name.localeCompare(b.name));
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

  /**
   * The edge of an output: a deep copy of `value` in which every string has each recorded secret replaced
   * and then goes through `scrubText`. Object keys are the output's own field names and stay.
   */
  scrub<T>(value: T): T {
    const secrets = this.secretValues().sort((a, b) => b.length - a.length);
    // A short secret ("pass") is replaced only as a whole word: inside "password" it is not the secret.
    const short = secrets.filter((x) => x.length < 12);
    const long = secrets.filter((x) => x.length >= 12);
    // Built on the first string that holds a short secret at all: most outputs quote none.
    let shortRe: RegExp | null = null;
    const wholeWords = () =>
      new RegExp(`(?<![A-Za-z0-9])(?:${short.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?![A-Za-z0-9])`, "g");
    const known = (s: string) => {
      let t = s;
      for (const secret of long) if (t.includes(secret)) t = t.split(secret).join(REDACTED);
      if (!short.some((secret) => t.includes(secret))) return t;
      shortRe ??= wholeWords();
      return t.replace(shortRe, REDACTED);
    };
    const text = (s: string) => scrubTextCached(secrets.length === 0 ? s : known(s));
    return scrubDeep(value, text);
  }
}

/**
 * What `redactUrl` removed from one URL, to be replayed on another redaction: URL redaction reports through
 * `queryParameter` alone (userinfo, parameters, path and fragment secrets).
 */
class RecordedParameters extends Redaction {
  readonly parameters: [string, string[]][] = [];
  override queryParameter(name: string, ...values: string[]): void {
    this.parameters.push([name, values]);
  }
}

/**
 * `value` with `text` applied to every string, copied only where something changed: outputs are mostly
 * strings without secrets, and a copy of every entry of a million-entry log is garbage the CLI cannot afford.
 */
function scrubDeep<T>(value: T, text: (s: string) => string): T {
  if (typeof value === "string") return text(value) as T;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const shown = scrubDeep(item, text);
      if (shown !== item) (copy ??= value.slice())[i] = shown;
    }
    return (copy ?? value) as T;
  }
  if (value && typeof value === "object") {
    let copy: Record<string, unknown> | null = null;
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      const shown = scrubDeep(item, text);
      if (shown !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = shown;
    }
    return (copy ?? value) as T;
  }
  return value;
}

/** Finding titles, details and console lines repeat across a log: each distinct text is scrubbed once. */
const scrubbedTexts = new Map<string, string>();
function scrubTextCached(text: string): string {
  if (text.length > 4096) return scrubText(text);
  let shown = scrubbedTexts.get(text);
  if (shown === undefined) {
    shown = scrubText(text);
    if (scrubbedTexts.size >= 20_000) scrubbedTexts.clear();
    scrubbedTexts.set(text, shown);
  }
  return shown;
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

const isRedacted = (value: string) => value.includes(REDACTED) || value.includes(REDACTED_IN_URL);

/** A URL nested in a parameter (redirect_uri, return_to, next): its own secrets are redacted in place. */
function redactNestedUrl(value: string, rawValue: string, redaction?: Redaction): string | null {
  if (!/[?#=;@]/.test(value) || !/^([a-z][a-z0-9+.-]*:\/\/|\/)/i.test(value)) return null;
  const inner = redactUrl(value, redaction);
  if (inner === value) return null;
  // Re-encoded only if it was encoded: an unencoded nested URL keeps its shape.
  return rawValue === value ? inner : encodeURIComponent(inner);
}

/** `a=1&token=x` → `a=1&token=%5Bredacted%5D`; other parameters keep their exact bytes. */
function redactParams(query: string, redaction?: Redaction): string {
  return query
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq < 0) {
        // A bare value (`?<token>`, `#<token>`) is judged by its shape alone.
        if (looksLikeToken(decode(part))) {
          redaction?.queryParameter("(value)", decode(part), part);
          return REDACTED_IN_URL;
        }
        return part;
      }
      const rawName = part.slice(0, eq);
      const rawValue = part.slice(eq + 1);
      const name = decode(rawName);
      const value = decode(rawValue);
      if (rawValue === "" || isRedacted(value)) return part;
      if (isSecretParam(name) || looksLikeToken(value)) {
        redaction?.queryParameter(name, value, rawValue);
        return `${rawName}=${REDACTED_IN_URL}`;
      }
      const nested = redactNestedUrl(value, rawValue, redaction);
      return nested === null ? part : `${rawName}=${nested}`;
    })
    .join("&");
}

/**
 * Path secrets: matrix parameters (`;jsessionid=…`) with a secret name, and segments that are a token by
 * their shape (a JWT, a reset link's random part). Other segments keep their exact bytes.
 */
function redactPath(path: string, redaction?: Redaction): string {
  return path
    .split("/")
    .map((segment) => {
      const [head = "", ...matrix] = segment.split(";");
      let out = head;
      if (head !== "" && !isRedacted(head) && looksLikeToken(decode(head))) {
        redaction?.queryParameter("(path)", decode(head), head);
        out = REDACTED_IN_URL;
      }
      for (const param of matrix) {
        const eq = param.indexOf("=");
        const name = eq < 0 ? param : param.slice(0, eq);
        const value = eq < 0 ? "" : param.slice(eq + 1);
        if (eq >= 0 && value !== "" && !isRedacted(value) && (isSecretParam(decode(name)) || looksLikeToken(decode(value)))) {
          redaction?.queryParameter(decode(name), decode(value), value);
          out += `;${name}=${REDACTED_IN_URL}`;
        } else if (eq < 0 && looksLikeToken(decode(param))) {
          redaction?.queryParameter("(path)", decode(param), param);
          out += `;${REDACTED_IN_URL}`;
        } else {
          out += `;${param}`;
        }
      }
      return out;
    })
    .join("/");
}

/**
 * A fragment: OAuth's implicit flow (`#access_token=…`), a single-page app's route with its own query
 * (`#/callback?code=…`), or a route alone (`#/reset/<token>`).
 */
function redactFragment(fragment: string, redaction?: Redaction): string {
  const q = fragment.indexOf("?");
  if (q >= 0) return redactPath(fragment.slice(0, q), redaction) + "?" + redactParams(fragment.slice(q + 1), redaction);
  if (fragment.includes("=")) return redactParams(fragment, redaction);
  return redactPath(fragment, redaction);
}

/** Quick test: a URL with none of these has nowhere to hide a secret but a long path segment. */
const URL_MAY_HOLD_SECRET = /[?#@;]|[A-Za-z0-9_+-]{20}/;

/**
 * Replaces credentials in a URL by "[redacted]": secret-named and token-shaped query parameters, the
 * userinfo, path secrets (`;jsessionid=`, token segments), the fragment (also an SPA's `#/route?code=`),
 * and nested URLs in parameters. The scheme and host stay: they are what CORS compares.
 */
export function redactUrl(url: string, redaction?: Redaction): string {
  if (url.length > MEMO_KEY_MAX) return URL_MAY_HOLD_SECRET.test(url) ? redactUrlParts(url, redaction) : url;
  // One exchange's URL is redacted three or four times on its way out (its secrets collected, the row's URL,
  // findings quoting it): the result and what it recorded are kept for the URLs seen last.
  let memo = redactedUrls.get(url);
  if (memo === undefined) {
    if (!URL_MAY_HOLD_SECRET.test(url)) return url;
    const recorder = new RecordedParameters();
    memo = { shown: redactUrlParts(url, recorder), parameters: recorder.parameters };
    if (redactedUrls.size >= 256) redactedUrls.clear();
    redactedUrls.set(url, memo);
  }
  if (redaction) for (const [name, values] of memo.parameters) redaction.queryParameter(name, ...values);
  return memo.shown;
}

const redactedUrls = new Map<string, { shown: string; parameters: [string, string[]][] }>();

function redactUrlParts(url: string, redaction?: Redaction): string {
  const hashAt = url.indexOf("#");
  const beforeHash = hashAt < 0 ? url : url.slice(0, hashAt);
  const fragment = hashAt < 0 ? "" : "#" + redactFragment(url.slice(hashAt + 1), redaction);
  const queryAt = beforeHash.indexOf("?");
  const base = queryAt < 0 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt < 0 ? "" : "?" + redactParams(beforeHash.slice(queryAt + 1), redaction);
  const authority = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(base);
  let prefix = "";
  let path = base;
  if (authority) {
    const [whole, scheme, hostPart] = authority as unknown as [string, string, string];
    path = base.slice(whole.length);
    const at = hostPart.lastIndexOf("@");
    if (at >= 0 && !isRedacted(hostPart.slice(0, at))) {
      const info = hostPart.slice(0, at);
      const colon = info.indexOf(":");
      const user = colon < 0 ? "" : info.slice(0, colon);
      const secret = colon < 0 ? info : info.slice(colon + 1);
      redaction?.queryParameter("(userinfo)", decode(secret), secret);
      prefix = `${scheme}${user ? user + ":" : ""}${REDACTED_IN_URL}@${hostPart.slice(at + 1)}`;
    } else {
      prefix = whole;
    }
  }
  return prefix + redactPath(path, redaction) + query + fragment;
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
      return name ? `${scrubText(name)}=${REDACTED}` : REDACTED;
    })
    .join("; ");
}

/** `sid=abc; Path=/; SameSite=None` → `sid=[redacted]; Path=/; SameSite=None`: the attributes matter to the diagnosis. */
export function redactSetCookie(value: string, redaction?: Redaction): string {
  const semi = value.indexOf(";");
  const pair = semi < 0 ? value : value.slice(0, semi);
  const eq = pair.indexOf("=");
  const name = (eq < 0 ? "" : pair.slice(0, eq)).trim();
  redaction?.cookie(name, (eq < 0 ? pair : pair.slice(eq + 1)).trim());
  return `${name ? scrubText(name) + "=" : ""}${REDACTED}${semi < 0 ? "" : scrubText(value.slice(semi))}`;
}

function redactHeader(header: Header, redaction?: Redaction): Header {
  const lower = header.name.trim().toLowerCase();
  // A header name is not a secret, unless it is shaped like one (a token used as a name).
  const name = scrubText(header.name);
  // The CORS headers are the evidence: verbatim.
  if (isCorsHeader(lower) || header.value === REDACTED) return name === header.name ? header : { name, value: header.value };
  // Cookie values are recorded one by one; the whole line also holds attributes (SameSite=None) that must stay.
  if (lower === "cookie" || lower === "cookie2") {
    redaction?.headerParts(header.name, []);
    return { name, value: redactCookieHeader(header.value, redaction) };
  }
  if (lower === "set-cookie" || lower === "set-cookie2") {
    redaction?.headerParts(header.name, []);
    return {
      name,
      value: header.value
        .split("\n")
        .map((line) => redactSetCookie(line, redaction))
        .join("\n"),
    };
  }
  if (isSecretHeader(header.name)) {
    redaction?.header(header.name, header.value);
    return { name, value: REDACTED };
  }
  let value = URL_HEADERS.has(lower) ? redactUrl(header.value, redaction) : header.value;
  const scrubbed = scrubText(value);
  if (scrubbed !== value) {
    redaction?.headerParts(header.name, removedParts(value, scrubbed));
    value = scrubbed;
  }
  return value === header.value && name === header.name ? header : { name, value };
}

/** The pieces of `before` that `after` replaced by "[redacted]" (both share everything else). */
function removedParts(before: string, after: string): string[] {
  const pieces = after.split(REDACTED);
  const removed: string[] = [];
  let at = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const found = before.indexOf(piece, at);
    if (found < 0) break;
    if (i > 0 && found > at) removed.push(before.slice(at, found));
    at = found + piece.length;
  }
  return removed;
}

/** Replaces secret header values by "[redacted]"; names stay. Cookie names stay too (values go). */
export function redactHeaders(headers: Header[], redaction?: Redaction): Header[] {
  return headers.map((h) => redactHeader(h, redaction));
}

// ---------------------------------------------------------------------------------------------------------
// Text: the rule applied to any string, for outputs whose structure we do not control (finding details,
// console lines, error messages, recipe code, terminal lines).

// The look-behind starts a scheme only at a word's start: without it a megabyte of letters is a quadratic scan.
const URL_IN_TEXT = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`\\\u0000-\u001f\u007f]+/gi;
/** `name=value` outside a URL (a relative Location, a cookie string, a form body quoted in a detail). */
const NAME_VALUE = /(?<![A-Za-z0-9_.$[\]-])([A-Za-z0-9_.$[\]-]+)=([^\s&"'#;,<>`\\\u0000-\u001f]*)/g;
/** `Authorization: Bearer x`, `X-Api-Key: x` quoted in a line of text; the value runs to the end of the line. */
const HEADER_LINE = /(?<![A-Za-z0-9_-])([A-Za-z][A-Za-z0-9_-]*):[ \t]*([^\r\n"'`\u001b]*)/g;
/** Values no credential has: a switch, a small number (code says `supports_credentials=False`, `credentials: true`). */
const NOT_A_CREDENTIAL = /^(true|false|none|null|nil|undefined|yes|no|on|off|omit|include|same-origin|\d{1,3})[,;.]?$/i;
/** An HTTP authentication scheme and its credential (RFC 9110 §11.4). */
const AUTH_SCHEME = /\b(Bearer|Basic|Digest|Token|Negotiate|NTLM|DPoP|Bot|ApiKey)(\s+)([A-Za-z0-9._~+/=-]{8,})/g;
const TOKEN_RUN = new RegExp(TOKEN_RUN_SOURCE, "g");
/** Nothing in the text can be a secret without one of these: most strings leave by the fast path. */
const TEXT_MAY_HOLD_SECRET = /[=:@]|eyJ|[A-Za-z0-9_+/-]{20}|\b(Bearer|Basic|Digest|Token|Negotiate|NTLM|DPoP|Bot|ApiKey)\s/;

/** A console line quotes a different URL on every entry, between the same words: those are scrubbed once. */
const plainTextScrubbed = memoized(scrubPlainText);

function scrubPlainText(text: string): string {
  let out = text;
  if (out.includes(":")) {
    out = out.replace(HEADER_LINE, (whole, name: string, value: string) => {
      // Only header-shaped names (X-Api-Key, Authorization, Cookie): prose and code say "credentials: false".
      if (!/-/.test(name) && !/^(authorization|cookie|set-cookie)$/i.test(name)) return whole;
      if (value.trim() === "" || isRedacted(value) || NOT_A_CREDENTIAL.test(value.trim()) || isCorsHeader(name) || !isSecretHeader(name))
        return whole;
      const lower = name.toLowerCase();
      if (lower === "cookie" || lower === "set-cookie")
        return `${name}: ${lower === "cookie" ? redactCookieHeader(value) : redactSetCookie(value)}`;
      return `${name}: ${REDACTED}`;
    });
  }
  out = out.replace(AUTH_SCHEME, (whole, scheme: string, space: string, credential: string) =>
    isRedacted(credential) ? whole : `${scheme}${space}${REDACTED}`,
  );
  if (out.includes("=")) {
    out = out.replace(NAME_VALUE, (whole, name: string, value: string) => {
      if (value === "" || isRedacted(value) || NOT_A_CREDENTIAL.test(value)) return whole;
      const plain = decode(value);
      if (isSecretParam(name) || looksLikeToken(plain)) return `${name}=${REDACTED}`;
      return whole;
    });
  }
  out = out.replace(JWT_ALL, REDACTED);
  return out.replace(TOKEN_RUN, (run) => (looksLikeToken(run) ? REDACTED : run));
}

/**
 * Any text with its credentials replaced by "[redacted]" (idempotent): URLs as `redactUrl` does (hosts
 * stay), then outside URLs secret-named `name=value` pairs and `Name: value` lines, authentication
 * credentials, JWTs and long random tokens.
 */
export function scrubText(text: string): string {
  if (!TEXT_MAY_HOLD_SECRET.test(text)) return text;
  let out = "";
  let last = 0;
  // matchAll walks its own copy of the regex: the text between URLs can come back here (scrubPlainText scrubs a
  // quoted Set-Cookie line's attributes with scrubText), and a shared lastIndex reset by that inner call sent this
  // loop back to the start forever.
  for (const m of text.matchAll(URL_IN_TEXT)) {
    out += plainTextScrubbed(text.slice(last, m.index)) + redactUrl(m[0]);
    last = m.index + m[0].length;
  }
  return out + plainTextScrubbed(text.slice(last));
}

// ---------------------------------------------------------------------------------------------------------
// HAR entries (the exported report).

function redactCookies(cookies: HarCookie[] | undefined, redaction: Redaction): HarCookie[] {
  return (cookies ?? []).map((c) => {
    if (c.value === REDACTED) return c;
    redaction.cookie(c.name, c.value);
    return { ...c, name: scrubText(c.name), value: REDACTED };
  });
}

function redactQueryString(params: HarNameValue[] | undefined, redaction: Redaction): HarNameValue[] {
  return (params ?? []).map((p) => {
    if (p.value === REDACTED || p.value === "") return p;
    if (!isSecretParam(p.name) && !looksLikeToken(p.value)) {
      const value = scrubText(p.value);
      return value === p.value ? p : { ...p, value };
    }
    redaction.queryParameter(p.name, p.value);
    return { ...p, value: REDACTED };
  });
}

/**
 * A redacted copy of one HAR entry: URLs, headers, cookies, query strings; request bodies lose their text
 * and form values, responses lose their body. Derived text (`_cors`) is scrubbed by the caller's edge
 * (`Redaction.scrub`), which knows every value removed here.
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
    request.postData = {
      ...rest,
      ...(params ? { params: params.map((p) => ({ ...p, ...(p.value !== undefined ? { value: REDACTED } : {}) })) } : {}),
    };
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

/** What a header's value can hold, by its name: decided once per name (collectSecrets runs on every exchange). */
const headerKind = memoized((name: string): "cookie" | "set-cookie" | "secret" | "url" | "plain" => {
  const lower = name.toLowerCase();
  if (lower === "cookie" || lower === "cookie2") return "cookie";
  if (lower === "set-cookie" || lower === "set-cookie2") return "set-cookie";
  if (isCorsHeader(lower)) return "plain";
  // The rule itself: this function is memoized already.
  if (isSecretHeaderRule(name)) return "secret";
  return URL_HEADERS.has(lower) ? "url" : "plain";
});

/** A request or a response as far as its secrets go: its URL and headers. */
export interface SecretSource {
  url?: string;
  headers: Header[];
}

/**
 * The same messages with only the headers that can hold a secret (cookies, credentials, URLs): what
 * `collectSecrets` needs, small enough to send to another thread, which collects from it exactly what it
 * would have collected from the whole messages.
 */
export function secretSources(messages: Iterable<SecretSource | undefined>): SecretSource[] {
  const sources: SecretSource[] = [];
  for (const m of messages) {
    if (!m) continue;
    const headers = m.headers.filter((h) => headerKind(h.name) !== "plain");
    if (m.url || headers.length > 0) sources.push(m.url ? { url: m.url, headers } : { headers });
  }
  return sources;
}

/**
 * Collects every secret of a list of requests and responses (URLs and headers) without building redacted
 * copies: for outputs that quote those values in derived text (a finding, a recipe) and scrub it with
 * `scrub`. Token-shaped values need no collecting: the text rule finds them wherever they are quoted.
 */
export function collectSecrets(redaction: Redaction, messages: Iterable<SecretSource | undefined>): Redaction {
  for (const m of messages) {
    if (!m) continue;
    if (m.url) redactUrl(m.url, redaction);
    for (const h of m.headers) {
      const kind = headerKind(h.name);
      if (kind === "cookie") redactCookieHeader(h.value, redaction);
      else if (kind === "set-cookie") h.value.split("\n").forEach((line) => redactSetCookie(line, redaction));
      else if (kind === "secret") redaction.header(h.name, h.value);
      else if (kind === "url") redactUrl(h.value, redaction);
    }
  }
  return redaction;
}
