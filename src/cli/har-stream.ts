// Streaming HAR reader for files too big for one string (V8 strings stop near 512 MB; HAR files reach
// gigabytes). A small incremental scanner walks the bytes, finds `log.entries`, and hands each entry's
// bytes to JSON.parse; memory stays at one entry plus one read chunk. Strings are skipped with
// Buffer.indexOf (memchr speed) because HAR text is mostly header values and bodies.
import { createReadStream } from "node:fs";
import { diagnoseLog, type DiagnoseOptions } from "../core/diagnose";
import { entryResults, type HarEntryResult } from "../core/har/analyze";
import { HarGrouper } from "../core/har/group";
import { HarError, parseHarCreator, parseHarEntry, parseHarPages } from "../core/har/read";
import type { HarEntryLike, HarExchangeGroup, HarPage } from "../core/har/types";

export interface HarStreamEntry {
  index: number;
  entry: HarEntryLike;
}

export interface HarStream extends AsyncIterable<HarStreamEntry> {
  /** `log.creator.name` once the scanner has passed it (Chrome and Firefox write it before the entries). */
  readonly creator: string | undefined;
  readonly pages: HarPage[];
}

export interface HarStreamOptions {
  /** Deeper nesting is rejected (default 256; real HAR entries nest about 6 deep). */
  maxDepth?: number;
  /** One entry larger than this is rejected (default 256 MiB, under V8's string limit). */
  maxEntryBytes?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OBJECT = 1;
const ARRAY = 2;

type CaptureKind = "entry" | "creator" | "pages";

interface Capture {
  kind: CaptureKind;
  /** Depth at which the value started (the value is complete when the depth comes back to it). */
  depth: number;
  pieces: Buffer[];
  /** Start of the unfinished piece in the current chunk. */
  start: number;
  startOffset: number;
  bytes: number;
}

interface StreamState {
  creator: string | undefined;
  pages: HarPage[];
}

function isLiteralByte(c: number): boolean {
  // digits, letters (true/false/null, exponent), sign and decimal point
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x2b || c === 0x2e;
}

function hex(c: number): string {
  return "0x" + c.toString(16).padStart(2, "0");
}

/** The incremental scanner: feed chunks with `write`, collect finished entries with `take`. */
export class HarScanner {
  private offset = 0;
  private head: Buffer | null = null;
  private started = false;
  private rootDone = false;
  private depth = 0;
  private readonly stack: Uint8Array;
  private expectKey = false;
  private inString = false;
  private escapeCarry = false;
  /** Bytes of the key being read at depth 1 or 2 (other keys are skipped). */
  private keyPieces: Buffer[] | null = null;
  private keyStart = 0;
  private key1 = "";
  private key2 = "";
  private sawLog = false;
  private sawEntries = false;
  private capture: Capture | null = null;
  private entryIndex = 0;
  private ready: HarStreamEntry[] = [];
  private readonly maxEntryBytes: number;

  constructor(
    private readonly state: StreamState = { creator: undefined, pages: [] },
    options: HarStreamOptions = {},
  ) {
    this.stack = new Uint8Array((options.maxDepth ?? 256) + 1);
    this.maxEntryBytes = options.maxEntryBytes ?? 256 * 1024 * 1024;
  }

  take(): HarStreamEntry[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  write(chunk: Buffer): void {
    let buf = chunk;
    if (!this.started) {
      // The encoding checks need the first 4 bytes, whatever the chunking.
      this.head = this.head ? Buffer.concat([this.head, buf]) : buf;
      if (this.head.length < 4) return;
      buf = this.checkStart(this.head);
      this.head = null;
    }
    this.scan(buf);
  }

  private scan(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    if (this.inString) i = this.scanString(buf, 0);
    while (i < n) {
      if (this.capture !== null && this.depth > this.capture.depth) {
        i = this.scanCaptured(buf, i);
        continue;
      }
      const c = buf[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
      } else if (c === QUOTE) {
        const isKey = this.expectKey;
        if (isKey) {
          if (this.depth <= 2) {
            this.keyPieces = [];
            this.keyStart = i + 1;
          }
        } else {
          this.valueStart(c, buf, i);
        }
        this.inString = true;
        i = this.scanString(buf, i + 1);
      } else if (c === 0x7b || c === 0x5b) {
        this.valueStart(c, buf, i);
        if (this.depth >= this.stack.length - 1) {
          throw new HarError(`JSON nesting is deeper than ${this.stack.length - 1} levels at byte ${this.offset + i}`, this.offset + i);
        }
        this.stack[++this.depth] = c === 0x7b ? OBJECT : ARRAY;
        this.expectKey = c === 0x7b;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        const want = c === 0x7d ? OBJECT : ARRAY;
        if (this.depth === 0 || this.stack[this.depth] !== want) {
          throw new HarError(`invalid JSON: unexpected '${String.fromCharCode(c)}' at byte ${this.offset + i}`, this.offset + i);
        }
        this.depth--;
        this.expectKey = false;
        if (this.depth === 0) this.rootDone = true;
        if (this.capture && this.depth === this.capture.depth) this.finishCapture(buf, i + 1);
        i++;
      } else if ((c === 0x3a || c === 0x2c) && this.depth === 0) {
        throw new HarError(`invalid JSON: unexpected '${String.fromCharCode(c)}' at byte ${this.offset + i}`, this.offset + i);
      } else if (c === 0x3a) {
        this.expectKey = false;
        i++;
      } else if (c === 0x2c) {
        this.expectKey = this.stack[this.depth] === OBJECT;
        i++;
      } else if (isLiteralByte(c)) {
        this.valueStart(c, buf, i);
        i++;
        while (i < n && isLiteralByte(buf[i]!)) i++;
      } else {
        if (this.depth === 0) this.valueStart(c, buf, i);
        throw new HarError(`invalid JSON: unexpected byte ${hex(c)} at byte ${this.offset + i}`, this.offset + i);
      }
    }
    // Carry unfinished pieces over to the next chunk.
    if (this.capture) {
      this.capture.pieces.push(buf.subarray(this.capture.start));
      this.capture.bytes += n - this.capture.start;
      this.capture.start = 0;
      if (this.capture.bytes > this.maxEntryBytes) {
        throw new HarError(`${this.where()} is larger than ${Math.round(this.maxEntryBytes / 1048576)} MiB`, this.capture.startOffset);
      }
    }
    if (this.keyPieces && this.inString) {
      this.keyPieces.push(buf.subarray(this.keyStart));
      this.keyStart = 0;
    }
    this.offset += n;
  }

  end(): void {
    if (this.head) {
      const head = this.head;
      this.head = null;
      this.scan(this.checkStart(head));
    }
    if (!this.started) throw new HarError("empty input: expected a HAR file (JSON)", 0);
    if (this.inString || this.depth > 0) {
      throw new HarError(`truncated JSON: input ends at byte ${this.offset} inside ${this.where()}`, this.offset);
    }
    if (!this.sawLog) throw new HarError('HAR has no log (expected { "log": { "entries": [...] } })', this.offset);
    if (!this.sawEntries) throw new HarError("log.entries is missing", this.offset);
  }

  /**
   * Inside a value being captured (an entry): only strings and brackets matter here, because JSON.parse
   * validates the captured bytes anyway. Returns where the general loop continues.
   */
  private scanCaptured(buf: Buffer, i: number): number {
    const n = buf.length;
    const stack = this.stack;
    const limit = stack.length - 1;
    const base = this.capture!.depth;
    while (i < n) {
      const c = buf[i]!;
      if (c === QUOTE) {
        this.inString = true;
        i = this.scanString(buf, i + 1);
      } else if (c === 0x7b || c === 0x5b) {
        if (this.depth >= limit) throw new HarError(`JSON nesting is deeper than ${limit} levels at byte ${this.offset + i}`, this.offset + i);
        stack[++this.depth] = c === 0x7b ? OBJECT : ARRAY;
        i++;
      } else if (c === 0x7d || c === 0x5d) {
        if (stack[this.depth] !== (c === 0x7d ? OBJECT : ARRAY)) {
          throw new HarError(`invalid JSON: unexpected '${String.fromCharCode(c)}' at byte ${this.offset + i}`, this.offset + i);
        }
        this.depth--;
        i++;
        if (this.depth === base) {
          this.expectKey = false;
          this.finishCapture(buf, i);
          return i;
        }
      } else {
        i++;
      }
    }
    return i;
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

  /** Inside a string at `i`: returns the index after the closing quote, or the chunk length if it continues. */
  private scanString(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.escapeCarry) {
      this.escapeCarry = false;
      i++;
    }
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      if (q < 0) {
        let run = 0;
        for (let k = n - 1; k >= i && buf[k] === BACKSLASH; k--) run++;
        this.escapeCarry = (run & 1) === 1;
        return n;
      }
      let run = 0;
      for (let k = q - 1; k >= i && buf[k] === BACKSLASH; k--) run++;
      if ((run & 1) === 1) {
        i = q + 1;
        continue;
      }
      this.inString = false;
      if (this.keyPieces) this.finishKey(buf, q);
      return q + 1;
    }
  }

  private finishKey(buf: Buffer, end: number): void {
    const pieces = this.keyPieces!;
    pieces.push(buf.subarray(this.keyStart, end));
    this.keyPieces = null;
    const raw = pieces.length === 1 ? pieces[0]!.toString("utf8") : Buffer.concat(pieces).toString("utf8");
    let key = raw;
    if (raw.includes("\\")) {
      try {
        key = JSON.parse(`"${raw}"`) as string;
      } catch {
        throw new HarError(`invalid JSON: bad escape in a key at byte ${this.offset + end}`, this.offset + end);
      }
    }
    if (this.depth === 1) {
      this.key1 = key;
      this.key2 = "";
    } else if (this.depth === 2) this.key2 = key;
  }

  private inLog(): boolean {
    return this.key1 === "log";
  }

  /** A value begins at `i` with byte `c`: checks the HAR shape where it matters and starts captures. */
  private valueStart(c: number, buf: Buffer, i: number): void {
    const at = this.offset + i;
    if (this.rootDone) throw new HarError(`invalid JSON: unexpected data after the end of the document at byte ${at}`, at);
    if (this.depth === 0) {
      if (c !== 0x7b) {
        const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte ${hex(c)}`;
        throw new HarError(`not a HAR file: expected a JSON object but found ${shown} at byte ${at}`, at);
      }
      return;
    }
    if (this.capture) return;
    if (this.depth === 1 && this.inLog()) {
      if (c !== 0x7b) throw new HarError(`log is not an object (at byte ${at})`, at);
      this.sawLog = true;
    } else if (this.depth === 2 && this.inLog() && this.stack[2] === OBJECT) {
      if (this.key2 === "entries") {
        if (c !== 0x5b) throw new HarError(`log.entries is not an array (at byte ${at})`, at);
        this.sawEntries = true;
      } else if ((this.key2 === "creator" && c === 0x7b) || (this.key2 === "pages" && c === 0x5b)) {
        this.startCapture(this.key2, i);
      }
    } else if (this.depth === 3 && this.inLog() && this.key2 === "entries" && this.stack[3] === ARRAY) {
      if (c !== 0x7b) throw new HarError(`entries[${this.entryIndex}] is not an object (at byte ${at})`, at);
      this.startCapture("entry", i);
    }
  }

  private startCapture(kind: CaptureKind, i: number): void {
    this.capture = { kind, depth: this.depth, pieces: [], start: i, startOffset: this.offset + i, bytes: 0 };
  }

  private finishCapture(buf: Buffer, end: number): void {
    const capture = this.capture!;
    this.capture = null;
    const last = buf.subarray(capture.start, end);
    const bytes = capture.pieces.length === 0 ? last : Buffer.concat([...capture.pieces, last]);
    if (bytes.length > this.maxEntryBytes) {
      throw new HarError(`${capture.kind === "entry" ? `entries[${this.entryIndex}]` : `log.${capture.kind}`} is larger than ${Math.round(this.maxEntryBytes / 1048576)} MiB`, capture.startOffset);
    }
    const text = bytes.toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const position = /position (\d+)/.exec(String((error as Error).message))?.[1];
      const at = capture.startOffset + (position === undefined ? 0 : Buffer.byteLength(text.slice(0, Number(position))));
      const where = capture.kind === "entry" ? `entries[${this.entryIndex}]` : `log.${capture.kind}`;
      // V8's message may quote the input (secrets): report the offset only.
      throw new HarError(`invalid JSON in ${where} at byte ${at}`, at);
    }
    if (capture.kind === "entry") {
      const index = this.entryIndex++;
      this.ready.push({ index, entry: parseHarEntry(value, `entries[${index}]`) });
    } else if (capture.kind === "creator") {
      this.state.creator = parseHarCreator(value);
    } else {
      this.state.pages = parseHarPages(value);
    }
  }

  /** Where the scanner is, for error messages. */
  private where(): string {
    if (this.depth >= 3 && this.inLog() && this.key2 === "entries") return `entries[${this.entryIndex}]`;
    if (this.depth >= 2 && this.inLog()) return this.key2 ? `log.${this.key2}` : "log";
    return "the document";
  }
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
  async function* entries(): AsyncGenerator<HarStreamEntry> {
    const ownStream = typeof source === "string";
    const stream = ownStream ? createReadStream(source, { highWaterMark: 1 << 20 }) : source;
    const scanner = new HarScanner(state, options);
    try {
      for await (const chunk of stream) {
        scanner.write(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Buffer));
        const ready = scanner.take();
        for (const entry of ready) yield entry;
      }
      scanner.end();
    } catch (error) {
      if (error instanceof HarError) throw error;
      throw describeReadError(ownStream ? source : "input", error);
    } finally {
      if (ownStream) (stream as ReturnType<typeof createReadStream>).destroy();
    }
  }
  return {
    get creator() {
      return state.creator;
    },
    get pages() {
      return state.pages;
    },
    [Symbol.asyncIterator]: () => entries()[Symbol.asyncIterator](),
  };
}

export interface HarStreamGroup extends HarExchangeGroup {
  /** The entries of this group, by index (for rows: URL, method, status). */
  entries: Map<number, HarEntryLike>;
}

/**
 * Entry stream → exchange groups, incrementally, with the same `HarGrouper` as the batch reader
 * (look-ahead window of `window` entries for preflights and redirect hops).
 */
export async function* groupHarStream(stream: HarStream, options: { window?: number } = {}): AsyncGenerator<HarStreamGroup> {
  let grouper: HarGrouper | undefined;
  const pending = new Map<number, HarEntryLike>();
  const withEntries = (group: HarExchangeGroup): HarStreamGroup => {
    const entries = new Map<number, HarEntryLike>();
    for (const index of [...group.entryIndices, ...group.preflightIndices]) {
      entries.set(index, pending.get(index)!);
      pending.delete(index);
    }
    return { ...group, entries };
  };
  for await (const { index, entry } of stream) {
    // The creator precedes the entries in every exporter we know; it decides what `_corsDoctor` may do.
    grouper ??= new HarGrouper({ creator: stream.creator, pages: stream.pages, window: options.window });
    pending.set(index, entry);
    for (const group of grouper.push(index, entry)) yield withEntries(group);
  }
  if (grouper) for (const group of grouper.finish()) yield withEntries(group);
}

/**
 * Streams per-entry diagnoses in entry order. The engine runs per batch of `batchSize` exchanges, so
 * cross-request lints see one batch at a time (the price of bounded memory).
 */
export async function* analyzeHarStream(
  stream: HarStream,
  options: DiagnoseOptions & { window?: number; batchSize?: number } = {},
): AsyncGenerator<HarEntryResult> {
  const batchSize = options.batchSize ?? 2000;
  let batch: HarStreamGroup[] = [];
  let held: HarEntryResult[] = [];
  const flush = function* (final: boolean): Generator<HarEntryResult> {
    if (batch.length > 0) {
      const diagnoses = diagnoseLog(batch.map((g) => g.exchange), options);
      const lookup = new Map<number, HarEntryLike>();
      for (const group of batch) for (const [i, e] of group.entries) lookup.set(i, e);
      held.push(...entryResults((i) => lookup.get(i)!, batch, diagnoses));
      held.sort((a, b) => a.index - b.index);
    }
    // Groups come out in order of their first entry: rows before the last group's first entry are final.
    const boundary = final ? Number.POSITIVE_INFINITY : Math.min(...batch.map((g) => Math.min(...g.entryIndices, ...g.preflightIndices)).slice(-1));
    batch = [];
    let count = 0;
    while (count < held.length && held[count]!.index < boundary) count++;
    const out = held.slice(0, count);
    held = held.slice(count);
    yield* out;
  };
  for await (const group of groupHarStream(stream, options)) {
    batch.push(group);
    if (batch.length >= batchSize) yield* flush(false);
  }
  yield* flush(true);
}
