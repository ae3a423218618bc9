// Compares the engine with the recorded browser truth (test/fixtures/matrix): per scenario, the
// actual request's verdict, and for Chromium the CorsError and failedParameter CDP reported.
// Two modes: the outcome as recorded (HAR `_error`), and headers alone (outcome stripped).
import { analyzeHar } from "../../src/core/har/analyze";
import type { CorsDiagnosis } from "../../src/core/model";
import { loadChromiumMatrix, loadFirefoxMatrix, scenarioIdOfUrl, type MatrixHar } from "../matrix/fixtures";

export interface Disagreement {
  id: string;
  fetch: number;
  field: "verdict" | "corsError" | "failedParameter" | "reason";
  browser: string;
  engine: string;
}

export interface Agreement {
  browser: "chrome" | "firefox";
  mode: "outcome" | "headers-only";
  scenarios: number;
  compared: number;
  disagreements: Disagreement[];
}

/** Removes what the browser said, so the engine must predict from headers alone. */
function stripOutcome(har: MatrixHar): MatrixHar {
  const copy = structuredClone(har);
  copy.log.creator = { name: "headers-only", version: "0" };
  for (const e of copy.log.entries) {
    if (e?.response) delete e.response._error;
  }
  return copy;
}

/** The diagnoses of each scenario's actual requests, in fetch order. */
function actualDiagnoses(har: MatrixHar, browser: "chrome" | "firefox"): Map<string, CorsDiagnosis[]> {
  const analysis = analyzeHar(har, { browser, fixes: false });
  const byScenario = new Map<string, CorsDiagnosis[]>();
  analysis.exchanges.forEach((group, i) => {
    const first = group.exchange.legs[0];
    const id = first ? scenarioIdOfUrl(first.request.url) : null;
    if (!id) return;
    const list = byScenario.get(id) ?? [];
    list.push(analysis.diagnoses[i]!);
    byScenario.set(id, list);
  });
  return byScenario;
}

const blockedOf = (d: CorsDiagnosis | undefined) => (d?.verdict === "blocked" ? "blocked" : "allowed");

/** Walks every recorded fetch of every scenario and collects what the engine got wrong. */
function agreement(
  browser: Agreement["browser"],
  mode: Agreement["mode"],
  har: MatrixHar,
  scenarios: Record<string, unknown>,
  compareBlocked: (truth: any, d: CorsDiagnosis | undefined) => Omit<Disagreement, "id" | "fetch"> | null,
): Agreement {
  const diagnoses = actualDiagnoses(mode === "outcome" ? har : stripOutcome(har), browser);
  const out: Agreement = { browser, mode, scenarios: 0, compared: 0, disagreements: [] };
  for (const [id, v] of Object.entries(scenarios)) {
    out.scenarios++;
    const perFetch = (v as any).perFetch ?? [v];
    const ds = diagnoses.get(id) ?? [];
    perFetch.forEach((truth: any, fetch: number) => {
      const d = ds[fetch];
      out.compared++;
      const want = truth.blocked ? "blocked" : "allowed";
      if (blockedOf(d) !== want) {
        const engine = `${blockedOf(d)} ${d?.blockedBy?.id ?? ""} ${(d?.assumptions ?? []).join("; ")}`;
        out.disagreements.push({ id, fetch, field: "verdict", browser: `${want} ${truth.reason ?? ""}`.trim(), engine });
        return;
      }
      const detail = truth.blocked ? compareBlocked(truth, d) : null;
      if (detail) out.disagreements.push({ id, fetch, ...detail });
    });
  }
  return out;
}

export function chromiumAgreement(mode: Agreement["mode"]): Agreement {
  const { har, verdicts } = loadChromiumMatrix();
  return agreement("chrome", mode, har, verdicts.scenarios, (truth, d) => {
    if ((truth.corsError ?? "") !== (d?.blockedBy?.chromeCorsError ?? "")) {
      return { field: "corsError", browser: truth.corsError ?? "", engine: `${d?.blockedBy?.chromeCorsError ?? ""} (${d?.blockedBy?.id})` };
    }
    if (truth.corsError && (truth.failedParameter ?? "") !== (d?.blockedBy?.failedParameter ?? "")) {
      return { field: "failedParameter", browser: truth.failedParameter ?? "", engine: d?.blockedBy?.failedParameter ?? "" };
    }
    return null;
  });
}

export function firefoxAgreement(mode: Agreement["mode"]): Agreement {
  const { har, verdicts } = loadFirefoxMatrix();
  return agreement("firefox", mode, har, (verdicts as any).scenarios ?? verdicts, (truth, d) =>
    truth.reason && truth.reason !== (d?.blockedBy?.firefoxReason ?? "")
      ? { field: "reason", browser: truth.reason, engine: `${d?.blockedBy?.firefoxReason ?? ""} (${d?.blockedBy?.id})` }
      : null,
  );
}
