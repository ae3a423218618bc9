// JSON read straight from bytes, for the HAR reader: values the caller wants are decoded, values it
// does not want (response bodies, timings, cookies: most of a HAR's bytes) are only walked over, never
// built. JSON.parse must build everything it reads; this is how the reader can beat it.
//
// The grammar of everything walked is checked (brackets, commas, colons, literals, numbers, nesting),
// so a broken file is still rejected; inside strings that are skipped, escapes and control characters
// are not checked (nothing reads them).
//
// Input arrives in chunks: every method either completes or throws `INCOMPLETE` (the caller keeps the
// bytes from the start of the value and tries again once there are more).

/** Thrown when the value continues past the bytes available. */
export const INCOMPLETE: unique symbol = Symbol("incomplete");

/** A grammar error at `offset` (absolute byte offset in the input). */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Buffer's one-byte slice (V8 copies the bytes; no UTF-8 decoding). Present on every Node Buffer. */
type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string; utf8Slice(start: number, end: number): string };

const QUOTE = 0x22;
/** Bytes decoded at once for `ascii` (a HAR entry's headers fit in one or two). */
const WINDOW = 4096;
const BACKSLASH = 0x5c;

export function describeByte(c: number): string {
  return c >= 0x21 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/** Sets `key` on a JSON object as JSON.parse does (an own "__proto__" property, not the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export class ByteJson {
  b: FastBuffer;
  /** Read position in `b`. */
  p = 0;
  /** Absolute offset of `b[0]` in the input (for messages). */
  base = 0;

  constructor(
    buf: Buffer,
    /** Deeper nesting is refused (counted from the document's root). */
    readonly maxDepth: number,
  ) {
    this.b = buf as FastBuffer;
  }

  reset(buf: Buffer, base: number): void {
    this.b = buf as FastBuffer;
    this.p = 0;
    this.base = base;
    this.windowEnd = -1;
  }

  // Strings are cut from a decoded window of the bytes: one native decode per few kilobytes, then
  // `substring` (no call into C++ per string, which costs more than the copy). Only ASCII strings
  // are cut this way, where one byte is one character whatever else the window holds.
  private window = "";
  private windowStart = 0;
  private windowEnd = -1;

  private ascii(start: number, end: number): string {
    if (start >= this.windowStart && end <= this.windowEnd) return this.window.substring(start - this.windowStart, end - this.windowStart);
    if (end - start > WINDOW) return this.b.latin1Slice(start, end);
    this.windowStart = start;
    this.windowEnd = Math.min(this.b.length, start + WINDOW);
    this.window = this.b.latin1Slice(start, this.windowEnd);
    return this.window.substring(0, end - start);
  }

  fail(message: string, at = this.p): never {
    throw new JsonSyntaxError(message, this.base + at);
  }

  unexpected(at = this.p): never {
    if (at >= this.b.length) throw INCOMPLETE;
    this.fail(`unexpected ${describeByte(this.b[at]!)}`, at);
  }

  /** Skips whitespace; returns the next byte (throws INCOMPLETE at the end of the bytes). */
  peek(): number {
    const b = this.b;
    const n = b.length;
    let p = this.p;
    while (p < n) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.p = p;
        return c;
      }
      p++;
    }
    this.p = p;
    throw INCOMPLETE;
  }

  /** Skips whitespace; returns the next byte or -1 at the end of the bytes (never throws). */
  peekOrEnd(): number {
    const b = this.b;
    const n = b.length;
    let p = this.p;
    while (p < n) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.p = p;
        return c;
      }
      p++;
    }
    this.p = p;
    return -1;
  }

  expect(c: number): void {
    if (this.peek() !== c) this.unexpected();
    this.p++;
  }

  /** After a member: true if another follows (`,`), false at the closing bracket `close`. */
  more(close: number): boolean {
    const c = this.peek();
    this.p++;
    if (c === 0x2c) return true;
    if (c === close) return false;
    this.unexpected(this.p - 1);
  }

  /** Index of the closing quote of the string whose body starts at `from`. */
  private stringEnd(from: number): number {
    const b = this.b;
    let i = from;
    for (;;) {
      const q = b.indexOf(QUOTE, i);
      if (q < 0) throw INCOMPLETE;
      let run = 0;
      for (let k = q - 1; k >= from && b[k] === BACKSLASH; k--) run++;
      if ((run & 1) === 0) return q;
      i = q + 1;
    }
  }

  /** At a `"`: skips the string. */
  skipString(): void {
    this.p = this.stringEnd(this.p + 1) + 1;
  }

  /** At a `"`: the string's value. ASCII without escapes (nearly every HAR string) is a plain byte copy. */
  string(): string {
    const b = this.b;
    const start = this.p + 1;
    const n = b.length;
    let i = start;
    for (;;) {
      if (i >= n) throw INCOMPLETE;
      const c = b[i]!;
      if (c === QUOTE) {
        this.p = i + 1;
        return this.ascii(start, i);
      }
      if (c === BACKSLASH || c < 0x20 || c >= 0x80) break;
      i++;
    }
    // Escapes, control characters or UTF-8: JSON.parse decodes and checks them (and a broken
    // sequence becomes U+FFFD, as when the whole file is decoded first).
    const end = this.stringEnd(i);
    this.p = end + 1;
    let escaped = false;
    for (let k = i; k < end; k++) {
      const c = b[k]!;
      if (c === BACKSLASH || c < 0x20) {
        escaped = true;
        break;
      }
    }
    if (!escaped) return b.utf8Slice(start, end);
    try {
      return JSON.parse(b.utf8Slice(start - 1, end + 1)) as string;
    } catch {
      return this.fail("invalid string (bad escape or control character)", start - 1);
    }
  }

  /** Compares the key at `p` (a `"`) with ASCII `name` without decoding; leaves `p` unchanged. */
  keyIs(name: string): boolean {
    const b = this.b;
    const start = this.p + 1;
    const len = name.length;
    if (start + len >= b.length) return false;
    if (b[start + len] !== QUOTE) return false;
    for (let k = 0; k < len; k++) if (b[start + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  /** At a `"` in key position: the key (decoded), then past the `:`. */
  key(): string {
    const key = this.string();
    this.expect(0x3a);
    return key;
  }

  /** At a number: its value (the JSON grammar is checked: no leading zeros, no bare `.5`). */
  number(): number {
    const start = this.p;
    const end = this.numberEnd(start);
    this.p = end;
    return Number(this.b.latin1Slice(start, end));
  }

  private numberEnd(start: number): number {
    const b = this.b;
    const n = b.length;
    let i = start;
    if (b[i] === 0x2d) i++;
    const digits = (): number => {
      const from = i;
      while (i < n && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      if (i >= n) throw INCOMPLETE;
      return i - from;
    };
    if (i >= n) throw INCOMPLETE;
    if (b[i] === 0x30) i++;
    else if (digits() === 0) this.fail(`invalid number`, start);
    if (i >= n) throw INCOMPLETE;
    if (b[i] === 0x2e) {
      i++;
      if (digits() === 0) this.fail("invalid number", start);
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (i >= n) throw INCOMPLETE;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (digits() === 0) this.fail("invalid number", start);
    }
    if (i >= n) throw INCOMPLETE;
    const c = b[i]!;
    // A number runs up to a delimiter: `12x` and `01` are errors, not two tokens.
    if (!(c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09))
      this.fail("invalid number", start);
    return i;
  }

  private literal(word: string, value: unknown): unknown {
    const b = this.b;
    for (let k = 0; k < word.length; k++) {
      const at = this.p + k;
      if (at >= b.length) throw INCOMPLETE;
      if (b[at] !== word.charCodeAt(k)) this.fail(`unexpected ${describeByte(b[at]!)}`, at);
    }
    this.p += word.length;
    return value;
  }

  /** Any JSON value, built. `depth` is the nesting depth of its container. */
  value(depth: number): unknown {
    const c = this.peek();
    if (c === QUOTE) return this.string();
    if (c === 0x7b) return this.object(depth);
    if (c === 0x5b) return this.array(depth);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    if (c === 0x74) return this.literal("true", true);
    if (c === 0x66) return this.literal("false", false);
    if (c === 0x6e) return this.literal("null", null);
    return this.unexpected();
  }

  private enter(depth: number): number {
    if (depth >= this.maxDepth) this.fail(`JSON nesting is deeper than ${this.maxDepth} levels`);
    this.p++;
    return depth + 1;
  }

  object(depth: number): Record<string, unknown> {
    const inner = this.enter(depth);
    const out: Record<string, unknown> = {};
    if (this.peek() === 0x7d) {
      this.p++;
      return out;
    }
    do {
      if (this.peek() !== QUOTE) this.unexpected();
      const key = this.key();
      setOwn(out, key, this.value(inner));
    } while (this.more(0x7d));
    return out;
  }

  array(depth: number): unknown[] {
    const inner = this.enter(depth);
    const out: unknown[] = [];
    if (this.peek() === 0x5d) {
      this.p++;
      return out;
    }
    do out.push(this.value(inner));
    while (this.more(0x5d));
    return out;
  }

  /** Walks over any JSON value without building it. */
  skip(depth: number): void {
    const c = this.peek();
    if (c === QUOTE) this.skipString();
    else if (c === 0x7b) {
      const inner = this.enter(depth);
      if (this.peek() === 0x7d) {
        this.p++;
        return;
      }
      do {
        if (this.peek() !== QUOTE) this.unexpected();
        this.skipString();
        this.expect(0x3a);
        this.skip(inner);
      } while (this.more(0x7d));
    } else if (c === 0x5b) {
      const inner = this.enter(depth);
      if (this.peek() === 0x5d) {
        this.p++;
        return;
      }
      do this.skip(inner);
      while (this.more(0x5d));
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) this.p = this.numberEnd(this.p);
    else if (c === 0x74) this.literal("true", true);
    else if (c === 0x66) this.literal("false", false);
    else if (c === 0x6e) this.literal("null", null);
    else this.unexpected();
  }
}
