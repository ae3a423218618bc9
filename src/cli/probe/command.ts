// `cors-doctor probe`: what the browser sends, what the server answers, what the browser decides.
import { curlForRequest } from "../../core/curl";
import { diagnoseExchange } from "../../core/diagnose";
import type { CorsDiagnosis, HttpRequest } from "../../core/model";
import { preflightNeeded } from "../../core/safelist";
import pkg from "../../../package.json";
import { UsageError, type CliIo } from "../io";
import { refineDiagnosis, runAudit, type AuditReport } from "./audit";
import { actualRequest, preflightRequest } from "./browser-requests";
import { parseProbeArgs, PROBE_USAGE, type ProbeOptions } from "./options";
import { redactProbeOutput, type ProbeOutput } from "./redact-run";
import { renderText } from "./render-text";
import { makeStyle } from "../style";
import { runBrowserFetch, type ProbeRun } from "./run-exchange";
import { ProbeNetworkError, sendOverWire, type Transport } from "./wire";

export interface ProbeDependencies {
  send?: Transport;
  sleep?: (ms: number) => Promise<void>;
}

export async function runProbe(args: string[], io: CliIo, deps: ProbeDependencies = {}): Promise<number> {
  const parsed = parseProbeArgs(args);
  if (parsed.help) {
    io.stdout(PROBE_USAGE + "\n");
    return 0;
  }
  const options = parsed.options;
  if (options.cookie !== null && !options.credentials) {
    io.stderr('probe: note: --cookie is not sent without --credentials (a cross-origin fetch() sends cookies only with credentials: "include")\n');
  }
  if (options.curl) return printCurl(options, io);

  const send = deps.send ?? sendOverWire;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let run: ProbeRun;
  try {
    run = await runBrowserFetch(options, send);
  } catch (err) {
    if (err instanceof ProbeNetworkError) throw new UsageError(`probe: ${err.message}`);
    throw err;
  }
  const diagnosis = diagnoseExchange(run.exchange, { browser: options.browser });
  if (options.audit && !/^(GET|HEAD)$/.test(options.method)) {
    io.stderr(`probe: note: --audit repeats the ${options.method} request once per hostile origin (at most ${options.maxRequests} requests)\n`);
  }
  const audit = options.audit ? await runAudit(options, send, sleep) : null;

  const raw = { run, diagnosis: audit ? refineDiagnosis(diagnosis, audit) : diagnosis, audit };
  const shown = options.includeSecrets ? raw : redactProbeOutput(raw);
  if (options.json) io.stdout(JSON.stringify(jsonReport(shown, options), null, 2) + "\n");
  else io.stdout(renderText(shown.run, shown.diagnosis, shown.audit, { includeSecrets: options.includeSecrets, browser: options.browser, style: makeStyle(io.color && !io.env.NO_COLOR) }));

  return exitStatus(diagnosis, audit);
}

/** CONTRACTS §3: 1 when blocked or an error-severity finding, or (with --audit) a high-severity trust. */
export function exitStatus(diagnosis: CorsDiagnosis, audit: AuditReport | null): number {
  if (diagnosis.verdict === "blocked" || diagnosis.findings.some((f) => f.severity === "error")) return 1;
  if (audit?.results.some((r) => r.severity === "high")) return 1;
  return 0;
}

/** CONTRACTS §3 `--json` of probe; `output` is already redacted unless --include-secrets. */
function jsonReport({ run, diagnosis, audit }: ProbeOutput, options: ProbeOptions) {
  return {
    tool: "cors-doctor",
    version: pkg.version,
    secretsIncluded: options.includeSecrets,
    exchanges: run.wire.map((w) => ({
      role: w.role,
      leg: w.leg,
      request: { method: w.request.method, url: w.request.url, headers: w.request.headers },
      response: { status: w.response.status, statusText: w.response.statusText, httpVersion: w.response.httpVersion, headers: w.response.headers },
    })),
    stoppedBecause: run.stoppedBecause ?? null,
    diagnosis,
    audit: audit
      ? audit.results.map((r) => ({
          origin: r.origin,
          id: r.id,
          trusted: r.trusted,
          credentials: r.credentials,
          severity: r.severity,
          preflight: r.preflight,
          actual: r.actual,
          ...(r.error ? { error: r.error } : {}),
          ...(r.subsumedBy ? { subsumedBy: r.subsumedBy } : {}),
          finding: r.finding,
        }))
      : [],
    ...(audit ? { auditRequests: audit.requestsSent, auditSkipped: audit.skipped } : {}),
  };
}

/** `--curl`: the requests the browser would send first (the preflight when needed, then the actual one), sending nothing. */
function printCurl(options: ProbeOptions, io: CliIo): number {
  const crossOrigin = options.origin === "null" || new URL(options.url).origin !== options.origin;
  const requests: Array<{ role: string; request: HttpRequest }> = [];
  if (crossOrigin && preflightNeeded(options.method, options.headers, options.browser)) {
    requests.push({ role: "preflight", request: preflightRequest(options.url, options.origin, options.method, options.headers, options.browser) });
  }
  const cookie = options.credentials ? options.cookie : null;
  requests.push({ role: "actual", request: actualRequest(options.url, options.origin, options.method, options.headers, cookie) });
  const commands = requests.map((r) => ({ role: r.role, command: curlForRequest(r.request, { includeSecrets: options.includeSecrets }) }));
  if (options.json) {
    io.stdout(JSON.stringify({ tool: "cors-doctor", version: pkg.version, curl: commands }, null, 2) + "\n");
  } else {
    for (const c of commands) io.stdout(`# ${c.role === "preflight" ? "Preflight (the browser sends this first)" : "Actual request"}\n${c.command}\n\n`);
  }
  return 0;
}
