// Streaming HAR reader for files too big for one string (V8 strings stop near 512 MB; HAR files reach
// gigabytes), and faster than JSON.parse on files that fit: a byte-level reader (json-bytes.ts) decodes
// only what CORS reads (method, URL, headers, status, timing, initiator) and walks over the rest
// (response and request bodies, cookies, timings, query strings) without building it. Memory stays at
// one entry plus one read chunk.
//
// Also read: a UTF-8 byte-order mark (HAR 1.2 says readers must accept one) and HARP, the JSONP form
// some tools write (`onInputData({...});` around the document).
import { createReadStream } from "node:fs";
import { HarGrouper } from "../core/har/group";
import { HarError, parseHarCreator, parseHarEntry, parseHarPages, withoutRepeats } from "../core/har/read";
import type { HarEntryLike, HarExchangeGroup, HarPage } from "../core/har/types";
import type { Header } from "../core/model";
import { ByteJson, describeByte, INCOMPLETE, JsonSyntaxError } from "./json-bytes";

export interface HarStreamEntry {
  index: number;
  entry: HarEntryLike;
}

export interface HarStream extends AsyncIterable<HarStreamEntry> {
  /** `log.creator.name` once the scanner has passed it (Chrome and Firefox write it before the entries). */
  readonly creator: string | undefined;
  readonly pages: HarPage[];
  /** `log._corsDoctor` once passed (CORS Doctor writes it before the entries); whether to trust it is the reader's call. */
  readonly corsDoctorLog: unknown;
  /** Input bytes read so far (for progress). */
  readonly bytesRead: number;
  /** The same entries, one array per read chunk (an await per chunk, not per entry). */
  batches(): AsyncIterable<HarStreamEntry[]>;
}

export interface HarStreamOptions {
  /** Deeper nesting is rejected (default 256; real HAR entries nest about 6 deep). */
  maxDepth?: number;
  /** One entry larger than this is rejected (default 256 MiB, under V8's string limit). */
  maxEntryBytes?: number;
}

/** Fetch follows at most 20 redirects: an exchange has at most 21 legs (a margin for what comes next). */
const MAX_LEGS = 64;

/** Where the scanner is in the document's outer structure (everything deeper is read in one step). */
enum Container {
  Root = 1,
  Log = 2,
  Entries = 3,
}

enum Phase {
  /** Before the root object (or the HARP callback name). */
  Start,
  /** Expecting a member: first (an immediate close is allowed) or after a comma. */
  Member,
  /** After a member: `,` or the container's close. */
  After,
  /** After the root object: only whitespace, or the end of the HARP wrapper. */
  Done,
}

interface StreamState {
  creator: string | undefined;
  pages: HarPage[];
  corsDoctorLog?: unknown;
}

function isValueStart(c: number): boolean {
  return c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e;
}

function isNameByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c === 0x2e;
}

/**
 * The incremental reader: feed chunks with `write`, collect finished entries with `take`, and call `end`
 * then `take` once more at the end of the input (an entry cut by a chunk boundary waits for more bytes).
 */
export class HarScanner {
  private readonly json: ByteJson;
  private readonly maxEntryBytes: number;
  /** Bytes of the input before the first byte of the current buffer. */
  private offset = 0;
  private head: Buffer | null = null;
  private started = false;
  private phase = Phase.Start;
  private readonly stack: Container[] = [];
  private first = true;
  /** HARP: the document is wrapped in `name(` … `)`; `padClosed` once the `)` was read. */
  private padded = false;
  private padClosed = false;
  private padSemicolon = false;
  private sawLog = false;
  private sawEntries = false;
  private entryIndex = 0;
  private ready: HarStreamEntry[] = [];
  /** The unfinished step's bytes, and chunks that came after them, until there is enough to retry. */
  private pending: Buffer | null = null;
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** Retry once this many bytes are buffered: doubling keeps a long value linear, not quadratic. */
  private need = 0;
  /** Key of the member being read at depth 1–2, for messages. */
  private memberKey = "";

  constructor(
    private readonly state: StreamState = { creator: undefined, pages: [] },
    options: HarStreamOptions = {},
  ) {
    this.json = new ByteJson(Buffer.alloc(0), options.maxDepth ?? 256);
    this.maxEntryBytes = options.maxEntryBytes ?? 256 * 1024 * 1024;
  }

  /** Input bytes consumed so far (for progress). */
  get bytesRead(): number {
    return this.offset + (this.pending ? this.pending.length + this.waitingBytes : 0);
  }

  /** Entries read so far. */
  get entriesRead(): number {
    return this.entryIndex;
  }

  take(): HarStreamEntry[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  write(chunk: Buffer): void {
    if (!this.started) {
      // The encoding checks need the first 4 bytes, whatever the chunking.
      this.head = this.head ? Buffer.concat([this.head, chunk]) : chunk;
      if (this.head.length < 4) return;
      const head = this.head;
      this.head = null;
      this.feed(this.checkStart(head), false);
      return;
    }
    this.feed(chunk, false);
  }

  end(): void {
    if (this.head) {
      const head = this.head;
      this.head = null;
      this.feed(this.checkStart(head), false);
    }
    if (!this.started) throw new HarError("empty input: expected a HAR file (JSON)", 0);
    if (this.pending) this.feed(Buffer.alloc(0), true);
    const at = this.offset;
    if (this.phase === Phase.Start) {
      if (this.padded) throw new HarError(`truncated JSON: input ends at byte ${at} before the document`, at);
      throw new HarError("empty input: expected a HAR file (JSON)", at);
    }
    if (this.stack.length > 0) throw new HarError(`truncated JSON: input ends at byte ${at} inside ${this.where()}`, at);
    if (this.padded && !this.padClosed)
      throw new HarError(`truncated JSON: input ends at byte ${at} before the ')' that closes the HARP wrapper`, at);
    if (!this.sawLog) throw new HarError('HAR has no log (expected { "log": { "entries": [...] } })', at);
    if (!this.sawEntries) throw new HarError("log.entries is missing", at);
  }

  /** Reads every complete step of `chunk`, after the step left unfinished by the chunks before. */
  private feed(chunk: Buffer, final: boolean): void {
    if (!this.pending) {
      this.run(chunk, this.offset, final, Number.POSITIVE_INFINITY);
      return;
    }
    if (chunk.length > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
    }
    const head = this.pending;
    const total = head.length + this.waitingBytes;
    if (total > this.maxEntryBytes) {
      throw new HarError(`${this.where()} is larger than ${Math.round(this.maxEntryBytes / 1048576)} MiB`, this.offset);
    }
    if (!final && total < this.need) return;
    const pieces = this.waiting.length === 1 ? this.waiting[0]! : Buffer.concat(this.waiting, this.waitingBytes);
    const base = this.offset;
    this.pending = null;
    this.waiting = [];
    this.waitingBytes = 0;
    // The unfinished step is joined with only as many of the new bytes as it needs (doubling), not
    // with the whole chunk: copying every chunk once more cost more than reading it.
    let take = Math.max(head.length, 65536);
    for (;;) {
      const n = Math.min(take, pieces.length);
      const joined = Buffer.concat([head, pieces.subarray(0, n)], head.length + n);
      const stop = this.run(joined, base, final && n === pieces.length, head.length);
      if (stop >= 0) {
        const rest = pieces.subarray(stop - head.length);
        if (rest.length > 0 || final) this.feed(rest, final);
        return;
      }
      if (n === pieces.length) return; // still unfinished: `run` kept it pending
      this.pending = null;
      take *= 2;
    }
  }

  /**
   * Reads steps from `buf` (whose first byte is input byte `base`). Returns where it stopped: at the
   * end, or after the first step that ends at or past `stopAfter`; or -1 if a step is unfinished
   * (then kept pending for the next chunk).
   */
  private run(buf: Buffer, base: number, final: boolean, stopAfter: number): number {
    const j = this.json;
    j.reset(buf, base);
    for (;;) {
      const c = j.peekOrEnd();
      if (c < 0) break;
      const stepStart = j.p;
      try {
        this.step(j, c);
      } catch (error) {
        if (error !== INCOMPLETE) throw this.describe(error);
        if (final) {
          this.offset = base + buf.length;
          this.noteMemberKey(j, stepStart);
          return buf.length;
        }
        this.pending = buf.subarray(stepStart);
        this.need = Math.max(this.pending.length * 2, this.pending.length + 4096);
        this.offset = base + stepStart;
        return -1;
      }
      if (j.p >= stopAfter) {
        this.offset = base + j.p;
        return j.p;
      }
    }
    this.offset = base + buf.length;
    return buf.length;
  }

  /** For "input ends inside log.version": the key of an unfinished member, when it is complete. */
  private noteMemberKey(j: ByteJson, at: number): void {
    if (this.phase !== Phase.Member || this.stack[this.stack.length - 1] === Container.Entries) return;
    try {
      j.p = at;
      if (j.peek() === 0x22) this.memberKey = j.string();
    } catch {
      // the key itself is cut: the container is all we can name
    }
  }

  /** One step of the outer structure, starting at byte `c`. Throws INCOMPLETE to be retried whole. */
  private step(j: ByteJson, c: number): void {
    switch (this.phase) {
      case Phase.Start:
        return this.start(j, c);
      case Phase.Member:
        return this.member(j, c);
      case Phase.After: {
        const top = this.stack[this.stack.length - 1]!;
        const close = top === Container.Entries ? 0x5d : 0x7d;
        if (c === 0x2c) {
          j.p++;
          this.phase = Phase.Member;
          this.first = false;
        } else if (c === close) {
          j.p++;
          this.stack.pop();
          this.phase = this.stack.length === 0 ? Phase.Done : Phase.After;
        } else this.syntax(j, c);
        return;
      }
      case Phase.Done:
        if (this.padded && !this.padClosed && c === 0x29) {
          j.p++;
          this.padClosed = true;
          return;
        }
        if (this.padClosed && !this.padSemicolon && c === 0x3b) {
          j.p++;
          this.padSemicolon = true;
          return;
        }
        throw new HarError(`invalid JSON: unexpected data after the end of the document at byte ${j.base + j.p}`, j.base + j.p);
    }
  }

  private start(j: ByteJson, c: number): void {
    const at = j.base + j.p;
    if (c === 0x7b) {
      j.p++;
      this.stack.push(Container.Root);
      this.phase = Phase.Member;
      this.first = true;
      return;
    }
    // HARP: `onInputData(` before the document (any JavaScript name; checked, not guessed from a list).
    if (!this.padded && isNameByte(c) && !(c >= 0x30 && c <= 0x39) && c !== 0x2e) {
      let p = j.p;
      const b = j.b;
      while (p < b.length && isNameByte(b[p]!)) p++;
      if (p - j.p <= 256) {
        j.p = p;
        const next = j.peek();
        if (next === 0x28) {
          j.p++;
          this.padded = true;
          return;
        }
      }
    }
    throw new HarError(`not a HAR file: expected a JSON object but found ${describeByte(c)} at byte ${at}`, at);
  }

  private member(j: ByteJson, c: number): void {
    const top = this.stack[this.stack.length - 1]!;
    const at = j.base + j.p;
    if (top === Container.Entries) {
      if (this.first && c === 0x5d) return this.close(j);
      if (c === 0x7b) return this.entry(j);
      if (isValueStart(c)) throw new HarError(`entries[${this.entryIndex}] is not an object (at byte ${at})`, at);
      return this.syntax(j, c);
    }
    if (this.first && c === 0x7d) return this.close(j);
    if (c !== 0x22) return this.syntax(j, c);
    const key = j.key();
    const v = j.peek();
    const valueAt = j.base + j.p;
    if (top === Container.Root && key === "log") {
      if (v !== 0x7b) {
        if (!isValueStart(v)) this.syntax(j, v);
        throw new HarError(`log is not an object (at byte ${valueAt})`, valueAt);
      }
      j.p++;
      this.sawLog = true;
      this.open(Container.Log);
      return;
    }
    if (top === Container.Log && key === "entries") {
      if (v !== 0x5b) {
        if (!isValueStart(v)) this.syntax(j, v);
        throw new HarError(`log.entries is not an array (at byte ${valueAt})`, valueAt);
      }
      j.p++;
      this.sawEntries = true;
      this.open(Container.Entries);
      return;
    }
    this.memberKey = key;
    const depth = this.stack.length;
    if (top === Container.Log && key === "creator" && v === 0x7b) this.state.creator = parseHarCreator(j.value(depth));
    else if (top === Container.Log && key === "pages" && v === 0x5b) this.state.pages = parseHarPages(j.value(depth));
    else if (top === Container.Log && key === "_corsDoctor" && v === 0x7b) this.state.corsDoctorLog = j.value(depth);
    else j.skip(depth);
    this.memberKey = "";
    this.phase = Phase.After;
  }

  private open(container: Container): void {
    this.stack.push(container);
    this.phase = Phase.Member;
    this.first = true;
  }

  private close(j: ByteJson): void {
    j.p++;
    this.stack.pop();
    this.phase = this.stack.length === 0 ? Phase.Done : Phase.After;
  }

  private syntax(j: ByteJson, c: number): never {
    const at = j.base + j.p;
    throw new HarError(`invalid JSON: unexpected ${describeByte(c)} at byte ${at}`, at);
  }

  /** One entry: what CORS reads is built, the rest walked over; then validated like the batch reader. */
  private entry(j: ByteJson): void {
    const raw = readEntry(j, this.stack.length);
    const index = this.entryIndex++;
    this.phase = Phase.After;
    // Header lists that are already what parseHarEntry would build are handed over, not copied.
    const request = raw.request as Json | undefined;
    const response = raw.response as Json | undefined;
    const requestHeaders = takeCleanHeaders(request);
    const responseHeaders = takeCleanHeaders(response);
    const entry = parseHarEntry(raw, `entries[${index}]`);
    // Numbers that become array indices are range-checked here: `leg` 4294967294 would have the grouper
    // build (and every later step walk) an array of four billion holes. A record out of range is
    // ignored, as malformed records are (the grouping heuristics take over).
    const own = entry.corsDoctor;
    if (
      own &&
      !(Number.isInteger(own.leg) && own.leg >= 0 && own.leg < MAX_LEGS && Number.isSafeInteger(own.exchange) && own.exchange >= 0)
    )
      delete entry.corsDoctor;
    if (requestHeaders) entry.request.headers = withoutRepeats(requestHeaders);
    if (responseHeaders && entry.response) entry.response.headers = responseHeaders;
    this.ready.push({ index, entry });
  }

  /** Grammar errors become one-line HarErrors that never quote the input (it may hold secrets). */
  private describe(error: unknown): unknown {
    if (!(error instanceof JsonSyntaxError)) return error;
    if (error.message.startsWith("JSON nesting")) return new HarError(`${error.message} at byte ${error.offset}`, error.offset);
    const top = this.stack[this.stack.length - 1];
    if (top === Container.Entries) return new HarError(`invalid JSON in entries[${this.entryIndex}] at byte ${error.offset}`, error.offset);
    if (this.memberKey === "creator" || this.memberKey === "pages" || this.memberKey === "_corsDoctor")
      return new HarError(`invalid JSON in log.${this.memberKey} at byte ${error.offset}`, error.offset);
    return new HarError(`invalid JSON: ${error.message} at byte ${error.offset}`, error.offset);
  }

  /** BOM, UTF-16, compressed or binary input: one clear error before any JSON error. */
  private checkStart(buf: Buffer): Buffer {
    if (buf.length === 0) return buf;
    if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
      throw new HarError("the file is UTF-16; HAR files must be UTF-8 (re-save it as UTF-8)", 0);
    }
    if (buf.length >= 2 && (buf[0] === 0 || buf[1] === 0) && buf[0] !== buf[1]) {
      throw new HarError("the file looks like UTF-16 (NUL bytes between characters); HAR files must be UTF-8", 0);
    }
    if (buf[0] === 0x1f && buf[1] === 0x8b) throw new HarError("the file is gzip-compressed; decompress it first (gunzip)", 0);
    if (buf[0] === 0x50 && buf[1] === 0x4b) throw new HarError("the file is a ZIP archive, not a HAR file", 0);
    this.started = true;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      // HAR 1.2: readers must tolerate a UTF-8 BOM.
      this.offset = 3;
      return buf.subarray(3);
    }
    return buf;
  }

  /** Where the scanner is, for error messages. */
  private where(): string {
    const top = this.stack[this.stack.length - 1];
    if (top === Container.Entries) return `entries[${this.entryIndex}]`;
    if (top === Container.Log) return this.memberKey ? `log.${this.memberKey}` : "log";
    return "the document";
  }
}

// What parseHarEntry reads, and nothing else. Each reader below builds exactly the members that
// parseHarEntry looks at (so its checks and messages apply unchanged) and walks over the others.

const ENTRY_KEPT = new Set(["startedDateTime", "time", "pageref", "_resourceType", "_corsDoctor"]);
const REQUEST_KEPT = new Set(["method", "url"]);
const RESPONSE_KEPT = new Set(["status", "statusText", "redirectURL", "_error"]);
const INITIATOR_KEPT = new Set(["type", "url", "requestId"]);

type Json = Record<string, unknown>;

/** Header lists whose every line is `{ name: string, value: string }`, built by `readHeaders`. */
const cleanHeaders = new WeakSet<unknown[]>();

function takeCleanHeaders(owner: Json | undefined): Header[] | undefined {
  if (typeof owner !== "object" || owner === null || Array.isArray(owner)) return undefined;
  const headers = owner.headers as unknown[] | undefined;
  if (headers === undefined || !cleanHeaders.has(headers)) return undefined;
  owner.headers = undefined;
  return headers as Header[];
}

/** At `{` or `[`: enters it (nesting checked); false if it closes at once. */
function enter(j: ByteJson, depth: number, close: number): boolean {
  if (depth + 1 > j.maxDepth) j.fail(`JSON nesting is deeper than ${j.maxDepth} levels`);
  j.p++;
  if (j.peek() !== close) return true;
  j.p++;
  return false;
}

/** At a member of an object: its key, and past the `:`. */
function memberKey(j: ByteJson): string {
  if (j.peek() !== 0x22) j.unexpected();
  return j.key();
}

// Members are read in loops, not callbacks: this runs for every header of every entry.

function readEntry(j: ByteJson, depth: number): Json {
  const entry: Json = {};
  const inner = depth + 1;
  if (enter(j, depth, 0x7d)) {
    do {
      const key = memberKey(j);
      if (key === "request") entry.request = j.peek() === 0x7b ? readRequest(j, inner) : j.value(inner);
      else if (key === "response") entry.response = j.peek() === 0x7b ? readResponse(j, inner) : j.value(inner);
      else if (key === "_initiator") entry._initiator = j.peek() === 0x7b ? readInitiator(j, inner) : j.value(inner);
      else if (ENTRY_KEPT.has(key)) entry[key] = j.value(inner);
      else j.skip(inner);
    } while (j.more(0x7d));
  }
  return entry;
}

function readRequest(j: ByteJson, depth: number): Json {
  const request: Json = {};
  const inner = depth + 1;
  if (enter(j, depth, 0x7d)) {
    do {
      const key = memberKey(j);
      if (key === "headers") request.headers = j.peek() === 0x5b ? readHeaders(j, inner) : j.value(inner);
      else if (REQUEST_KEPT.has(key)) request[key] = j.value(inner);
      else j.skip(inner);
    } while (j.more(0x7d));
  }
  return request;
}

function readResponse(j: ByteJson, depth: number): Json {
  const response: Json = {};
  const inner = depth + 1;
  if (enter(j, depth, 0x7d)) {
    do {
      const key = memberKey(j);
      if (key === "headers") response.headers = j.peek() === 0x5b ? readHeaders(j, inner) : j.value(inner);
      else if (RESPONSE_KEPT.has(key)) response[key] = j.value(inner);
      else j.skip(inner);
    } while (j.more(0x7d));
  }
  return response;
}

function readHeaders(j: ByteJson, depth: number): unknown[] {
  const headers: unknown[] = [];
  const inner = depth + 1;
  let clean = true;
  if (!enter(j, depth, 0x5d)) {
    cleanHeaders.add(headers);
    return headers;
  }
  do {
    if (j.peek() !== 0x7b) {
      headers.push(j.value(inner));
      clean = false;
      continue;
    }
    let name: unknown;
    let value: unknown;
    let hasName = false;
    let hasValue = false;
    if (enter(j, inner, 0x7d)) {
      do {
        const key = memberKey(j);
        if (key === "name") {
          name = j.value(inner + 1);
          hasName = true;
        } else if (key === "value") {
          value = j.value(inner + 1);
          hasValue = true;
        } else j.skip(inner + 1);
      } while (j.more(0x7d));
    }
    if (hasName && hasValue) {
      headers.push({ name, value });
      if (typeof name !== "string" || typeof value !== "string") clean = false;
    } else {
      clean = false;
      const header: Json = {};
      if (hasName) header.name = name;
      if (hasValue) header.value = value;
      headers.push(header);
    }
  } while (j.more(0x5d));
  if (clean) cleanHeaders.add(headers);
  return headers;
}

/** Chrome's initiator: type, url, requestId and the URLs of the call frames (not the async parents). */
function readInitiator(j: ByteJson, depth: number): Json {
  const initiator: Json = {};
  const inner = depth + 1;
  if (enter(j, depth, 0x7d)) {
    do {
      const key = memberKey(j);
      if (INITIATOR_KEPT.has(key)) initiator[key] = j.value(inner);
      else if (key === "stack") initiator.stack = j.peek() === 0x7b ? readStack(j, inner) : j.value(inner);
      else j.skip(inner);
    } while (j.more(0x7d));
  }
  return initiator;
}

function readStack(j: ByteJson, depth: number): Json {
  const stack: Json = {};
  const inner = depth + 1;
  if (enter(j, depth, 0x7d)) {
    do {
      const key = memberKey(j);
      if (key === "callFrames") stack.callFrames = j.peek() === 0x5b ? readFrames(j, inner) : j.value(inner);
      else j.skip(inner);
    } while (j.more(0x7d));
  }
  return stack;
}

function readFrames(j: ByteJson, depth: number): unknown[] {
  const frames: unknown[] = [];
  const inner = depth + 1;
  if (!enter(j, depth, 0x5d)) return frames;
  do {
    if (j.peek() !== 0x7b) {
      frames.push(j.value(inner));
      continue;
    }
    const frame: Json = {};
    if (enter(j, inner, 0x7d)) {
      do {
        const key = memberKey(j);
        if (key === "url") frame.url = j.value(inner + 1);
        else j.skip(inner + 1);
      } while (j.more(0x7d));
    }
    frames.push(frame);
  } while (j.more(0x5d));
  return frames;
}

function describeReadError(source: string, error: unknown): HarError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new HarError(`cannot read ${source}: no such file`);
  if (code === "EISDIR") return new HarError(`cannot read ${source}: it is a directory`);
  if (code === "EACCES") return new HarError(`cannot read ${source}: permission denied`);
  return new HarError(`cannot read ${source}: ${(error as Error).message.split("\n")[0]}`);
}

/** Reads a HAR file (path) or stream entry by entry, in bounded memory. Errors are `HarError`s. */
export function readHarFile(source: string | NodeJS.ReadableStream, options: HarStreamOptions = {}): HarStream {
  const state: StreamState = { creator: undefined, pages: [] };
  let scanner: HarScanner | undefined;
  async function* batches(): AsyncGenerator<HarStreamEntry[]> {
    const ownStream = typeof source === "string";
    const stream = ownStream ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
    const reader = new HarScanner(state, options);
    scanner = reader;
    try {
      for await (const chunk of stream) {
        reader.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer));
        const ready = reader.take();
        if (ready.length > 0) yield ready;
      }
      reader.end();
      const last = reader.take();
      if (last.length > 0) yield last;
    } catch (error) {
      if (error instanceof HarError) throw error;
      throw describeReadError(ownStream ? source : "input", error);
    } finally {
      if (ownStream) (stream as ReturnType<typeof createReadStream>).destroy();
    }
  }
  async function* entries(): AsyncGenerator<HarStreamEntry> {
    for await (const batch of batches()) yield* batch;
  }
  return {
    get creator() {
      return state.creator;
    },
    get pages() {
      return state.pages;
    },
    get corsDoctorLog() {
      return state.corsDoctorLog;
    },
    get bytesRead() {
      return scanner?.bytesRead ?? 0;
    },
    batches,
    [Symbol.asyncIterator]: () => entries()[Symbol.asyncIterator](),
  };
}

export interface HarStreamGroup extends HarExchangeGroup {
  /** The entries of this group, by index (for rows: URL, method, status). */
  entries: Map<number, HarEntryLike>;
}

/**
 * Entries → exchange groups, incrementally, with the same `HarGrouper` as the batch reader (look-ahead
 * window of `window` entries for preflights and redirect hops). Synchronous: fed a chunk's entries at once.
 */
export class StreamGrouper {
  private grouper: HarGrouper | undefined;
  private readonly pending = new Map<number, HarEntryLike>();

  constructor(
    private readonly stream: Pick<HarStream, "creator" | "pages">,
    private readonly options: { window?: number } = {},
  ) {}

  push(entries: HarStreamEntry[]): HarStreamGroup[] {
    const out: HarStreamGroup[] = [];
    for (const { index, entry } of entries) {
      // The creator precedes the entries in every exporter we know; it decides what `_corsDoctor` may do.
      this.grouper ??= new HarGrouper({ creator: this.stream.creator, pages: this.stream.pages, window: this.options.window });
      this.pending.set(index, entry);
      for (const group of this.grouper.push(index, entry)) out.push(this.withEntries(group));
    }
    return out;
  }

  finish(): HarStreamGroup[] {
    return this.grouper ? this.grouper.finish().map((group) => this.withEntries(group)) : [];
  }

  private withEntries(group: HarExchangeGroup): HarStreamGroup {
    const entries = new Map<number, HarEntryLike>();
    for (const index of group.entryIndices) this.take(index, entries);
    for (const index of group.preflightIndices) this.take(index, entries);
    for (const [, index] of group.twinIndices ?? []) this.take(index, entries);
    return { ...group, entries };
  }

  private take(index: number, into: Map<number, HarEntryLike>): void {
    into.set(index, this.pending.get(index)!);
    this.pending.delete(index);
  }
}

/** Entry stream → exchange groups (see `StreamGrouper`). */
export async function* groupHarStream(stream: HarStream, options: { window?: number } = {}): AsyncGenerator<HarStreamGroup> {
  const grouper = new StreamGrouper(stream, options);
  for await (const batch of stream.batches()) yield* grouper.push(batch);
  yield* grouper.finish();
}
