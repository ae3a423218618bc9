// The header comparison table: for each CORS check, what the request needed (or the browser asked for) beside
// what the server sent, and whether that row passed. Pass/fail comes from the engine's findings (the only place
// that knows the rules); the few rows no finding speaks about are shown as present/absent facts.
import type { CorsDiagnosis, Exchange, Finding, Header, HttpResponse } from "../core/model";

export type RowState = "pass" | "fail" | "warn" | "neutral";

export interface ComparisonRow {
  check: string;
  needed: string;
  header: string;
  sent: string | null;
  state: RowState;
}

export interface ComparisonSection {
  title: string;
  request: "preflight" | "actual";
  rows: ComparisonRow[];
}

const get = (headers: Header[] | undefined, name: string): string | null => {
  const values = (headers ?? []).filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  // Repeated headers are shown the way Fetch combines them (", "), which is also what the browser checks.
  return values.length ? values.join(", ") : null;
};

function allFindings(diagnosis: CorsDiagnosis): Finding[] {
  return diagnosis.blockedBy ? [diagnosis.blockedBy, ...diagnosis.findings.filter((f) => f !== diagnosis.blockedBy)] : diagnosis.findings;
}

function stateFor(findings: Finding[], request: "preflight" | "actual", header: string, item?: string): RowState | null {
  const relevant = findings.filter(
    (f) =>
      f.request === request &&
      f.header === header &&
      (item === undefined || !f.failedParameter || f.failedParameter.toLowerCase() === item.toLowerCase()),
  );
  if (relevant.some((f) => f.severity === "error")) return "fail";
  if (relevant.some((f) => f.severity === "warning")) return "warn";
  return null;
}

function credentialsNeeded(exchange: Exchange): boolean {
  if (exchange.credentials) return exchange.credentials === "include";
  // Without a recorded mode, a Cookie or Authorization header on the request shows it was credentialed.
  return (exchange.legs[0]?.request.headers ?? []).some((h) => /^(cookie|authorization)$/i.test(h.name));
}

function responseRows(
  request: "preflight" | "actual",
  response: HttpResponse | undefined,
  origin: string,
  credentials: boolean,
  findings: Finding[],
): ComparisonRow[] {
  const headers = response?.headers;
  const acao = get(headers, "access-control-allow-origin");
  const acac = get(headers, "access-control-allow-credentials");
  const rows: ComparisonRow[] = [
    {
      check: "Origin",
      needed: credentials ? origin : `${origin} or *`,
      header: "Access-Control-Allow-Origin",
      sent: acao,
      state: stateFor(findings, request, "access-control-allow-origin") ?? (acao === null ? "fail" : "pass"),
    },
    {
      check: "Credentials",
      needed: credentials ? "true (credentials: include)" : "not needed (no credentials)",
      header: "Access-Control-Allow-Credentials",
      sent: acac,
      state:
        stateFor(findings, request, "access-control-allow-credentials") ?? (credentials ? (acac === "true" ? "pass" : "fail") : "neutral"),
    },
  ];
  return rows;
}

export function compareHeaders(exchange: Exchange, diagnosis: CorsDiagnosis): ComparisonSection[] {
  const findings = allFindings(diagnosis);
  const first = exchange.legs[0];
  if (!first) return [];
  const origin = get(first.request.headers, "origin") ?? exchange.initiatorOrigin ?? "(unknown)";
  const credentials = credentialsNeeded(exchange);
  const sections: ComparisonSection[] = [];

  const preflightLeg = exchange.legs.find((leg) => leg.preflight);
  const preflight = preflightLeg?.preflight;
  if (preflight) {
    const response = preflight.response;
    const rows = responseRows("preflight", response, get(preflight.request.headers, "origin") ?? origin, credentials, findings);
    const status = response?.status;
    rows.unshift({
      check: "Status",
      needed: "an ok status (200–299)",
      header: "HTTP status",
      sent: status === undefined ? (preflight.error ?? "no response") : String(status),
      state: status !== undefined && status >= 200 && status <= 299 ? "pass" : "fail",
    });
    const method = get(preflight.request.headers, "access-control-request-method") ?? preflightLeg.request.method;
    const acam = get(response?.headers, "access-control-allow-methods");
    rows.push({
      check: "Method",
      needed: method,
      header: "Access-Control-Allow-Methods",
      sent: acam,
      state: stateFor(findings, "preflight", "access-control-allow-methods") ?? "pass",
    });
    const asked = (get(preflight.request.headers, "access-control-request-headers") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const acah = get(response?.headers, "access-control-allow-headers");
    for (const name of asked) {
      rows.push({
        check: `Header ${name}`,
        needed: name,
        header: "Access-Control-Allow-Headers",
        sent: acah,
        state: stateFor(findings, "preflight", "access-control-allow-headers", name) ?? "pass",
      });
    }
    const maxAge = get(response?.headers, "access-control-max-age");
    rows.push({
      check: "Cache",
      needed: "optional (seconds the preflight may be reused)",
      header: "Access-Control-Max-Age",
      sent: maxAge,
      state: stateFor(findings, "preflight", "access-control-max-age") ?? "neutral",
    });
    sections.push({ title: "Preflight (OPTIONS)", request: "preflight", rows });
  }

  const last = exchange.legs.at(-1)!;
  if (last.response || !preflight) {
    const rows = responseRows("actual", last.response, origin, credentials, findings);
    if (!last.response) for (const row of rows) row.state = "neutral";
    const vary = get(last.response?.headers, "vary");
    rows.push({
      check: "Caching",
      needed: "Origin, when the allowed origin depends on the request",
      header: "Vary",
      sent: vary,
      state: stateFor(findings, "actual", "vary") ?? "neutral",
    });
    sections.push({
      title: preflight ? `Actual request (${last.request.method})` : `Request (${last.request.method})`,
      request: "actual",
      rows,
    });
  }
  return sections;
}
