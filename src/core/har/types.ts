// HAR 1.2 as written by Chrome DevTools ("WebInspector"), Firefox DevTools and CORS Doctor.
// Spec: http://www.softwareishard.com/blog/har-12-spec/ — custom fields start with "_" and are only
// trusted when the file was written by the tool reading it (we trust `_corsDoctor` only from ourselves).
import type { BrowserName, CorsDiagnosis, CredentialsMode, Exchange, Header, RequestMode } from "../model";

export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export interface HarCookie extends HarNameValue {
  path?: string;
  domain?: string;
  expires?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
}

export interface HarPostData {
  mimeType: string;
  text?: string;
  params?: Array<{ name: string; value?: string; fileName?: string; contentType?: string }>;
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
}

export interface HarContent {
  size: number;
  mimeType: string;
  text?: string;
  encoding?: string;
  compression?: number;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarCookie[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  /** Chrome: the network error of a failed request, e.g. "net::ERR_FAILED". */
  _error?: string | null;
}

export interface HarTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
}

/** Chrome's initiator: `{type:"preflight", requestId}` on preflights, `{type:"script", stack}` on fetches… */
export interface HarInitiator {
  type?: string;
  url?: string;
  requestId?: string;
  lineNumber?: number;
  stack?: { callFrames?: Array<{ url?: string }> };
}

/** The exchange's evidence beyond the headers, written as is and read back checked (read.ts `parseEvidence`; group.ts copies them onto the exchange). */
export const EVIDENCE_KEYS = [
  "blockedReason",
  "corsErrorStatus",
  "pageObserved",
  "redirectMode",
  "readHeaders",
  "addressSpace",
  "targetAddressSpace",
] as const satisfies readonly (keyof Exchange & keyof HarCorsDoctorEntry)[];
type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

/** Copies the evidence fields that are set, from an exchange to our entry record or back. */
export function copyEvidence(from: Pick<Exchange, EvidenceKey>, to: Pick<Exchange, EvidenceKey>): void {
  for (const key of EVIDENCE_KEYS) if (from[key] !== undefined) (to as Partial<Record<EvidenceKey, unknown>>)[key] = from[key];
}

/** What CORS Doctor writes per entry so its own export reads back exactly (see write.ts). */
export interface HarCorsDoctorEntry {
  /** Index of the exchange in the report (groups entries). */
  exchange: number;
  /** Leg index inside the exchange. */
  leg: number;
  part: "preflight" | "request";
  initiatorOrigin: string | null;
  credentials?: CredentialsMode;
  mode?: RequestMode;
  observedBy?: BrowserName | "unknown";
  capturedBy?: "webRequest";
  resourceType?: string;
  outcome?: Exchange["outcome"];
  startedAt?: number;
  /** True when the request got no response (HAR still needs a response object: status 0). */
  noResponse?: boolean;
  // What the live capture knew beyond the headers (the page-side observer, Chromium's own reasons), so that
  // `analyze` of an export gives what the panel showed (contracts §4).
  blockedReason?: string;
  corsErrorStatus?: Exchange["corsErrorStatus"];
  pageObserved?: Exchange["pageObserved"];
  redirectMode?: Exchange["redirectMode"];
  readHeaders?: string[];
  addressSpace?: Exchange["addressSpace"];
  targetAddressSpace?: Exchange["targetAddressSpace"];
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, unknown>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  _resourceType?: string;
  _initiator?: HarInitiator;
  _cors?: CorsDiagnosis;
  _corsDoctor?: HarCorsDoctorEntry;
}

export interface HarCreator {
  name: string;
  version: string;
  comment?: string;
}

export interface HarPage {
  id: string;
  title: string;
  startedDateTime?: string;
}

/** What `log._redaction` says: which names had their values replaced, and how often. */
export interface HarRedactionSummary {
  secretsIncluded: boolean;
  replacement: string;
  headers: Array<{ name: string; count: number }>;
  queryParameters: Array<{ name: string; count: number }>;
  cookies: Array<{ name: string; count: number }>;
  /** Request bodies whose text was dropped / whose form parameters were redacted. */
  requestBodies: number;
  /** Response bodies whose text was dropped. */
  responseBodies: number;
}

export interface HarLog {
  version: string;
  creator: HarCreator;
  browser?: HarCreator;
  pages?: HarPage[];
  entries: HarEntry[];
  comment?: string;
  _redaction?: HarRedactionSummary;
}

/**
 * One entry after validation at the edge: only what CORS Doctor reads, every field typed.
 * Optional HAR fields that were missing stay undefined; header values are strings.
 */
export interface HarEntryLike {
  pageref?: string;
  startedDateTime?: string;
  /** Epoch ms parsed from startedDateTime, when it parses. */
  startedAt?: number;
  time?: number;
  request: { method: string; url: string; headers: Header[] };
  response?: {
    status: number;
    statusText?: string;
    headers: Header[];
    redirectURL?: string;
    error?: string;
  };
  resourceType?: string;
  initiator?: HarInitiator;
  corsDoctor?: HarCorsDoctorEntry;
}

/** The log-level facts the grouping needs, besides the entries. */
export interface HarLogMeta {
  creator?: string;
  pages?: HarPage[];
}

/** One exchange rebuilt from HAR entries, and which entries it came from. */
export interface HarExchangeGroup {
  exchange: Exchange;
  /** The entries of the request legs, in leg order. */
  entryIndices: number[];
  /** The preflight entries, in leg order. */
  preflightIndices: number[];
  /**
   * Entries that are a second record of a leg's request (group.ts `twinOf`): `[request entry, twin entry]`. A Chrome
   * file can hold a request twice, once with its network headers and response and once with how it ended.
   */
  twinIndices?: [number, number][];
  /** What the verdict rests on because of who wrote the file (a proxy, a sanitized export…); see producer.ts. */
  assumptions?: string[];
}
