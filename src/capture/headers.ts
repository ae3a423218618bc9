// webRequest headers → the model's header lines. Each line stays a line: Chromium reports repeated
// response headers (two Access-Control-Allow-Origin lines, say) as separate entries, and the engine
// must see them that way to explain "multiple values" failures (Fetch: a header list keeps duplicates).
import type { Header } from "../core/model";
import type { WebRequestHeader } from "./events";

export function toHeaderLines(headers: readonly WebRequestHeader[] | undefined): Header[] | undefined {
  if (!headers) return undefined;
  return headers.map((h) => ({ name: h.name, value: h.value ?? decodeBinary(h.binaryValue) }));
}

/** Bytes as isomorphic-decoded text (one char per byte), what Fetch calls a byte sequence shown as a string. */
function decodeBinary(bytes: ArrayLike<number> | undefined): string {
  if (!bytes) return "";
  let s = "";
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]! & 0xff);
  return s;
}

/** "HTTP/1.1 404 Not Found" → "Not Found"; HTTP/2 status lines carry no reason phrase. */
export function reasonPhrase(statusLine: string | undefined): string | undefined {
  if (!statusLine) return undefined;
  const m = /^\S+\s+\d{3}\s?(.*)$/.exec(statusLine.trim());
  return m?.[1] ? m[1] : undefined;
}

export function headerValue(headers: readonly Header[] | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers?.find((h) => h.name.toLowerCase() === lower)?.value;
}
