// Secret-free copies of everything the probe prints: the wire (Cookie, Authorization, API keys,
// credential-like query parameters), then the diagnosis and audit scrubbed of any secret they quote
// (a finding's `actual` or a recipe can repeat a header value or the URL). One place, before any output.
import type { CorsDiagnosis, Exchange, Leg } from "../../core/model";
import { Redaction, redactHeaders, redactUrl } from "../../core/redact";
import type { AuditReport } from "./audit";
import type { ProbeRun } from "./run-exchange";

export interface ProbeOutput {
  run: ProbeRun;
  diagnosis: CorsDiagnosis;
  audit: AuditReport | null;
}

export function redactProbeOutput(output: ProbeOutput): ProbeOutput {
  const redaction = new Redaction();
  const request = <T extends { url: string; headers: { name: string; value: string }[] }>(r: T): T => ({
    ...r,
    url: redactUrl(r.url, redaction),
    headers: redactHeaders(r.headers, redaction),
  });
  const response = <T extends { headers: { name: string; value: string }[] }>(r: T): T => ({
    ...r,
    headers: redactHeaders(r.headers, redaction),
  });
  const legs: Leg[] = output.run.exchange.legs.map((leg) => ({
    ...leg,
    request: request(leg.request),
    ...(leg.response ? { response: response(leg.response) } : {}),
    ...(leg.preflight
      ? {
          preflight: {
            ...leg.preflight,
            request: request(leg.preflight.request),
            ...(leg.preflight.response ? { response: response(leg.preflight.response) } : {}),
          },
        }
      : {}),
  }));
  const exchange: Exchange = { ...output.run.exchange, legs };
  const wire = output.run.wire.map((w) => ({ ...w, request: request(w.request), response: response(w.response) }));
  return {
    run: redaction.scrub({ ...output.run, exchange, wire }),
    diagnosis: redaction.scrub(output.diagnosis),
    audit: redaction.scrub(output.audit),
  };
}
