// One exchange's diagnosis → the diagnosis of each of its HAR entries (the CLI's rows, the report's `_cors`).
// The engine sees one Exchange with its preflights inside; the entry view splits it back per request.
import type { CorsDiagnosis, Exchange } from "../model";

/**
 * Adds what the reader assumed (who wrote the file, a sanitized export) to a diagnosis of a request CORS
 * governs; a not-cors verdict keeps its one reason. Idempotent: the batch and the streaming path may both apply it.
 */
export function withReaderAssumptions(diagnosis: CorsDiagnosis, assumptions: string[] | undefined): CorsDiagnosis {
  if (!assumptions || assumptions.length === 0 || diagnosis.verdict === "not-cors") return diagnosis;
  const have = diagnosis.assumptions ?? [];
  const added = assumptions.filter((a) => !have.includes(a));
  return added.length === 0 ? diagnosis : { ...diagnosis, assumptions: [...have, ...added] };
}

/**
 * `entryOf(leg, part)` gives the entry id of a leg's request or preflight (undefined when that request has
 * no entry of its own). Returns the per-entry diagnoses, keyed by entry id.
 */
export function entryDiagnoses(
  exchange: Exchange,
  diagnosis: CorsDiagnosis,
  entryOf: (legIndex: number, part: "preflight" | "request") => number | undefined,
): Map<number, CorsDiagnosis> {
  const result = new Map<number, CorsDiagnosis>();
  exchange.legs.forEach((leg, legIndex) => {
    const requestEntry = entryOf(legIndex, "request");
    const preflightEntry = leg.preflight ? entryOf(legIndex, "preflight") : undefined;
    if (requestEntry !== undefined) {
      const role = diagnosis.verdict === "not-cors" ? "not-cors" : "actual";
      result.set(requestEntry, { ...diagnosis, role, pairedWith: preflightEntry ?? null });
    }
    if (preflightEntry !== undefined) {
      // The preflight itself is blocked only when the failure the browser reports is on the preflight.
      const blocked = diagnosis.verdict === "blocked" && diagnosis.blockedBy?.request === "preflight";
      const preflight: CorsDiagnosis = {
        role: "preflight",
        pairedWith: requestEntry ?? null,
        verdict: blocked ? "blocked" : "allowed",
        blockedBy: blocked ? diagnosis.blockedBy : null,
        findings: diagnosis.findings.filter((f) => f.request === "preflight"),
      };
      if (diagnosis.assumptions) preflight.assumptions = diagnosis.assumptions;
      result.set(preflightEntry, preflight);
    }
  });
  return result;
}
