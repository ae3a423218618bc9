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
 * Lists longer than this are indexed once by lower-cased name; shorter ones (nearly every request and
 * response) are scanned: building a map per list cost more than the few lookups the engine makes.
 */
const SCAN_UP_TO = 24;

/**
 * The engine asks the same few header lists for many names (both browsers' checks, the lints): index a
 * long list once by lower-cased name instead of scanning it on every lookup.
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

/**
 * Whether a header's name is `key` (lower-case) case-insensitively, exactly as `name.toLowerCase() === key`
 * decides, without building the lower-cased string. For an ASCII key, a name of another length never
 * matches (the only lower-case mapping that changes the length, U+0130, gives non-ASCII), and a non-ASCII
 * character (the Kelvin sign lower-cases to "k") sends the comparison to the real thing.
 */
function nameIs(name: unknown, key: string, keyIsAscii: boolean): boolean {
  if (typeof name !== "string") return false;
  if (name === key) return true;
  if (!keyIsAscii) return name.toLowerCase() === key;
  const n = name.length;
  if (n !== key.length) return false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    const k = key.charCodeAt(i);
    if (c === k || (c >= 0x41 && c <= 0x5a && c + 0x20 === k)) continue;
    if (c > 0x7f) return name.toLowerCase() === key;
    return false;
  }
  return true;
}

/** The lower-cased name asked for: callers nearly always pass it lower-case already. */
function keyOf(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c > 0x7f) return name.toLowerCase();
  }
  return name;
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}

function headerValue(h: Header): string {
  return trimHttpWhitespace(String(h.value ?? ""));
}

/** All values of one header name (case-insensitive), one per line, trimmed. Do not modify the result. */
export function getAll(headers: readonly Header[] | undefined, name: string): readonly string[] {
  if (!headers || headers.length === 0) return NONE;
  if (headers.length > SCAN_UP_TO) return indexOf(headers).values.get(name.toLowerCase()) ?? NONE;
  const key = keyOf(name);
  const ascii = isAscii(key);
  let found: string[] | null = null;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (!nameIs(h?.name, key, ascii)) continue;
    if (found) found.push(headerValue(h));
    else found = [headerValue(h)];
  }
  return found ?? NONE;
}

/**
 * The names the engine reads on nearly every exchange. While a diagnosis runs (`beginHeaderViews`), the
 * first lookup of one of them in a list scans that list once and fills all of them: an exchange's few
 * lists were otherwise scanned again and again (eleven lookups per exchange, four in five a repeat).
 */
export const VIEW_NAMES = [
  "origin",
  "cookie",
  "authorization",
  "sec-fetch-mode",
  "content-type",
  "location",
  "vary",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-max-age",
  "access-control-expose-headers",
  "access-control-request-method",
  "access-control-request-headers",
] as const;
const VIEW_SLOT = new Map<string, number>(VIEW_NAMES.map((name, slot) => [name, slot]));
/** Slots by name length: a header whose name has another length is none of them (see `nameIs`). */
const SLOTS_BY_LENGTH: number[][] = [];
for (let slot = 0; slot < VIEW_NAMES.length; slot++) (SLOTS_BY_LENGTH[VIEW_NAMES[slot]!.length] ??= []).push(slot);

interface HeaderView {
  list: readonly Header[] | null;
  /** Length of the list when scanned: a list that grew since is scanned again. */
  length: number;
  /** Fetch "get" of each name: null when absent, lines joined with ", ". */
  values: (string | null)[];
  lines: number[];
}

/**
 * A few views, reused from one diagnosis to the next (nothing of a view escapes: lookups return strings). An
 * exchange reads four lists or so; a long redirect chain takes the ring round, and the oldest view is
 * filled again, so a lookup never searches more than VIEWS views (linear time on hostile chains).
 */
const VIEWS = 8;
const views: HeaderView[] = Array.from({ length: VIEWS }, () => ({
  list: null,
  length: 0,
  values: VIEW_NAMES.map(() => null),
  lines: VIEW_NAMES.map(() => 0),
}));
let nextView = 0;
let viewDepth = 0;

/** Starts a diagnosis: header lists are not changed until the matching `endHeaderViews`. */
export function beginHeaderViews(): void {
  viewDepth++;
}

export function endHeaderViews(): void {
  if (viewDepth > 0 && --viewDepth === 0) {
    for (let i = 0; i < VIEWS; i++) views[i]!.list = null;
  }
}

function viewOf(headers: readonly Header[]): HeaderView {
  for (let i = 0; i < VIEWS; i++) {
    const v = views[i]!;
    if (v.list === headers && v.length === headers.length) return v;
  }
  const view = views[nextView]!;
  nextView = (nextView + 1) % VIEWS;
  view.list = headers;
  view.length = headers.length;
  const { values, lines } = view;
  // A plain loop: two fill() calls cost more than the scan of a short list.
  for (let slot = 0; slot < values.length; slot++) {
    values[slot] = null;
    lines[slot] = 0;
  }
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const n = h?.name;
    if (typeof n !== "string") continue;
    const slots = SLOTS_BY_LENGTH[n.length];
    if (!slots) continue;
    for (let j = 0; j < slots.length; j++) {
      const slot = slots[j]!;
      if (!nameIs(n, VIEW_NAMES[slot]!, true)) continue;
      const value = headerValue(h);
      const before = values[slot]!;
      values[slot] = before === null ? value : `${before}, ${value}`;
      lines[slot]!++;
      break;
    }
  }
  return view;
}

/** The view's slot for this name, or -1 when no diagnosis is running or the name has no slot. */
function viewSlot(headers: readonly Header[], name: string): number {
  if (viewDepth === 0 || headers.length > SCAN_UP_TO) return -1;
  return VIEW_SLOT.get(name) ?? -1;
}

/**
 * The first line's value as it was written (not trimmed, not combined), or undefined: for the HAR reader, which
 * pairs entries on what each one carries.
 */
export function firstValue(headers: readonly Header[] | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = keyOf(name);
  const ascii = isAscii(key);
  for (let i = 0; i < headers.length; i++) if (nameIs(headers[i]?.name, key, ascii)) return headers[i]!.value;
  return undefined;
}

/**
 * Fetch "get": null when absent, otherwise the values combined with ", "
 * (https://fetch.spec.whatwg.org/#concept-header-list-get). Two ACAO lines thus become "a, b".
 */
export function get(headers: readonly Header[] | undefined, name: string): string | null {
  if (!headers || headers.length === 0) return null;
  const slot = viewSlot(headers, name);
  if (slot >= 0) return viewOf(headers).values[slot]!;
  if (headers.length > SCAN_UP_TO) {
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
  const key = keyOf(name);
  const ascii = isAscii(key);
  let value: string | null = null;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (!nameIs(h?.name, key, ascii)) continue;
    value = value === null ? headerValue(h) : `${value}, ${headerValue(h)}`;
  }
  return value;
}

export function has(headers: readonly Header[] | undefined, name: string): boolean {
  return lineCount(headers, name) > 0;
}

/** Lines of this header: more than one means two layers (app and proxy, say) each added it. */
export function lineCount(headers: readonly Header[] | undefined, name: string): number {
  if (!headers || headers.length === 0) return 0;
  const slot = viewSlot(headers, name);
  if (slot >= 0) return viewOf(headers).lines[slot]!;
  if (headers.length > SCAN_UP_TO) return getAll(headers, name).length;
  const key = keyOf(name);
  const ascii = isAscii(key);
  let count = 0;
  for (let i = 0; i < headers.length; i++) if (nameIs(headers[i]?.name, key, ascii)) count++;
  return count;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token: what a method or a header name must be. */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/**
 * Header names from untrusted input (a page-side report, our own export read back): the first `max` items that are
 * tokens of at most 64 characters, lower-cased; anything else is dropped.
 */
export function headerNamesFrom(list: readonly unknown[], max: number): string[] {
  return list
    .slice(0, max)
    .filter((n): n is string => typeof n === "string" && n.length <= 64 && isToken(n))
    .map((n) => n.toLowerCase());
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
