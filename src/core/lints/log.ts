// Lints that need several exchanges of one log (taxonomy B.1/B.2): what one response cannot prove.
//
// They read the log as a stream: each rule keeps a compact summary per endpoint (per target origin,
// per URL), never the exchanges, so a 1 GB HAR is linted as a whole in memory bounded by the number of
// endpoints and origins, and a reflection seen 10,000 entries after the first is still linked.
//
// Two modes. Streaming (`replay: false`): `add` gives each exchange the findings the evidence seen so
// far supports; `finish` returns findings for exchanges that had already gone by when the evidence
// became complete (bounded per endpoint; the rest are counted). Replay (`replay: true`, the batch path
// of `diagnoseLog`, which holds every exchange anyway): `add` only records, and `finish` returns every
// finding worded on the whole log, as the batch reader always did.
import { get } from "../headers";
import type { CorsDiagnosis, Exchange, Finding } from "../model";
import { originOf } from "../origin";
import type { DiagnoseOptions } from "../diagnose";
import { variesByOrigin } from "./vary";
import { cookieLints } from "./cookies";

/** A finding for an exchange the log has already passed; `ref` is what the caller gave `add`. */
export interface LogFinding {
  ref: number;
  finding: Finding;
}

export interface LogRuleOptions {
  replay: boolean;
  /** Exchanges remembered per endpoint for `finish` (streaming); the others are counted. */
  maxRefs: number;
  /** Endpoints (target origins, URLs) summarised; later new ones are counted, not summarised. */
  maxKeys: number;
}

/** One cross-request rule: a summary that sees every diagnosed exchange once, in log order. */
export interface LogRule {
  /** Records the exchange; returns findings for it on the evidence so far (none in replay mode). */
  add(exchange: Exchange, diagnosis: CorsDiagnosis, ref: number): Finding[];
  finish(): LogFinding[];
  /** Exchanges that deserved a `finish` finding but were over `maxRefs`, or endpoints over `maxKeys`. */
  omitted(): number;
}

export type LogRuleFactory = (options: LogRuleOptions) => LogRule;

/** What the rules below read of an actual request with a response and an origin. */
interface Observed {
  target: string;
  url: string;
  requestOrigin: string;
  acao: string | null;
  credentials: boolean;
  vary: boolean;
  status: number;
  blocked: boolean;
}

/**
 * A copy that owns its characters. Callers may pass strings cut from a much larger one (the CLI's HAR
 * reader cuts header values out of decoded read windows); keeping such a slice for the whole log would
 * keep its whole window alive.
 */
function own(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function observe(exchange: Exchange, diagnosis: CorsDiagnosis): Observed | null {
  if (diagnosis.role !== "actual") return null;
  const leg = exchange.legs[exchange.legs.length - 1];
  const response = leg?.response;
  const origin = exchange.initiatorOrigin ?? get(leg?.request.headers, "origin");
  if (!leg || !response || !origin) return null;
  return {
    target: originOf(leg.request.url) ?? "",
    url: leg.request.url.split("?")[0]!,
    requestOrigin: origin,
    acao: get(response.headers, "access-control-allow-origin"),
    credentials: get(response.headers, "access-control-allow-credentials") === "true",
    vary: variesByOrigin(get(response.headers, "vary")),
    status: response.status,
    blocked: diagnosis.verdict === "blocked",
  };
}

/** Refs kept for `finish`, up to a bound. */
class RefList<T> {
  items: T[] = [];
  over = 0;
  constructor(private readonly max: number) {}
  get full(): boolean {
    return this.items.length >= this.max;
  }
  push(item: T): void {
    if (this.items.length < this.max) this.items.push(item);
    else this.over++;
  }
}

/** A map of endpoint summaries that stops taking new endpoints at `maxKeys`. */
class Endpoints<T> {
  readonly map = new Map<string, T>();
  untracked = 0;
  constructor(
    private readonly maxKeys: number,
    private readonly make: () => T,
  ) {}
  get(key: string): T | undefined {
    let entry = this.map.get(key);
    if (entry === undefined) {
      if (this.map.size >= this.maxKeys) {
        this.untracked++;
        return undefined;
      }
      entry = this.make();
      this.map.set(own(key), entry);
    }
    return entry;
  }
}

const MAX_ORIGINS_PER_TARGET = 10_000;

interface TargetSummary {
  /** Origins the target echoed in Access-Control-Allow-Origin, first seen first. */
  reflectedOrigins: Set<string>;
  credentials: boolean;
  reflected: RefList<{ ref: number; acao: string }>;
  /** Responses below 400 that carry Access-Control-Allow-Origin. */
  good: number;
  bad: RefList<{ ref: number; status: number; blocked: boolean }>;
}

function reflectionFinding(target: string, summary: TargetSummary, acao: string): Finding {
  const origins = summary.reflectedOrigins;
  const withCredentials = summary.credentials;
  return {
    id: "acao-reflects-arbitrary-origin",
    severity: "warning",
    request: "actual",
    header: "access-control-allow-origin",
    actual: acao,
    title: `${target} allowed ${origins.size} different origins${withCredentials ? " with credentials" : ""}`,
    detail: `Seen in this log: ${[...origins].slice(0, 5).join(", ")}. If the server echoes any Origin, every site can read its responses${withCredentials ? ", authenticated ones included" : ""}. Use an explicit allow-list, and verify with \`cors-doctor probe --audit\`.`,
  };
}

function errorResponseFinding(target: string, good: number, status: number, blocked: boolean): Finding {
  return {
    id: "cors-headers-missing-on-error-responses",
    severity: blocked ? "error" : "warning",
    request: "actual",
    header: "access-control-allow-origin",
    actual: String(status),
    title: `${target} sends CORS headers on successful responses but not on this HTTP ${status}`,
    detail: `${good} successful response(s) from ${target} carry Access-Control-Allow-Origin and this ${status} does not, so the page sees a CORS error instead of the real one. Add the headers on error responses too (nginx: add_header … always; error handlers after the CORS middleware).`,
  };
}

/**
 * Per target origin: the same server echoed two different origins (B.1 reflection), and error
 * responses without CORS headers where successful ones have them (headers added on the success path only).
 */
const perTarget: LogRuleFactory = ({ replay, maxRefs, maxKeys }) => {
  const refs = replay ? Number.POSITIVE_INFINITY : maxRefs;
  const targets = new Endpoints<TargetSummary>(maxKeys, () => ({
    reflectedOrigins: new Set(),
    credentials: false,
    reflected: new RefList(refs),
    good: 0,
    bad: new RefList(refs),
  }));
  return {
    add(exchange, diagnosis, ref) {
      const o = observe(exchange, diagnosis);
      if (!o) return [];
      const summary = targets.get(o.target);
      if (!summary) return [];
      const out: Finding[] = [];
      if (o.acao !== null && o.acao !== "*" && o.acao === o.requestOrigin) {
        if (summary.reflectedOrigins.size < MAX_ORIGINS_PER_TARGET && !summary.reflectedOrigins.has(o.requestOrigin))
          summary.reflectedOrigins.add(own(o.requestOrigin));
        summary.credentials ||= o.credentials;
        if (!replay && summary.reflectedOrigins.size >= 2) out.push(reflectionFinding(o.target, summary, o.acao));
        else if (summary.reflected.full) summary.reflected.over++;
        else summary.reflected.push({ ref, acao: own(o.acao) });
      }
      if (o.status < 400 && o.acao !== null) summary.good++;
      if (o.status >= 400 && o.acao === null) {
        if (!replay && summary.good > 0) out.push(errorResponseFinding(o.target, summary.good, o.status, o.blocked));
        else summary.bad.push({ ref, status: o.status, blocked: o.blocked });
      }
      return out;
    },
    finish() {
      const out: LogFinding[] = [];
      for (const [target, summary] of targets.map) {
        if (summary.reflectedOrigins.size >= 2) {
          for (const r of summary.reflected.items) out.push({ ref: r.ref, finding: reflectionFinding(target, summary, r.acao) });
        }
        if (summary.good > 0) {
          for (const b of summary.bad.items)
            out.push({ ref: b.ref, finding: errorResponseFinding(target, summary.good, b.status, b.blocked) });
        }
      }
      return out;
    },
    omitted() {
      let n = targets.untracked;
      for (const s of targets.map.values()) n += (s.reflectedOrigins.size >= 2 ? s.reflected.over : 0) + (s.good > 0 ? s.bad.over : 0);
      return n;
    },
  };
};

interface UrlSummary {
  /** Distinct allow-origins other than `*`, first seen first (five are enough to show). */
  values: Set<string>;
  withoutVary: RefList<number>;
}

function varyFinding(values: Set<string>): Finding {
  return {
    id: "dynamic-acao-missing-vary",
    severity: "warning",
    request: "actual",
    header: "vary",
    expected: "Origin",
    actual: "",
    title: "This URL answers different origins with different Access-Control-Allow-Origin values, without Vary: Origin",
    detail: `Seen in this log: ${[...values].slice(0, 5).join(", ")}. Without Vary: Origin a cache can serve one origin's answer to another. Add Vary: Origin.`,
    spec: "https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches",
  };
}

/** Per URL: different origins got different allow-origins, and no Vary: Origin (B.2). */
const perUrl: LogRuleFactory = ({ replay, maxRefs, maxKeys }) => {
  const urls = new Endpoints<UrlSummary>(maxKeys, () => ({
    values: new Set(),
    withoutVary: new RefList(replay ? Number.POSITIVE_INFINITY : maxRefs),
  }));
  return {
    add(exchange, diagnosis, ref) {
      const o = observe(exchange, diagnosis);
      if (!o || o.acao === null || o.acao === "*") return [];
      const summary = urls.get(o.url);
      if (!summary) return [];
      if (summary.values.size < 5 && !summary.values.has(o.acao)) summary.values.add(own(o.acao));
      if (o.vary) return [];
      if (!replay && summary.values.size >= 2) return [varyFinding(summary.values)];
      summary.withoutVary.push(ref);
      return [];
    },
    finish() {
      const out: LogFinding[] = [];
      for (const summary of urls.map.values()) {
        if (summary.values.size < 2) continue;
        for (const ref of summary.withoutVary.items) out.push({ ref, finding: varyFinding(summary.values) });
      }
      return out;
    },
    omitted() {
      let n = urls.untracked;
      for (const s of urls.map.values()) if (s.values.size >= 2) n += s.withoutVary.over;
      return n;
    },
  };
};

/** The cross-request rules, in the order their findings are applied. Add streaming rules here. */
export const LOG_RULES: LogRuleFactory[] = [perTarget, perUrl];

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Adds `finding` to the diagnosis, replacing an earlier one with the same id (a newer wording). */
export function addOnce(diagnosis: CorsDiagnosis, finding: Finding): void {
  if (diagnosis.findings.some((f) => f.id === finding.id && f.severity === finding.severity)) {
    diagnosis.findings = diagnosis.findings.filter((f) => f.id !== finding.id);
  }
  diagnosis.findings.push(finding);
  diagnosis.findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** Every cross-request rule over one log, as a stream of diagnosed exchanges. */
export class LogSummary {
  private readonly rules: LogRule[];

  constructor(options: Partial<LogRuleOptions> = {}, factories: LogRuleFactory[] = LOG_RULES) {
    const full: LogRuleOptions = { replay: options.replay ?? false, maxRefs: options.maxRefs ?? 100, maxKeys: options.maxKeys ?? 100_000 };
    this.rules = factories.map((make) => make(full));
  }

  /** Records a diagnosed exchange (log order) and adds to `diagnosis` what the log so far shows. */
  add(exchange: Exchange, diagnosis: CorsDiagnosis, ref: number): void {
    for (const rule of this.rules) for (const finding of rule.add(exchange, diagnosis, ref)) addOnce(diagnosis, finding);
  }

  /** Findings for exchanges already passed, in rule order; `omitted` counts those over the bounds. */
  finish(): { findings: LogFinding[]; omitted: number } {
    const findings: LogFinding[] = [];
    let omitted = 0;
    for (const rule of this.rules) {
      findings.push(...rule.finish());
      omitted += rule.omitted();
    }
    return { findings, omitted };
  }
}

export function crossExchangeLints(exchanges: Exchange[], diagnoses: CorsDiagnosis[], options: DiagnoseOptions): void {
  cookieLints(exchanges, diagnoses, options.cookiesOutsideLog);
  const summary = new LogSummary({ replay: true });
  exchanges.forEach((exchange, index) => {
    const diagnosis = diagnoses[index];
    if (diagnosis) summary.add(exchange, diagnosis, index);
  });
  for (const { ref, finding } of summary.finish().findings) addOnce(diagnoses[ref]!, finding);
}
