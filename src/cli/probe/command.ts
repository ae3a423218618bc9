// `cors-doctor probe`: what the browser sends, what the server answers, what the browser decides.
import { curlForRequest } from "../../core/curl";
import { diagnoseExchange } from "../../core/diagnose";
import type { CorsDiagnosis, HttpRequest } from "../../core/model";
import { preflightNeeded } from "../../core/safelist";
import pkg from "../../../package.json";
import { isSecretHeader, scrubText } from "../../core/redact";
import { outputEdge, UsageError, type CliIo } from "../io";
import { refineDiagnosis, runAudit, type AuditReport } from "./audit";
import { actualRequest, preflightRequest } from "./browser-requests";
import { parseProbeArgs, PROBE_USAGE, type ProbeOptions } from "./options";
import { redactProbeOutput, type ProbeOutput } from "./redact-run";
import { renderText } from "./render-text";
import { makeStyle, printable } from "../style";
import { runBrowserFetch, type ProbeRun } from "./run-exchange";
import { ProbeNetworkError, sendOverWire, type Transport } from "./wire";

export interface ProbeDependencies {
  send?: Transport;
  sleep?: (ms: number) => Promise<void>;
}

export async function runProbe(args: string[], rawIo: CliIo, deps: ProbeDependencies = {}): Promise<number> {
  let parsed: ReturnType<typeof parseProbeArgs>;
  try {
    parsed = parseProbeArgs(args);
  } catch (err) {
    // Usage errors quote the arguments (a URL with its token): they are output too.
    if (err instanceof UsageError && !args.includes("--include-secrets")) throw new UsageError(scrubText(err.message));
    throw err;
  }
  if (parsed.help) {
    rawIo.stdout(PROBE_USAGE + "\n");
    return 0;
  }
  const options = parsed.options;
  // From here on everything written passes the output edge (secrets, terminal escapes).
  const io = outputEdge(rawIo, { includeSecrets: options.includeSecrets, jsonStdout: options.json });
  try {
    return await probeWith(options, io, deps);
  } catch (err) {
    // The network error names the URL: the same edge as any other line.
    if (err instanceof UsageError && !options.includeSecrets) throw new UsageError(scrubText(err.message));
    throw err;
  }
}

async function probeWith(options: ProbeOptions, io: CliIo, deps: ProbeDependencies): Promise<number> {
  if (options.cookie !== null && !options.credentials) {
    io.stderr(
      'probe: note: --cookie is not sent without --credentials (a cross-origin fetch() sends cookies only with credentials: "include")\n',
    );
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
  if (run.cookieWithheld) {
    io.stderr(
      "probe: note: --cookie was not sent after the redirect (another host, or http after https: a cookie for https never travels in clear)\n",
    );
  }
  const forwardedSecrets = (run.forwarded ?? []).filter((f) => isSecretHeader(f.header));
  for (const f of forwardedSecrets) {
    io.stderr(
      `probe: note: the redirect took ${printable(f.header)} on to ${printable(f.to)}, as a browser does (--no-forward-headers keeps it from other origins)\n`,
    );
  }
  if (options.audit && !/^(GET|HEAD)$/.test(options.method)) {
    io.stderr(
      `probe: note: --audit repeats the ${options.method} request once per hostile origin (at most ${options.maxRequests} requests)\n`,
    );
  }
  // On a terminal, which origin the audit is trying (it can take a while with --delay); nothing otherwise.
  const tty = io.stderrIsTTY === true;
  const progress = tty
    ? (origin: string, done: number, total: number) =>
        io.stderr(`\r\u001b[2Kprobe: audit ${done + 1}/${total}: trying Origin ${printable(origin)}`)
    : undefined;
  const audit = options.audit ? await runAudit(options, send, sleep, progress) : null;
  if (audit && tty) io.stderr("\r\u001b[2K");

  const raw = { run, diagnosis: audit ? refineDiagnosis(diagnosis, audit) : diagnosis, audit };
  const shown = options.includeSecrets ? raw : redactProbeOutput(raw);
  if (options.json) io.stdout(JSON.stringify(jsonReport(shown, options), null, 2) + "\n");
  else
    io.stdout(
      renderText(shown.run, shown.diagnosis, shown.audit, {
        includeSecrets: options.includeSecrets,
        browser: options.browser,
        style: makeStyle(io.color && !io.env.NO_COLOR),
      }),
    );

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
      response: {
        status: w.response.status,
        statusText: w.response.statusText,
        httpVersion: w.response.httpVersion,
        headers: w.response.headers,
      },
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
    requests.push({
      role: "preflight",
      request: preflightRequest(options.url, options.origin, options.method, options.headers, options.browser),
    });
  }
  const cookie = options.credentials ? options.cookie : null;
  requests.push({ role: "actual", request: actualRequest(options.url, options.origin, options.method, options.headers, cookie) });
  const commands = requests.map((r) => ({ role: r.role, command: curlForRequest(r.request, { includeSecrets: options.includeSecrets }) }));
  if (options.json) {
    io.stdout(JSON.stringify({ tool: "cors-doctor", version: pkg.version, curl: commands }, null, 2) + "\n");
  } else {
    for (const c of commands)
      io.stdout(`# ${c.role === "preflight" ? "Preflight (the browser sends this first)" : "Actual request"}\n${c.command}\n\n`);
  }
  return 0;
}
