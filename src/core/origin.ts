// Origins as the Fetch standard serialises and compares them
// (https://fetch.spec.whatwg.org/#serializing-a-request-origin, #concept-cors-check step 4: byte equality).

/** The serialised origin of a URL ("null" for opaque ones), or null when the URL does not parse. */
const originCache = new Map<string, string | null>();
const ORIGIN_CACHE_LIMIT = 4096;

export function originOf(url: string): string | null {
  // URL parsing is costly and a log repeats the same few URLs; remember the recent ones.
  let origin = originCache.get(url);
  if (origin === undefined) {
    origin = parseOrigin(url);
    if (originCache.size >= ORIGIN_CACHE_LIMIT) originCache.delete(originCache.keys().next().value!);
    originCache.set(url, origin);
  }
  return origin;
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

/** Registrable-ish host of an origin, for the lints about third-party and http origins. */
export function hostOf(origin: string): string | null {
  try {
    return new URL(origin).hostname;
  } catch {
    return null;
  }
}

export function schemeOf(origin: string): string | null {
  try {
    return new URL(origin).protocol.replace(/:$/, "");
  } catch {
    return null;
  }
}
