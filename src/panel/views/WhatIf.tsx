// What-if: edit the captured headers and see the verdict recomputed by the engine at once, to try a fix
// before deploying it. Nothing is sent anywhere: the edited exchange is only diagnosed.
import { useMemo, useState } from "preact/hooks";
import { diagnoseExchange } from "../../core/diagnose";
import type { BrowserName, CorsDiagnosis, CredentialsMode, Exchange } from "../../core/model";
import { applyDraft, draftFrom, type WhatIfDraft } from "../what-if";
import { BlockingFinding, OtherFindings } from "./Findings";
import { HeaderComparison } from "./HeaderComparison";

function verdictWord(d: CorsDiagnosis): string {
  return d.verdict === "blocked" ? "Blocked" : d.verdict === "allowed" ? "Allowed" : "Not CORS";
}

export function WhatIf({ exchange, diagnosis, browser }: { exchange: Exchange; diagnosis: CorsDiagnosis; browser: BrowserName }) {
  const [draft, setDraft] = useState<WhatIfDraft>(() => draftFrom(exchange));
  const edited = useMemo(() => applyDraft(exchange, draft), [exchange, draft]);
  const result = useMemo(() => diagnoseExchange(edited, { browser }), [edited, browser]);
  const set = (patch: Partial<WhatIfDraft>) => setDraft({ ...draft, ...patch });
  return (
    <section class="what-if" aria-label="What if">
      <p class="muted">
        Edit the headers the server sends (or the request) and CORS Doctor diagnoses the edited request at once. Nothing is sent.
      </p>
      <div class="what-if-result" role="status" aria-live="polite">
        <span class="muted">Captured:</span> <span class={`badge ${diagnosis.verdict}`}>{verdictWord(diagnosis)}</span>
        <span class="arrow">→</span>
        <span class="muted">With your edits:</span>{" "}
        <span class={`badge ${result.verdict}`} data-what-if-verdict={result.verdict}>
          {verdictWord(result)}
        </span>
        <button type="button" class="tool" onClick={() => setDraft(draftFrom(exchange))}>
          Reset
        </button>
      </div>
      <div class="what-if-grid">
        <label>
          Credentials mode
          <select value={draft.credentials} onChange={(e) => set({ credentials: e.currentTarget.value as CredentialsMode })}>
            <option value="omit">omit</option>
            <option value="same-origin">same-origin</option>
            <option value="include">include</option>
          </select>
        </label>
        <label class="wide">
          Request headers
          <textarea
            rows={5}
            spellcheck={false}
            value={draft.requestHeaders}
            onInput={(e) => set({ requestHeaders: e.currentTarget.value })}
          />
        </label>
        {draft.hasPreflight && (
          <>
            <label>
              Preflight status
              <input
                type="text"
                inputMode="numeric"
                size={4}
                value={draft.preflightStatus}
                onInput={(e) => set({ preflightStatus: e.currentTarget.value })}
              />
            </label>
            <label class="wide">
              Preflight response headers
              <textarea
                rows={6}
                spellcheck={false}
                data-what-if="preflight"
                value={draft.preflightHeaders}
                onInput={(e) => set({ preflightHeaders: e.currentTarget.value })}
              />
            </label>
          </>
        )}
        <label>
          Response status
          <input
            type="text"
            inputMode="numeric"
            size={4}
            value={draft.actualStatus}
            onInput={(e) => set({ actualStatus: e.currentTarget.value })}
          />
        </label>
        <label class="wide">
          Response headers{exchange.legs.at(-1)?.response ? "" : " (the request got no response: assume these)"}
          <textarea
            rows={6}
            spellcheck={false}
            data-what-if="actual"
            value={draft.actualHeaders}
            onInput={(e) => set({ actualHeaders: e.currentTarget.value })}
          />
        </label>
      </div>
      <BlockingFinding diagnosis={result} browser={browser} />
      <HeaderComparison exchange={edited} diagnosis={result} />
      <OtherFindings diagnosis={result} />
    </section>
  );
}
