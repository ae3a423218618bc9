// The request list's rows: one per captured exchange (its preflight folded in), and the toolbar's filters.
// Search text is lower-cased once per row so that filtering 10 000 rows stays well under a frame.
import type { CorsDiagnosis, Exchange, Finding } from "../core/model";
import type { CapturedExchange } from "../shared/protocol";

export type RowVerdict = "blocked" | "warning" | "ok" | "not-cors" | "pending";

export interface Row {
  id: string;
  seq: number;
  verdict: RowVerdict;
  method: string;
  url: string;
  initiator: string;
  preflightStatus: string;
  actualStatus: string;
  reason: string;
  /** URL, reason and initiator, lower-cased: what the search box matches. */
  haystack: string;
}

export type VerdictFilter = "all" | "blocked" | "warnings";
export type Order = "chronological" | "blocked-first";

export interface RowFilter {
  verdict: VerdictFilter;
  text: string;
  /** An initiator origin, or "" for any. */
  origin: string;
  order: Order;
}

export const defaultFilter: RowFilter = { verdict: "all", text: "", origin: "", order: "chronological" };

export function rowVerdict(diagnosis: CorsDiagnosis, complete = true): RowVerdict {
  if (diagnosis.verdict === "blocked") return "blocked";
  if (diagnosis.findings.some((f) => f.severity === "error" || f.severity === "warning")) return "warning";
  if (!complete) return "pending";
  return diagnosis.verdict === "not-cors" ? "not-cors" : "ok";
}

/** The most important finding to summarise in one line: the blocking one, else the most severe. */
export function headlineFinding(diagnosis: CorsDiagnosis): Finding | null {
  if (diagnosis.blockedBy) return diagnosis.blockedBy;
  const rank = { error: 0, warning: 1, info: 2 } as const;
  return [...diagnosis.findings].sort((a, b) => rank[a.severity] - rank[b.severity])[0] ?? null;
}

function statusText(exchange: Exchange, which: "preflight" | "actual"): string {
  if (which === "preflight") {
    const preflight = exchange.legs.find((leg) => leg.preflight)?.preflight;
    if (!preflight) return "—";
    if (preflight.response) return String(preflight.response.status);
    return preflight.error ? "failed" : "…";
  }
  const last = exchange.legs.at(-1);
  if (last?.response) return String(last.response.status || (exchange.outcome.kind === "failed" ? "failed" : "0"));
  if (exchange.outcome.kind === "failed") return "not sent";
  return "…";
}

export function toRow(item: CapturedExchange): Row {
  const first = item.exchange.legs[0];
  const url = first?.request.url ?? "";
  const initiator = item.exchange.initiatorOrigin ?? "";
  const verdict = rowVerdict(item.diagnosis, item.complete);
  const reason = headlineFinding(item.diagnosis)?.title ?? (verdict === "not-cors" ? "Not a CORS request" : "");
  return {
    id: item.id,
    seq: item.seq,
    verdict,
    method: first?.request.method ?? "",
    url,
    initiator,
    preflightStatus: statusText(item.exchange, "preflight"),
    actualStatus: statusText(item.exchange, "actual"),
    reason,
    haystack: `${url}\n${reason}\n${initiator}`.toLowerCase(),
  };
}

const verdictRank: Record<RowVerdict, number> = { blocked: 0, warning: 1, pending: 2, ok: 3, "not-cors": 4 };

export function filterRows(rows: readonly Row[], filter: RowFilter): Row[] {
  const needle = filter.text.trim().toLowerCase();
  const out = rows.filter(
    (row) =>
      (filter.verdict === "all" || (filter.verdict === "blocked" ? row.verdict === "blocked" : row.verdict === "warning")) &&
      (filter.origin === "" || row.initiator === filter.origin) &&
      (needle === "" || row.haystack.includes(needle)),
  );
  if (filter.order === "blocked-first") {
    // Stable: within one verdict the rows stay in start order.
    out.sort((a, b) => verdictRank[a.verdict] - verdictRank[b.verdict] || a.seq - b.seq);
  }
  return out;
}

export function initiatorOrigins(rows: readonly Row[]): string[] {
  return [...new Set(rows.map((row) => row.initiator).filter((o) => o !== ""))].sort();
}

export interface Counts {
  total: number;
  blocked: number;
  warnings: number;
}

export function countRows(rows: readonly Row[]): Counts {
  let blocked = 0;
  let warnings = 0;
  for (const row of rows) {
    if (row.verdict === "blocked") blocked++;
    else if (row.verdict === "warning") warnings++;
  }
  return { total: rows.length, blocked, warnings };
}
