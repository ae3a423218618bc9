// A compact way to write real exchanges in test tables.
import type { Exchange, Header, HttpResponse, Leg, Outcome } from "../../src/core/model";

export const PAGE = "http://127.0.0.1:3000";
export const API = "http://localhost:4000/api";

export type HeaderSpec = Record<string, string | string[]>;

export function headers(spec: HeaderSpec = {}): Header[] {
  const out: Header[] = [];
  for (const [name, value] of Object.entries(spec)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push({ name, value: v });
  }
  return out;
}

export function response(status: number, spec: HeaderSpec = {}): HttpResponse {
  return { status, headers: headers(spec) };
}

export interface LegSpec {
  url?: string;
  method?: string;
  /** Headers the page set (Origin is added unless `origin: null`). */
  headers?: HeaderSpec;
  origin?: string | null;
  /** Preflight response; the preflight request is built as Chromium builds it. */
  preflight?: HttpResponse | { error: string };
  response?: HttpResponse;
}

export interface ExchangeSpec extends LegSpec {
  page?: string | null;
  outcome?: Outcome | "failed" | "completed";
  observedBy?: Exchange["observedBy"];
  credentials?: Exchange["credentials"];
  resourceType?: string;
  /** Further legs after redirects. */
  next?: LegSpec[];
}

function acrh(h: HeaderSpec): string | undefined {
  const names = Object.keys(h)
    .map((n) => n.toLowerCase())
    .filter((n) => !["cookie", "origin", "accept", "user-agent"].includes(n))
    .sort();
  const simple = (n: string) =>
    n === "content-type" &&
    /^(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)/.test(
      String(h[Object.keys(h).find((k) => k.toLowerCase() === n)!]),
    );
  const unsafe = names.filter((n) => !simple(n));
  return unsafe.length ? unsafe.join(",") : undefined;
}

function leg(spec: LegSpec, page: string | null): Leg {
  const url = spec.url ?? API;
  const method = spec.method ?? "GET";
  const origin = spec.origin === undefined ? page : spec.origin;
  const reqHeaders = headers({ ...(origin ? { Origin: origin } : {}), ...(spec.headers ?? {}) });
  const out: Leg = { request: { method, url, headers: reqHeaders } };
  if (spec.response) out.response = spec.response;
  if (spec.preflight) {
    const names = acrh(spec.headers ?? {});
    const pfHeaders = headers({
      ...(origin ? { Origin: origin } : {}),
      "Access-Control-Request-Method": method,
      ...(names ? { "Access-Control-Request-Headers": names } : {}),
    });
    out.preflight =
      "error" in spec.preflight
        ? { request: { method: "OPTIONS", url, headers: pfHeaders }, error: spec.preflight.error }
        : { request: { method: "OPTIONS", url, headers: pfHeaders }, response: spec.preflight };
  }
  return out;
}

export function exchange(spec: ExchangeSpec): Exchange {
  const page = spec.page === undefined ? PAGE : spec.page;
  const legs = [leg(spec, page), ...(spec.next ?? []).map((l) => leg(l, page))];
  const outcome: Outcome =
    spec.outcome === "failed"
      ? { kind: "failed", error: "net::ERR_FAILED" }
      : spec.outcome === "completed"
        ? { kind: "completed" }
        : (spec.outcome ?? { kind: "unknown" });
  const ex: Exchange = { initiatorOrigin: page, legs, outcome, observedBy: spec.observedBy ?? "chrome" };
  if (spec.credentials) ex.credentials = spec.credentials;
  if (spec.resourceType) ex.resourceType = spec.resourceType;
  return ex;
}
