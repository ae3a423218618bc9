// Fix recipes for the user's stack: one tab per stack, the code filled with the request's real values, a copy button.
import { useState } from "preact/hooks";
import type { CorsDiagnosis, Fix } from "../../core/model";
import type { PanelServices } from "../services";
import { CopyButton } from "./CopyButton";

const STACK_KEY = "cors-doctor:stack";

function rememberedStack(): string | null {
  try {
    return localStorage.getItem(STACK_KEY);
  } catch {
    return null;
  }
}

export function fixesOf(diagnosis: CorsDiagnosis): Fix[] {
  const findings = diagnosis.blockedBy ? [diagnosis.blockedBy, ...diagnosis.findings] : diagnosis.findings;
  const seen = new Set<string>();
  const out: Fix[] = [];
  for (const f of findings) {
    for (const fix of f.fixes ?? []) {
      const key = `${fix.stack}\n${fix.code}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(fix);
      }
    }
  }
  return out;
}

export function Fixes({ diagnosis, services }: { diagnosis: CorsDiagnosis; services: PanelServices }) {
  const fixes = fixesOf(diagnosis);
  const stacks = [...new Set(fixes.map((f) => f.stack))];
  const [chosen, setChosen] = useState<string | null>(rememberedStack);
  if (fixes.length === 0) {
    return (
      <p class="muted">
        No server change is needed for this request{diagnosis.verdict === "blocked" ? " that CORS Doctor has a recipe for" : ""}.
      </p>
    );
  }
  const stack = chosen && stacks.includes(chosen) ? chosen : stacks[0]!;
  const choose = (s: string) => {
    setChosen(s);
    try {
      localStorage.setItem(STACK_KEY, s);
    } catch {
      /* remembering the stack is a convenience */
    }
  };
  return (
    <section class="fixes" aria-label="Fixes">
      <div class="tabs small" role="tablist" aria-label="Server stack">
        {stacks.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={s === stack}
            class={s === stack ? "tab active" : "tab"}
            onClick={() => choose(s)}
          >
            {s}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-label={stack}>
        {fixes
          .filter((f) => f.stack === stack)
          .map((fix, i) => (
            <div class="fix" key={i}>
              <div class="fix-head">
                <b>{fix.title}</b>
                <CopyButton text={fix.code} services={services} label="Copy fix" />
              </div>
              <pre class="code">{fix.code}</pre>
              {fix.notes && <p class="muted">{fix.notes}</p>}
            </div>
          ))}
      </div>
    </section>
  );
}
