// Origins as the Fetch standard serialises and compares them
// (https://fetch.spec.whatwg.org/#serializing-a-request-origin, #concept-cors-check step 4: byte equality).

/** The serialised origin of a URL ("null" for opaque ones), or null when the URL does not parse. */
const originCache = new Map<string, string | null>();
const ORIGIN_CACHE_LIMIT = 4096;

/** The last URL asked for and its origin: one diagnosis asks for each leg's origin three times in a row. */
let lastUrl: string | null = null;
let lastOrigin: string | null = null;

export function originOf(url: string): string | null {
  if (url === lastUrl) return lastOrigin;
  let origin = plainHttpOrigin(url);
  if (origin === null) {
    // URL parsing is costly and a log repeats the same few URLs; remember the recent ones.
    const cached = originCache.get(url);
    if (cached === undefined) {
      origin = parseOrigin(url);
      if (originCache.size >= ORIGIN_CACHE_LIMIT) originCache.delete(originCache.keys().next().value!);
      originCache.set(url, origin);
    } else origin = cached;
  }
  lastUrl = url;
  lastOrigin = origin;
  return origin;
}

/**
 * The origin of an http(s) URL already in the form the URL parser writes (lower-case scheme and host of
 * letters, digits, dots and hyphens, a port without leading zeros): a prefix of the URL, found without
 * parsing it. Anything else (upper case, userinfo, IPv6, percent-escapes, tabs or newlines the parser
 * strips, hosts it would rewrite as IPv4 numbers) returns null and goes to the URL parser.
 */
function plainHttpOrigin(url: string): string | null {
  let start: number;
  let defaultPort: string;
  if (url.startsWith("http://")) {
    start = 7;
    defaultPort = "80";
  } else if (url.startsWith("https://")) {
    start = 8;
    defaultPort = "443";
  } else return null;
  const n = url.length;
  let i = start;
  let labelStart = start;
  let colon = -1;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) break; // / ? #
    if (colon >= 0) {
      if (c < 0x30 || c > 0x39) return null;
    } else if (c === 0x3a) colon = i;
    else if (c === 0x2e) labelStart = i + 1;
    else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) return null;
  }
  const hostEnd = colon >= 0 ? colon : i;
  if (hostEnd === start || url.charCodeAt(hostEnd - 1) === 0x2e || url.charCodeAt(start) === 0x2e) return null;
  // A host whose last label starts with a digit is an IPv4 address to the parser (which rewrites
  // `1.2.3`, `0x7f.1`, `010.0.0.1`): only the canonical dotted quad stays as written.
  const last = url.charCodeAt(labelStart);
  if (last >= 0x30 && last <= 0x39 && !isCanonicalIpv4(url, start, hostEnd)) return null;
  if (colon >= 0) {
    const port = url.slice(colon + 1, i);
    if (port === "") return null;
    if (port.length > 1 && port.charCodeAt(0) === 0x30) return null;
    if (port.length > 5 || Number(port) > 65535) return null;
    if (port === defaultPort) return url.slice(0, colon);
  }
  return url.slice(0, i);
}

function isCanonicalIpv4(host: string, from: number, to: number): boolean {
  // Four decimal parts without leading zeros, each ≤ 255 (a loop: this runs for every 127.0.0.1 URL).
  let parts = 0;
  let i = from;
  while (i <= to) {
    const start = i;
    let value = 0;
    while (i < to && host.charCodeAt(i) !== 0x2e) {
      const c = host.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return false;
      value = value * 10 + (c - 0x30);
      i++;
    }
    const length = i - start;
    if (length === 0 || length > 3 || (length > 1 && host.charCodeAt(start) === 0x30) || value > 255) return false;
    parts++;
    i++; // past the dot (or the end)
  }
  return parts === 4;
}

function parseOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol === "http:" || u.protocol === "https:") return u.origin;
    return "null";
  } catch {
    return null;
  }
}

export function isHttpUrl(url: string): boolean {
  const origin = originOf(url);
  return origin !== null && origin !== "null";
}

export function sameOrigin(a: string, b: string): boolean {
  return a !== "null" && a === b;
}

interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string;
  path: string;
}

/** Lenient parse of an ACAO-like value for explaining a mismatch (never for deciding it). */
function parseLoose(value: string): ParsedOrigin | null {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/:?#]*)(?::([0-9]*))?([^?#]*)/.exec(value);
  if (!m) return null;
  return { scheme: m[1]!.toLowerCase(), host: m[2]!.toLowerCase(), port: m[3] ?? "", path: m[4] ?? "" };
}

function defaultPort(scheme: string): string {
  return scheme === "https" ? "443" : scheme === "http" ? "80" : "";
}

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Why an Access-Control-Allow-Origin value that is a single, well-formed value still is not the
 * request's origin (taxonomy A.2). Returns the refinement id, or "acao-mismatch" when none applies.
 */
export function classifyOriginMismatch(allowOrigin: string, requestOrigin: string): string {
  if (requestOrigin === "null") return "acao-mismatch-null-expected";
  if (allowOrigin === "null") return "acao-mismatch-null-sent";
  if (allowOrigin.includes("*")) return "acao-mismatch-wildcard-pattern";
  if (allowOrigin.toLowerCase() === requestOrigin.toLowerCase()) return "acao-mismatch-case";
  const a = parseLoose(allowOrigin);
  const r = parseLoose(requestOrigin);
  if (!a || !r) return "acao-mismatch";
  const aPort = a.port || defaultPort(a.scheme);
  const rPort = r.port || defaultPort(r.scheme);
  if (a.scheme === r.scheme && a.host === r.host && aPort === rPort) {
    if (a.path !== "") return "acao-mismatch-trailing-slash";
    if (a.port !== r.port) return "acao-mismatch-port";
    return "acao-mismatch-case";
  }
  if (a.host === r.host && aPort === rPort && a.scheme !== r.scheme) return "acao-mismatch-scheme";
  if (a.host === r.host && a.scheme === r.scheme) return "acao-mismatch-port";
  if (LOOPBACK_NAMES.has(a.host) && LOOPBACK_NAMES.has(r.host) && a.host !== r.host) {
    return "acao-mismatch-localhost-vs-127";
  }
  if (a.host === r.host) return "acao-mismatch-scheme";
  return "acao-mismatch-other-valid-origin";
}

const hostCache = new Map<string, string | null>();

/** Registrable-ish host of an origin, for the lints about third-party and http origins. */
export function hostOf(origin: string): string | null {
  // The lints ask for the same few Access-Control-Allow-Origin values again and again.
  let host = hostCache.get(origin);
  if (host === undefined) {
    try {
      host = new URL(origin).hostname;
    } catch {
      host = null;
    }
    if (hostCache.size >= ORIGIN_CACHE_LIMIT) hostCache.delete(hostCache.keys().next().value!);
    hostCache.set(origin, host);
  }
  return host;
}

export function schemeOf(origin: string): string | null {
  try {
    return new URL(origin).protocol.replace(/:$/, "");
  } catch {
    return null;
  }
}
