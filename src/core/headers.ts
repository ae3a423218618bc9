// Header lists as the Fetch standard reads them (https://fetch.spec.whatwg.org/#concept-header-list).
import type { Header } from "./model";

const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

/** Strips leading and trailing HTTP whitespace, as the HTTP layer does before CORS sees a value. */
export function trimHttpWhitespace(value: string): string {
  // Most values have nothing to trim: skip the regular expression for them (a hot path on large logs).
  if (value.length === 0 || (!isHttpWhitespace(value.charCodeAt(0)) && !isHttpWhitespace(value.charCodeAt(value.length - 1)))) return value;
  return value.replace(HTTP_WHITESPACE, "");
}

function isHttpWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

interface HeaderIndex {
  /** Length of the list when indexed: a list that grew since is indexed again. */
  length: number;
  values: Map<string, string[]>;
  combined: Map<string, string>;
}

const indexes = new WeakMap<readonly Header[], HeaderIndex>();
const NONE: readonly string[] = Object.freeze([]);

/**
 * The engine asks the same few header lists for many names (both browsers' checks, the lints): index a
 * list once by lower-cased name instead of scanning it on every lookup.
 */
function indexOf(headers: readonly Header[]): HeaderIndex {
  let index = indexes.get(headers);
  if (index && index.length === headers.length) return index;
  const values = new Map<string, string[]>();
  for (const h of headers) {
    const n = h?.name;
    if (typeof n !== "string") continue;
    const key = n.toLowerCase();
    const value = trimHttpWhitespace(String(h.value ?? ""));
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  index = { length: headers.length, values, combined: new Map() };
  indexes.set(headers, index);
  return index;
}

/** All values of one header name (case-insensitive), one per line, trimmed. Do not modify the result. */
export function getAll(headers: readonly Header[] | undefined, name: string): readonly string[] {
  if (!headers || headers.length === 0) return NONE;
  return indexOf(headers).values.get(name.toLowerCase()) ?? NONE;
}

/**
 * Fetch "get": null when absent, otherwise the values combined with ", "
 * (https://fetch.spec.whatwg.org/#concept-header-list-get). Two ACAO lines thus become "a, b".
 */
export function get(headers: readonly Header[] | undefined, name: string): string | null {
  if (!headers || headers.length === 0) return null;
  const index = indexOf(headers);
  const key = name.toLowerCase();
  let value = index.combined.get(key);
  if (value === undefined) {
    const values = index.values.get(key);
    if (!values) return null;
    value = values.length === 1 ? values[0]! : values.join(", ");
    index.combined.set(key, value);
  }
  return value;
}

export function has(headers: readonly Header[] | undefined, name: string): boolean {
  return getAll(headers, name).length > 0;
}

/** Lines of this header: more than one means two layers (app and proxy, say) each added it. */
export function lineCount(headers: readonly Header[] | undefined, name: string): number {
  return getAll(headers, name).length;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token: what a method or a header name must be. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * Splits a comma-separated list header (Access-Control-Allow-Methods/-Headers/-Expose-Headers) the
 * way Chromium's HttpUtil::ValuesIterator does: trim each element, skip empty ones. Returns the bad
 * element when one is not a token, since then the whole header is invalid
 * (https://fetch.spec.whatwg.org/#cors-preflight-fetch step 7.3).
 */
export function parseTokenList(value: string | null): { ok: true; items: string[] } | { ok: false; bad: string } {
  if (value === null) return { ok: true, items: [] };
  const items: string[] = [];
  for (const raw of value.split(",")) {
    const item = trimHttpWhitespace(raw);
    if (item === "") continue;
    if (!isToken(item)) return { ok: false, bad: item };
    items.push(item);
  }
  return { ok: true, items };
}

/** A header's value length in bytes (header values are byte sequences; UTF-16 text is encoded as UTF-8). */
export function byteLength(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Coerces untrusted header-like input (HAR, storage) into clean Header objects. */
export function toHeaders(value: unknown): Header[] {
  if (!Array.isArray(value)) return [];
  const out: Header[] = [];
  for (const h of value) {
    if (h && typeof h === "object" && "name" in h) {
      const name = String((h as { name: unknown }).name ?? "");
      const v = (h as { value?: unknown }).value;
      if (name) out.push({ name, value: v === undefined || v === null ? "" : String(v) });
    }
  }
  return out;
}
