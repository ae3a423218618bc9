// HAR entries (in file order) → exchanges: pairs each preflight with its actual request and chains
// redirect hops. Works incrementally with a bounded look-ahead window, so the batch reader and the
// streaming CLI reader run this one implementation and agree entry for entry.
//
// Why heuristics: Chrome's HAR gives the preflight `_initiator.requestId` = a DevTools id that no field of
// the actual entry carries, Firefox marks nothing at all, and both write the preflight either just before
// or just after the actual entry. So pairing is by URL, the preflight's Access-Control-Request-Method,
// the Origin, and proximity in order and time.
import type { BrowserName, Exchange, Header, HttpRequest, HttpResponse, Leg, PreflightExchange } from "../model";
import { NO_RESPONSE_UNRECORDED } from "../checks/not-cors";
import { firstValue } from "../headers";
import { HarError } from "./errors";
import { MAX_LEGS } from "./limits";
import {
  missingHeadersMessage,
  producerAssumption,
  producerOf,
  SANITIZED_ASSUMPTION,
  SANITIZED_HEADERS,
  type HarProducer,
} from "./producer";
import { copyEvidence, type HarEntryLike, type HarExchangeGroup, type HarPage } from "./types";

export interface GroupOptions {
  /** `log.creator.name`: decides how far the browser's outcome can be trusted, and whether `_corsDoctor` is. */
  creator?: string;
  pages?: HarPage[];
  /** How many entries later a partner may still appear (default 64). */
  window?: number;
}

export const DEFAULT_GROUP_WINDOW = 64;

/** Said of a request the file holds twice (`twinOf`). */
export const TWIN_ASSUMPTION =
  "the file holds this request twice, once with the headers sent on the network and the response, once with how it ended (as a DevTools Protocol recording of a service worker's requests does): read as one request";

export const CORS_DOCTOR_CREATOR = "CORS Doctor";

/** A preflight's actual request is sent right after the preflight completes. */
const FOLLOW_MS = 5_000;
/** Clock granularity of exporters (Firefox writes whole milliseconds). */
const SLACK_MS = 50;

interface IndexedEntry {
  index: number;
  entry: HarEntryLike;
}

interface Slot {
  request?: IndexedEntry;
  preflight?: IndexedEntry;
  /** A second record of the same request (see `twinOf`): the slot's `request` is the one with the network headers. */
  twin?: IndexedEntry;
}

interface Chain {
  legs: Slot[];
  firstIndex: number;
  lastIndex: number;
  /** The `twinKey` it is registered under in `twinCandidates`, while its request may still get a twin. */
  twinKey?: string;
}

export function isPreflightEntry(entry: HarEntryLike): boolean {
  if (entry.resourceType === "preflight") return true;
  return (
    entry.request.method.toUpperCase() === "OPTIONS" && firstValue(entry.request.headers, "access-control-request-method") !== undefined
  );
}

/** URL compared without fragment (browsers never send it; exporters differ in keeping it). */
function urlKey(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    return parsed.href;
  } catch {
    return url;
  }
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.origin;
  } catch {
    return null;
  }
}

/** Where a 3xx sends the browser next: `response.redirectURL`, else `Location` resolved against the URL. */
function redirectTarget(entry: HarEntryLike): string | undefined {
  const response = entry.response;
  if (!response || response.status < 300 || response.status > 399 || response.status === 304) return undefined;
  const location = response.redirectURL || firstValue(response.headers, "location");
  if (!location) return undefined;
  try {
    return urlKey(new URL(location, entry.request.url).href);
  } catch {
    return location;
  }
}

/** Fetch "HTTP-redirect fetch" step 12: 303 (non-HEAD) and 301/302 POST become GET. */
function methodAfterRedirect(method: string, status: number): string {
  const upper = method.toUpperCase();
  if ((status === 303 && upper !== "HEAD") || ((status === 301 || status === 302) && upper === "POST")) return "GET";
  return upper;
}

function endOf(entry: HarEntryLike): number | undefined {
  return entry.startedAt === undefined ? undefined : entry.startedAt + Math.max(entry.time ?? 0, 0);
}

/** False when timestamps rule the pair out: the actual finished before the preflight began, or came long after it. */
function timesFit(preflight: HarEntryLike, actual: HarEntryLike): boolean {
  if (preflight.startedAt === undefined || actual.startedAt === undefined) return true;
  const actualEnd = endOf(actual)!;
  const answered = actual.response !== undefined && actual.response.status > 0 && (actual.time ?? 0) > 0;
  if (answered && actualEnd + SLACK_MS < preflight.startedAt) return false;
  return actual.startedAt - endOf(preflight)! <= FOLLOW_MS;
}

/** What pairing compares, read once per entry: the grouper compares each entry with up to a window of others. */
interface EntryKeys {
  url: string;
  target: string | undefined;
  /** Access-Control-Request-Method, trimmed and upper-cased. */
  requestedMethod: string | undefined;
  /** The Origin header when it names a real origin (not "null"). */
  origin: string | undefined;
}
const entryKeys = new WeakMap<HarEntryLike, EntryKeys>();
function keysOf(entry: HarEntryLike): EntryKeys {
  let keys = entryKeys.get(entry);
  if (!keys) {
    const origin = firstValue(entry.request.headers, "origin")?.trim();
    keys = {
      url: urlKey(entry.request.url),
      target: redirectTarget(entry),
      requestedMethod: firstValue(entry.request.headers, "access-control-request-method")?.trim().toUpperCase(),
      origin: origin === "null" ? undefined : origin,
    };
    entryKeys.set(entry, keys);
  }
  return keys;
}

function preflightFits(preflight: HarEntryLike, actual: HarEntryLike): boolean {
  const p = keysOf(preflight);
  const a = keysOf(actual);
  if (p.url !== a.url) return false;
  if (p.requestedMethod !== undefined && p.requestedMethod !== actual.request.method.toUpperCase()) return false;
  // After a cross-origin redirect the actual says `Origin: null`; Firefox's preflight for that hop still
  // carries the page's origin (Chrome's says null too). Only two real, different origins rule a pair out.
  if (p.origin !== undefined && a.origin !== undefined && p.origin !== a.origin) return false;
  return timesFit(preflight, actual);
}

const hasFetchMetadata = (entry: HarEntryLike) => entry.request.headers.some((h) => /^sec-fetch-/i.test(h.name));
const callerOf = (entry: HarEntryLike) => entry.initiator?.stack?.callFrames?.[0]?.url ?? entry.initiator?.url;

/** The network's record of a request (see `twinOf`): Origin and Sec-Fetch-* headers, a response, no end of its own. */
function isNetworkRecord(entry: HarEntryLike): boolean {
  return keysOf(entry).origin !== undefined && hasFetchMetadata(entry) && !entry.response?.error && (entry.response?.status ?? 0) > 0;
}

/** The worker's record of a request (see `twinOf`): none of the headers the network adds. */
function isBareRecord(entry: HarEntryLike): boolean {
  return firstValue(entry.request.headers, "origin") === undefined && !hasFetchMetadata(entry);
}

/** What a request and its twin share (see `twinOf`), or undefined for an entry that cannot have one. */
function twinKey(entry: HarEntryLike): string | undefined {
  const caller = callerOf(entry);
  if (caller === undefined || entry.startedAt === undefined || !(isNetworkRecord(entry) || isBareRecord(entry))) return undefined;
  return `${entry.request.method.toUpperCase()} ${keysOf(entry).url} ${caller}`;
}

/**
 * A Chrome file can hold one request twice: a DevTools Protocol recording that follows a service worker (the matrix2
 * recorder, Chromium 156; a page's own DevTools export does not hold its worker's requests at all) has a record with
 * the network's headers (Origin, Sec-Fetch-*) and the response but no end, and a record from the worker's own view,
 * with only the headers it set (no Origin, no Sec-Fetch-*) and how the request ended (`_error`, or the response).
 * Read apart, the first looks like a response the page read despite failing CORS (a "rewritten" header) and the second
 * like a failure with no evidence. They are one request when the method, the URL and the script that made them
 * (`twinKey`) and the start (within the exporters' clock slack) are the same, and exactly one of them carries the
 * network headers. Returns the pair as [network record, the other], or undefined.
 */
function twinOf(a: IndexedEntry, b: IndexedEntry): [IndexedEntry, IndexedEntry] | undefined {
  const x = a.entry;
  const y = b.entry;
  if (x.startedAt === undefined || y.startedAt === undefined || Math.abs(x.startedAt - y.startedAt) > SLACK_MS) return undefined;
  if (isNetworkRecord(x) && isBareRecord(y)) return [a, b];
  if (isNetworkRecord(y) && isBareRecord(x)) return [b, a];
  return undefined;
}

function observer(producer: HarProducer): BrowserName | "unknown" {
  if (producer.id === "chromium-devtools") return "chrome";
  if (producer.id === "firefox-devtools") return "firefox";
  return "unknown";
}

function hasCredentialHeader(entry: HarEntryLike): boolean {
  const has = (headers: Header[] | undefined, names: readonly string[]) =>
    headers?.some((h) => names.includes(h.name.toLowerCase())) ?? false;
  return has(entry.request.headers, SANITIZED_HEADERS) || has(entry.response?.headers, SANITIZED_HEADERS);
}

function toRequest(entry: HarEntryLike): HttpRequest {
  return { method: entry.request.method, url: entry.request.url, headers: entry.request.headers };
}

/** Status 0 is how HAR says "no response" (blocked before sending, or a network error). */
function toResponse(entry: HarEntryLike): HttpResponse | undefined {
  const response = entry.response;
  if (!response || response.status <= 0 || entry.corsDoctor?.noResponse) return undefined;
  return { status: response.status, ...(response.statusText ? { statusText: response.statusText } : {}), headers: response.headers };
}

function toPreflight({ index, entry }: IndexedEntry): PreflightExchange {
  const preflight: PreflightExchange = { request: toRequest(entry) };
  const response = toResponse(entry);
  if (response) preflight.response = response;
  if (entry.response?.error) preflight.error = entry.response.error;
  preflight.ref = index;
  return preflight;
}

/** The actual request a lone preflight stood for: it never left (or was not exported). */
function requestFromPreflight(entry: HarEntryLike): HttpRequest {
  const method = firstValue(entry.request.headers, "access-control-request-method")?.trim().toUpperCase() || "GET";
  const kept = entry.request.headers.filter((h) => /^(origin|referer)$/i.test(h.name));
  return { method, url: entry.request.url, headers: kept };
}

/**
 * Firefox's HAR writes a request that got no response (refused, DNS, TLS, offline, blocked by an extension or Local
 * Network Access, cancelled while waiting) as status 0 with no response headers and no reason (measured: Firefox
 * ESR 153's netmonitor export, test/fixtures/devtools/firefox-failures.har). Give it the outcome that says the file
 * does not know why. A request Firefox never built headers for keeps only Host: read its headers as unrecorded (an
 * absent Origin then proves nothing), and such an OPTIONS, without Access-Control-Request-Method, as the preflight.
 */
function firefoxUnanswered(entry: HarEntryLike): HarEntryLike | undefined {
  const response = entry.response;
  if (response && (response.status > 0 || response.headers.length > 0 || response.error)) return undefined;
  const unrecorded = entry.request.headers.every((h) => h.name.toLowerCase() === "host");
  return {
    ...entry,
    request: unrecorded ? { ...entry.request, headers: [] } : entry.request,
    response: { status: 0, headers: [], error: NO_RESPONSE_UNRECORDED },
    ...(unrecorded && entry.request.method.toUpperCase() === "OPTIONS" && !entry.resourceType ? { resourceType: "preflight" } : {}),
  };
}

export class HarGrouper {
  private readonly producer: HarProducer;
  private pushed = 0;
  /** Whether any entry so far had a header that Chrome's sanitized export removes. */
  private sawCredentialHeader = false;
  /** Page id → page (first one wins), so each entry's `pageref` is one lookup, not a walk of every page. */
  private readonly pages = new Map<string, HarPage>();
  private readonly window: number;
  private readonly trustOwnFields: boolean;
  private readonly open = new Set<Chain>();
  /**
   * Open chains whose last request redirected once (it may have moved on since), and open chains whose last
   * leg was a hop's preflight waiting for its request: supersets of the chains an entry can join, so that in
   * the common case (no redirects) an entry is not compared with every chain of the window.
   */
  private readonly redirecting = new Set<Chain>();
  private readonly awaitingHop = new Set<Chain>();
  private readonly ownChains = new Map<number, Chain>();
  private preflights: IndexedEntry[] = [];
  /** Open one-request chains whose request may have a twin still to come (`twinOf`), by `twinKey`. */
  private readonly twinCandidates = new Map<string, Chain>();
  private finished: Array<{ firstIndex: number; group: HarExchangeGroup }> = [];

  constructor(options: GroupOptions = {}) {
    this.producer = producerOf(options.creator);
    for (const page of options.pages ?? []) if (!this.pages.has(page.id)) this.pages.set(page.id, page);
    this.window = Math.max(1, options.window ?? DEFAULT_GROUP_WINDOW);
    // HAR 1.2: custom fields are only meaningful to the tool that wrote them.
    this.trustOwnFields = options.creator === CORS_DOCTOR_CREATOR;
  }

  /** Adds the entry at `index` (indices must increase); returns the groups now complete, in entry order. */
  push(index: number, entry: HarEntryLike): HarExchangeGroup[] {
    // A browser always sends some headers and a server always answers with some: a first entry that was
    // answered and has none on either side comes from a tool that did not record them (BrowserMob's
    // default). Browsers' own exports always have them; a file without a known producer is read as it is.
    if (
      this.pushed++ === 0 &&
      this.producer.sees !== "browser" &&
      this.producer.id !== "unknown" &&
      entry.request.headers.length === 0 &&
      entry.response &&
      entry.response.status > 0 &&
      entry.response.headers.length === 0
    ) {
      throw new HarError(missingHeadersMessage(this.producer));
    }
    if (this.producer.id === "firefox-devtools") entry = firefoxUnanswered(entry) ?? entry;
    if (!this.sawCredentialHeader && hasCredentialHeader(entry)) this.sawCredentialHeader = true;
    this.expire(index - this.window);
    if (this.trustOwnFields && entry.corsDoctor) this.addOwn(index, entry);
    else if (isPreflightEntry(entry)) this.addPreflight({ index, entry });
    else this.addRequest({ index, entry });
    return this.release();
  }

  /** Ends the input: every remaining chain and lone preflight becomes a group. */
  finish(): HarExchangeGroup[] {
    this.expire(Number.POSITIVE_INFINITY);
    return this.release();
  }

  private addOwn(index: number, entry: HarEntryLike): void {
    const own = entry.corsDoctor!;
    let chain = this.ownChains.get(own.exchange);
    // A second entry for a slot already filled is another exchange that reused the id: a new chain, so
    // no chain outlives its 2 × MAX_LEGS entries and holds back the groups after it for ever.
    const taken = chain?.legs[own.leg]?.[own.part === "preflight" ? "preflight" : "request"];
    if (!chain || !this.open.has(chain) || taken) {
      chain = { legs: [], firstIndex: index, lastIndex: index };
      this.ownChains.set(own.exchange, chain);
      this.open.add(chain);
    }
    const slot = (chain.legs[own.leg] ??= {});
    if (own.part === "preflight") slot.preflight = { index, entry };
    else slot.request = { index, entry };
    chain.lastIndex = index;
  }

  private addPreflight(preflight: IndexedEntry): void {
    // Chrome sometimes writes the preflight after its actual: look back for the nearest actual without one.
    let best: { chain: Chain; slot: Slot; index: number } | undefined;
    for (const chain of this.open) {
      // Our own chains have holes where a leg's entries were not exported (legs[2] set, 0 and 1 not).
      for (const slot of chain.legs) {
        if (!slot?.request || slot.preflight || (slot.request.entry.corsDoctor && this.trustOwnFields)) continue;
        if (best && slot.request.index < best.index) continue;
        if (preflightFits(preflight.entry, slot.request.entry)) best = { chain, slot, index: slot.request.index };
      }
    }
    if (best) {
      best.slot.preflight = preflight;
      best.chain.lastIndex = preflight.index;
      return;
    }
    // The preflight of a redirect hop whose actual request was blocked and never exported (Firefox):
    // it is the next leg of the chain that redirected to its URL.
    const hop = this.redirectingChain(
      preflight.entry.request.url,
      firstValue(preflight.entry.request.headers, "access-control-request-method"),
    );
    if (hop) {
      hop.legs.push({ preflight });
      hop.lastIndex = preflight.index;
      this.awaitingHop.add(hop);
      return;
    }
    this.preflights.push(preflight);
  }

  /** The most recent open chain whose last request redirects to `url` with a method that fits `method`. */
  private redirectingChain(url: string, method: string | undefined): Chain | undefined {
    const key = urlKey(url);
    let found: Chain | undefined;
    let foundIndex = -1;
    // The latest index wins, so the order in which candidates are met does not matter.
    for (const candidate of this.redirecting) {
      // The browser gives up after 20 redirects: a longer chain is another request to the same URL.
      if (candidate.legs.length >= MAX_LEGS) continue;
      const last = candidate.legs[candidate.legs.length - 1]?.request;
      if (!last || (last.entry.corsDoctor && this.trustOwnFields)) continue;
      if (keysOf(last.entry).target !== key) continue;
      if (method !== undefined) {
        const wanted = method.trim().toUpperCase();
        const original = last.entry.request.method.toUpperCase();
        if (wanted !== methodAfterRedirect(original, last.entry.response!.status) && wanted !== original) continue;
      }
      if (last.index > foundIndex) {
        found = candidate;
        foundIndex = last.index;
      }
    }
    return found;
  }

  private addRequest(request: IndexedEntry): void {
    // A hop whose preflight came first and already joined its chain.
    // The first fitting chain in the order chains were opened wins: walked in that order, when there is any.
    for (const candidate of this.awaitingHop.size === 0 ? [] : this.open) {
      const last = candidate.legs[candidate.legs.length - 1];
      if (!last || candidate.legs.length < 2 || last.request || !last.preflight || (last.preflight.entry.corsDoctor && this.trustOwnFields))
        continue;
      if (preflightFits(last.preflight.entry, request.entry)) {
        last.request = request;
        candidate.lastIndex = request.index;
        // Still in `redirecting`: a chain awaits a hop only because its previous request redirected.
        this.awaitingHop.delete(candidate);
        return;
      }
    }
    const twin = this.producer.id === "chromium-devtools" && !request.entry.corsDoctor ? twinKey(request.entry) : undefined;
    if (twin !== undefined && this.joinTwin(request, twin)) return;
    let chain = this.redirectingChain(request.entry.request.url, request.entry.request.method);
    if (!chain) {
      chain = { legs: [], firstIndex: request.index, lastIndex: request.index };
      this.open.add(chain);
      if (twin !== undefined) {
        chain.twinKey = twin;
        this.twinCandidates.set(twin, chain);
      }
    }
    const slot: Slot = { request };
    chain.legs.push(slot);
    chain.lastIndex = request.index;
    this.mayRedirect(chain, request);

    // The preflight written just before this entry (Chrome and Firefox both do this too).
    let match = -1;
    for (let i = this.preflights.length - 1; i >= 0; i--) {
      if (preflightFits(this.preflights[i]!.entry, request.entry)) {
        match = i;
        break;
      }
    }
    if (match >= 0) {
      slot.preflight = this.preflights[match]!;
      this.preflights.splice(match, 1);
      chain.firstIndex = Math.min(chain.firstIndex, slot.preflight.index);
    }
  }

  /** Joins `request` to the open one-request chain whose request it records a second time (`twinOf`). */
  private joinTwin(request: IndexedEntry, key: string): boolean {
    const chain = this.twinCandidates.get(key);
    const slot = chain && this.open.has(chain) && chain.legs.length === 1 ? chain.legs[0] : undefined;
    if (!chain || !slot?.request || slot.twin) return false;
    const pair = twinOf(slot.request, request);
    if (!pair) return false;
    [slot.request, slot.twin] = pair;
    chain.lastIndex = request.index;
    this.forgetTwinCandidate(chain);
    // The network record decides whether the chain redirects; the other never does.
    this.redirecting.delete(chain);
    this.mayRedirect(chain, slot.request);
    return true;
  }

  private forgetTwinCandidate(chain: Chain): void {
    const key = chain.twinKey;
    if (key === undefined) return;
    chain.twinKey = undefined;
    // A later chain with the same key may have taken the place (this one redirected, or closed first).
    if (this.twinCandidates.get(key) === chain) this.twinCandidates.delete(key);
  }

  /** Notes a chain whose last request now redirects (a 3xx with a target): the next hop may join it. */
  private mayRedirect(chain: Chain, request: IndexedEntry): void {
    if (keysOf(request.entry).target !== undefined) this.redirecting.add(chain);
  }

  /** Closes chains and lone preflights last touched before `limit`: no partner can come any more. */
  private expire(limit: number): void {
    for (const chain of this.open) {
      if (chain.lastIndex < limit) {
        this.open.delete(chain);
        this.forgetTwinCandidate(chain);
        this.redirecting.delete(chain);
        this.awaitingHop.delete(chain);
        this.finished.push({ firstIndex: chain.firstIndex, group: this.toGroup(chain) });
      }
    }
    if (this.preflights.length > 0 && this.preflights[0]!.index < limit) {
      const keep: IndexedEntry[] = [];
      for (const preflight of this.preflights) {
        if (preflight.index < limit) {
          const chain: Chain = { legs: [{ preflight }], firstIndex: preflight.index, lastIndex: preflight.index };
          this.finished.push({ firstIndex: preflight.index, group: this.toGroup(chain) });
        } else keep.push(preflight);
      }
      this.preflights = keep;
    }
    if (this.open.size === 0) this.ownChains.clear();
    else for (const [id, chain] of this.ownChains) if (!this.open.has(chain)) this.ownChains.delete(id);
  }

  /** Groups that no open chain or lone preflight can precede any more, in order of their first entry. */
  private release(): HarExchangeGroup[] {
    if (this.finished.length === 0) return [];
    let firstOpen = Number.POSITIVE_INFINITY;
    for (const chain of this.open) firstOpen = Math.min(firstOpen, chain.firstIndex);
    for (const preflight of this.preflights) firstOpen = Math.min(firstOpen, preflight.index);
    this.finished.sort((a, b) => a.firstIndex - b.firstIndex);
    let count = 0;
    while (count < this.finished.length && this.finished[count]!.firstIndex < firstOpen) count++;
    return this.finished.splice(0, count).map((f) => f.group);
  }

  private toGroup(chain: Chain): HarExchangeGroup {
    const slots = chain.legs.filter((slot) => slot.request || slot.preflight);
    const legs: Leg[] = slots.map((slot) => {
      const leg: Leg = slot.request ? { request: toRequest(slot.request.entry) } : { request: requestFromPreflight(slot.preflight!.entry) };
      if (slot.request) {
        const response = toResponse(slot.request.entry);
        if (response) leg.response = response;
      }
      if (slot.preflight) leg.preflight = toPreflight(slot.preflight);
      if (slot.request) leg.ref = slot.request.index;
      return leg;
    });
    const own = this.trustOwnFields
      ? slots.map((s) => s.request?.entry.corsDoctor ?? s.preflight?.entry.corsDoctor).find(Boolean)
      : undefined;
    const exchange: Exchange = own ? this.ownExchange(legs, slots, own) : this.inferredExchange(legs, slots);
    const group: HarExchangeGroup = {
      exchange,
      entryIndices: slots.flatMap((s) => (s.request ? [s.request.index] : [])),
      preflightIndices: slots.flatMap((s) => (s.preflight ? [s.preflight.index] : [])),
    };
    const twins = slots.flatMap((s): [number, number][] => (s.request && s.twin ? [[s.request.index, s.twin.index]] : []));
    if (twins.length > 0) group.twinIndices = twins;
    const assumptions = this.readerAssumptions(exchange);
    if (twins.length > 0) assumptions.push(TWIN_ASSUMPTION);
    if (assumptions.length > 0) group.assumptions = assumptions;
    return group;
  }

  /** What the verdict rests on because of who wrote the file (see producer.ts). */
  private readerAssumptions(exchange: Exchange): string[] {
    const assumptions: string[] = [];
    const fromProducer = producerAssumption(this.producer);
    if (fromProducer) assumptions.push(fromProducer);
    // Decided when the group closes, a window of entries later: the same point in the batch and the
    // streaming reader, so both say the same.
    if (this.producer.id === "chromium-devtools" && !this.sawCredentialHeader && exchange.credentials === undefined) {
      assumptions.push(SANITIZED_ASSUMPTION);
    }
    return assumptions;
  }

  private ownExchange(legs: Leg[], slots: Slot[], own: NonNullable<HarEntryLike["corsDoctor"]>): Exchange {
    const exchange: Exchange = {
      initiatorOrigin: own.initiatorOrigin,
      legs,
      outcome: own.outcome ?? this.inferredOutcome(slots),
    };
    if (own.observedBy) exchange.observedBy = own.observedBy;
    if (own.capturedBy) exchange.capturedBy = own.capturedBy;
    if (own.credentials) exchange.credentials = own.credentials;
    if (own.mode) exchange.mode = own.mode;
    if (own.resourceType) exchange.resourceType = own.resourceType;
    if (own.startedAt !== undefined) exchange.startedAt = own.startedAt;
    copyEvidence(own, exchange);
    return exchange;
  }

  private inferredExchange(legs: Leg[], slots: Slot[]): Exchange {
    const first = slots[0]!;
    const firstEntries = [first.request?.entry, first.preflight?.entry].filter((e): e is HarEntryLike => e !== undefined);
    const exchange: Exchange = {
      initiatorOrigin: this.initiatorOrigin(firstEntries),
      legs,
      outcome: this.inferredOutcome(slots),
      observedBy: observer(this.producer),
    };
    const resourceType = first.request?.entry.resourceType;
    if (resourceType) exchange.resourceType = resourceType;
    // Chrome's "document" is a navigation: the engine answers not-cors for it.
    if (resourceType === "document") exchange.mode = "navigate";
    const starts = firstEntries.map((e) => e.startedAt).filter((t): t is number => t !== undefined);
    if (starts.length > 0) exchange.startedAt = Math.min(...starts);
    return exchange;
  }

  private inferredOutcome(slots: Slot[]): Exchange["outcome"] {
    for (const slot of slots) {
      // A twin record (`twinOf`) has the end its network record lacks.
      const error = slot.request?.entry.response?.error ?? slot.twin?.entry.response?.error;
      if (error) return { kind: "failed", error };
    }
    const last = slots[slots.length - 1]!;
    if (!last.request) {
      // Only the preflight was exported: its own network error, or nothing known about the actual.
      const error = last.preflight?.entry.response?.error;
      return error ? { kind: "failed", error } : { kind: "unknown" };
    }
    const response = last.request.entry.response;
    if (!response || response.status <= 0) return { kind: "failed", error: "unknown" };
    // Chrome and Firefox DevTools and Playwright write the browser's failures; without one the page read
    // the response. Other tools (proxies) only saw the server: what the browser did is unknown.
    return this.producer.reportsFailures ? { kind: "completed" } : { kind: "unknown" };
  }

  /** Origin header (not "null") → Referer → Chrome's `_initiator` → the page of `pageref` → null. */
  private initiatorOrigin(entries: HarEntryLike[]): string | null {
    for (const entry of entries) {
      const origin = firstValue(entry.request.headers, "origin");
      if (origin !== undefined && origin.trim() !== "null" && origin.trim() !== "") return origin.trim();
    }
    for (const entry of entries) {
      const origin = originOf(firstValue(entry.request.headers, "referer"));
      if (origin) return origin;
    }
    for (const entry of entries) {
      const initiator = entry.initiator;
      const origin = originOf(initiator?.url) ?? originOf(initiator?.stack?.callFrames?.find((f) => f.url)?.url);
      if (origin) return origin;
    }
    for (const entry of entries) {
      const page = entry.pageref === undefined ? undefined : this.pages.get(entry.pageref);
      const origin = originOf(page?.title);
      if (origin) return origin;
    }
    return null;
  }
}
