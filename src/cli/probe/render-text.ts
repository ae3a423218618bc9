// The human report of a probe: the wire, the verdict in the panel's words, the fix, the audit.
// Every value from the server is untrusted: control characters are shown escaped (../style printable),
// never sent to the terminal (a header could otherwise carry escape sequences that rewrite the screen).
import { get } from "../../core/headers";
import type { CorsDiagnosis, Finding, Fix, HttpRequest } from "../../core/model";
import type { AuditReport } from "./audit";
import type { ProbeRun, WireRecord } from "./run-exchange";
import { printable, type Style } from "../style";

/**
 * Prose from the catalog (details, notes, assumptions) is one line, and may quote a server's value: a line
 * break in it is the value's, so it is escaped like any other (a Location or an Allow-Origin must not forge a line).
 */
const prose = (text: string) => printable(text, 100_000);

/** Recipes: multi-line by design; their line breaks stay, other control characters are escaped. */
export function printableBlock(text: string): string {
  return text
    .split("\n")
    .map((line) => printable(line, 100_000))
    .join("\n");
}

export interface RenderOptions {
  /** Only for the notice: redaction happened before rendering (redact-run.ts). */
  includeSecrets: boolean;
  browser: "chrome" | "firefox";
  style: Style;
}

export function renderText(run: ProbeRun, diagnosis: CorsDiagnosis, audit: AuditReport | null, options: RenderOptions): string {
  const { style: s } = options;
  const lines: string[] = [];
  const first = run.exchange.legs[0]!.request;
  lines.push(
    s.bold(`${first.method} ${printable(first.url)}`) +
      s.dim(
        `  from a page at ${run.exchange.initiatorOrigin}, credentials: ${run.exchange.credentials === "include" ? "include" : "same-origin"}`,
      ),
  );
  if (options.includeSecrets)
    lines.push(s.yellow("Secrets included (--include-secrets): this output shows Cookie and Authorization values."));
  lines.push("");
  for (const record of run.wire) lines.push(...renderWire(record, options), "");
  if (run.stoppedBecause) lines.push(s.dim(`The browser stopped here: ${run.stoppedBecause}.`), "");

  lines.push(...renderVerdict(diagnosis, options));

  const others = diagnosis.findings.filter((f) => f !== diagnosis.blockedBy && f.id !== diagnosis.blockedBy?.id);
  if (others.length > 0) {
    lines.push("", s.bold("Other findings"));
    for (const f of others) lines.push(`  ${severityLabel(f, s)} ${f.id}: ${printable(f.title)}`, ...indent(prose(f.detail), 4));
  }

  const fixes = relevantFixes(diagnosis, run);
  if (fixes.shown.length > 0) {
    lines.push("", s.bold(`Fix (${fixes.findingId})`));
    for (const fix of fixes.shown) {
      lines.push(`  ${s.bold(printable(fix.title))}`, ...indent(printableBlock(fix.code), 4));
      if (fix.notes) lines.push(...indent(s.dim(prose(fix.notes)), 4));
    }
    if (fixes.more > 0) lines.push(s.dim(`  ${fixes.more} more recipe(s) for other stacks: --json lists them all.`));
  }

  if (diagnosis.assumptions && diagnosis.assumptions.length > 0) {
    lines.push("", s.dim("Assumed: " + diagnosis.assumptions.map(prose).join("; ")));
  }
  if (audit) {
    lines.push("", ...renderAudit(audit, s));
    const worst = ["high", "medium", "low"]
      .map((sev) => audit.results.find((r) => r.severity === sev && r.finding?.fixes?.length))
      .find(Boolean);
    if (worst?.finding?.fixes) {
      const chosen = pickFixes(worst.finding.fixes, detectedStacks(run));
      lines.push("", s.bold(`Fix (${worst.id})`));
      for (const fix of chosen.shown) {
        lines.push(`  ${s.bold(printable(fix.title))}`, ...indent(printableBlock(fix.code), 4));
        if (fix.notes) lines.push(...indent(s.dim(prose(fix.notes)), 4));
      }
      if (chosen.more > 0) lines.push(s.dim(`  ${chosen.more} more recipe(s) for other stacks: --json lists them all.`));
    }
  }
  return lines.join("\n") + "\n";
}

/** One request and its response as they went over the wire (already redacted by the caller). */
function renderWire(record: WireRecord, options: RenderOptions): string[] {
  const s = options.style;
  const req: HttpRequest = record.request;
  const u = new URL(req.url);
  const label = record.role === "preflight" ? "Preflight" : record.leg > 0 ? `Actual request (redirect ${record.leg})` : "Actual request";
  const out = [s.bold(label)];
  out.push(`  > ${req.method} ${printable(req.url.slice(u.origin.length) || "/")} HTTP/1.1`);
  out.push(`  > Host: ${printable(u.host)}`);
  for (const h of req.headers) out.push(`  > ${printable(h.name)}: ${printable(h.value)}`);
  const res = record.response;
  out.push(`  < HTTP/${printable(res.httpVersion)} ${res.status} ${printable(res.statusText ?? "")}`.trimEnd());
  for (const h of res.headers) {
    const line = `  < ${printable(h.name)}: ${printable(h.value)}`;
    out.push(/^access-control-/i.test(h.name) ? s.bold(line) : line);
  }
  return out;
}

function renderVerdict(d: CorsDiagnosis, options: RenderOptions): string[] {
  const s = options.style;
  const who = options.browser === "firefox" ? "Firefox" : "Chrome";
  if (d.verdict === "not-cors") return [s.bold("Verdict: not a CORS request") + s.dim(" (same origin: the browser does not check CORS)")];
  if (d.verdict === "allowed") return [s.green(s.bold(`Verdict: allowed`)) + ` — ${who} lets the page read this response.`];
  const out = [s.red(s.bold("Verdict: BLOCKED")) + ` — ${who} blocks this request.`];
  const f = d.blockedBy;
  if (f) {
    out.push(
      `  ${s.bold(printable(f.title))}  ${s.dim(`[${f.id}, on the ${f.request === "preflight" ? "preflight" : "actual request"}]`)}`,
    );
    out.push(...indent(prose(f.detail), 2));
    if (f.expected !== undefined) out.push(`  expected: ${printable(f.expected)}`);
    if (f.actual !== undefined) out.push(`  actual:   ${printable(f.actual)}`);
    const consoleLine = options.browser === "firefox" ? f.console?.firefox : f.console?.chrome;
    if (consoleLine) out.push(s.dim(`  ${who} console: ${printable(consoleLine)}`));
    if (f.spec) out.push(s.dim(`  spec: ${f.spec}`));
  }
  return out;
}

function severityLabel(f: Finding, s: Style): string {
  if (f.severity === "error") return s.red("error  ");
  if (f.severity === "warning") return s.yellow("warning");
  return s.dim("info   ");
}

function indent(text: string, n: number): string[] {
  const pad = " ".repeat(n);
  return text.split("\n").map((l) => pad + l);
}

/** Stacks the response names in Server / X-Powered-By (Werkzeug → Flask, Express, nginx…). */
export function detectedStacks(run: ProbeRun): string[] {
  const found = new Set<string>();
  for (const record of run.wire) {
    const banner = `${get(record.response.headers, "server") ?? ""} ${get(record.response.headers, "x-powered-by") ?? ""}`.toLowerCase();
    if (banner.includes("werkzeug") || banner.includes("flask")) {
      found.add("flask-cors");
      found.add("flask");
    }
    if (banner.includes("express")) {
      found.add("express");
      found.add("express-cors");
    }
    if (banner.includes("nginx")) found.add("nginx");
    if (banner.includes("apache")) found.add("apache");
    if (banner.includes("caddy")) found.add("caddy");
    if (banner.includes("asp.net") || banner.includes("kestrel")) found.add("aspnet");
  }
  return [...found];
}

/** The fixes of the blocking finding (else the first finding that has some), for the stacks seen, else two. */
function relevantFixes(d: CorsDiagnosis, run: ProbeRun): { findingId: string; shown: Fix[]; more: number } {
  const finding = d.blockedBy?.fixes?.length ? d.blockedBy : d.findings.find((f) => f.severity !== "info" && f.fixes?.length);
  const all = finding?.fixes ?? [];
  if (!finding || all.length === 0) return { findingId: "", shown: [], more: 0 };
  return { findingId: finding.id, ...pickFixes(all, detectedStacks(run)) };
}

/** The recipes for the stacks the server names; two when it names none (the rest are in --json). */
function pickFixes(all: Fix[], stacks: string[]): { shown: Fix[]; more: number } {
  const matching = all.filter((f) => stacks.some((st) => f.stack === st || f.stack.startsWith(st)));
  const shown = matching.length > 0 ? matching : all.slice(0, 2);
  return { shown, more: all.length - shown.length };
}

function renderAudit(report: AuditReport, s: Style): string[] {
  const out = [s.bold(`Audit: ${report.results.length} hostile origin(s), ${report.requestsSent} request(s)`)];
  const trusted = report.results.filter((r) => r.trusted && !r.subsumedBy);
  const subsumed = report.results.filter((r) => r.subsumedBy);
  if (trusted.length === 0) out.push(s.green("  No hostile origin is trusted."));
  for (const r of trusted) {
    const sev = r.severity === "high" ? s.red("HIGH  ") : r.severity === "medium" ? s.yellow("MEDIUM") : s.dim("LOW   ");
    out.push(`  ${sev} ${r.id}: ${printable(r.origin)} is trusted ${r.credentials ? "WITH credentials" : "without credentials"}`);
    if (r.finding) out.push(...indent(s.dim(printable(r.finding.title)), 9));
  }
  for (const cause of new Set(subsumed.map((r) => r.subsumedBy!))) {
    const list = subsumed.filter((r) => r.subsumedBy === cause);
    out.push(s.dim(`  …and, by the same ${cause}: ${list.map((r) => printable(r.origin)).join(", ")}`));
  }
  const errors = report.results.filter((r) => r.error);
  for (const r of errors) out.push(s.dim(`  (${printable(r.origin)}: ${printable(r.error!)})`));
  const untrusted = report.results.filter((r) => !r.trusted && !r.error);
  if (untrusted.length > 0) out.push(s.dim(`  Not trusted: ${untrusted.map((r) => printable(r.origin)).join(", ")}`));
  if (report.skipped.length > 0) out.push(s.dim(`  Not sent (--max-requests): ${report.skipped.map(printable).join(", ")}`));
  return out;
}
