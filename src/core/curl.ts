// Copy-as-curl: the preflight and the actual request of an exchange as shell commands that reproduce what the
// browser sent, Origin and Access-Control-Request-* included, so a developer can replay them against the server.
// curl does not enforce CORS: the point is to read the Access-Control-* response headers the server returns.
// Secrets (cookies, Authorization, credential-like query parameters) are removed unless explicitly included.
import type { Exchange, Header, HttpRequest } from "./model";
import { redactHeaders, redactUrl, scrubText } from "./redact";

export interface CurlOptions {
  /** Default false: secret header values and credential-like query parameters become "[redacted]". */
  includeSecrets?: boolean;
}

/**
 * Headers curl computes itself or that cannot be replayed: HTTP/2 pseudo-headers (Chrome's HAR has `:authority`),
 * `Host` (curl derives it from the URL) and `Content-Length` (there is no body to replay).
 */
function isReplayable(name: string): boolean {
  return !name.startsWith(":") && !/^(host|content-length|connection)$/i.test(name);
}

/** Characters a terminal would not show faithfully: C0 controls, DEL, bidi overrides and zero-width marks. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Quotes one shell word. Values with control characters use ANSI-C quoting ($'…') so that what is pasted is
 * exactly what the server sent and nothing is hidden from the reader (a raw ESC or CR in a single-quoted string
 * would be invisible in the terminal).
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  if (HIDDEN.test(word)) {
    const escaped = Array.from(word, (ch) => {
      const code = ch.codePointAt(0)!;
      if (ch === "\\") return "\\\\";
      if (ch === "'") return "\\'";
      if (code < 0x20 || code === 0x7f) return "\\x" + code.toString(16).padStart(2, "0");
      if (HIDDEN.test(ch)) return "\\u" + code.toString(16).padStart(4, "0");
      return ch;
    }).join("");
    return "$'" + escaped + "'";
  }
  return "'" + word.replace(/'/g, "'\\''") + "'";
}

/** One request as a curl command. `-i` prints the response headers, which is what CORS is decided on. */
export function curlForRequest(request: HttpRequest, options: CurlOptions = {}): string {
  const headers = options.includeSecrets ? request.headers : redactHeaders(request.headers);
  const url = options.includeSecrets ? request.url : redactUrl(request.url);
  // Every string that goes into the command is redacted on its way in: headers (names and values, by name
  // and by shape), the URL, and the method (a token used as a method is still a token).
  const method = options.includeSecrets ? request.method || "GET" : scrubText(request.method || "GET");
  const lines = [`curl -i${method !== "GET" ? ` -X ${shellQuote(method)}` : ""} ${shellQuote(url)}`];
  for (const header of headers) {
    if (!isReplayable(header.name)) continue;
    lines.push(`-H ${shellQuote(`${header.name}: ${header.value}`)}`);
  }
  return lines.join(" \\\n  ");
}

function findHeader(headers: Header[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** The request as the page issued it, with `Origin` added when the capture did not record it. */
export function actualRequestOf(exchange: Exchange): HttpRequest | null {
  const first = exchange.legs[0];
  if (!first) return null;
  const request = first.request;
  if (findHeader(request.headers, "origin") === undefined && exchange.initiatorOrigin) {
    return { ...request, headers: [{ name: "Origin", value: exchange.initiatorOrigin }, ...request.headers] };
  }
  return request;
}

/**
 * The preflight the browser sent before the first leg that had one; null when none was observed (not needed,
 * or served from the preflight cache). We never invent one: deciding whether a preflight is needed is the
 * engine's job, and a guessed preflight would differ from the browser's.
 */
export function preflightRequestOf(exchange: Exchange): HttpRequest | null {
  const leg = exchange.legs.find((l) => l.preflight);
  return leg?.preflight?.request ?? null;
}

export function curlForActual(exchange: Exchange, options: CurlOptions = {}): string | null {
  const request = actualRequestOf(exchange);
  return request ? curlForRequest(request, options) : null;
}

export function curlForPreflight(exchange: Exchange, options: CurlOptions = {}): string | null {
  const request = preflightRequestOf(exchange);
  return request ? curlForRequest(request, options) : null;
}
