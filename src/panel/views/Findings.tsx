// The blocking finding in plain words with both browsers' console lines, and the other findings.
import type { BrowserName, CorsDiagnosis, Finding } from "../../core/model";
import { SafeText } from "./SafeText";

/** Links come from the engine's catalog, but are still checked: only https links are made clickable. */
function SpecLink({ href }: { href?: string }) {
  if (!href || !/^https:\/\//i.test(href)) return null;
  return (
    <a class="spec-link" href={href} target="_blank" rel="noreferrer noopener">
      Fetch standard ↗
    </a>
  );
}

const otherBrowser: Record<BrowserName, BrowserName> = { chrome: "firefox", firefox: "chrome" };
const browserName: Record<BrowserName, string> = { chrome: "Chrome", firefox: "Firefox" };

function BrowserDifference({ finding, browser }: { finding: Finding; browser: BrowserName }) {
  const b = finding.browsers;
  if (!b) return null;
  if (b.chrome === b.firefox)
    return <p class="browsers">Chrome and Firefox both {b.chrome === "blocks" ? "block" : "allow"} this request.</p>;
  const other = otherBrowser[browser];
  return (
    <p class="browsers differs">
      Browsers differ: Chrome {b.chrome === "blocks" ? "blocks" : "allows"} it, Firefox {b.firefox === "blocks" ? "blocks" : "allows"} it
      {b[other] !== b[browser] ? ` — in ${browserName[other]} this request would behave differently.` : "."}
    </p>
  );
}

function ConsoleLine({ browser, line }: { browser: string; line?: string }) {
  if (!line) return null;
  return (
    <div class="console-line">
      <span class="console-browser">{browser} console</span>
      <code class="mono">
        <SafeText value={line} limit={1000} />
      </code>
    </div>
  );
}

function Values({ finding }: { finding: Finding }) {
  if (finding.expected === undefined && finding.actual === undefined && !finding.header) return null;
  return (
    <dl class="values">
      {finding.header && (
        <>
          <dt>Header</dt>
          <dd class="mono">{finding.header}</dd>
        </>
      )}
      {finding.expected !== undefined && (
        <>
          <dt>Expected</dt>
          <dd class="mono">
            <SafeText value={finding.expected} limit={500} />
          </dd>
        </>
      )}
      {finding.actual !== undefined && (
        <>
          <dt>Received</dt>
          <dd class="mono">
            <SafeText value={finding.actual} limit={500} />
          </dd>
        </>
      )}
    </dl>
  );
}

export function BlockingFinding({ diagnosis, browser }: { diagnosis: CorsDiagnosis; browser: BrowserName }) {
  const finding = diagnosis.blockedBy;
  if (!finding) {
    return (
      <section class={`verdict-box ${diagnosis.verdict}`} aria-label="Verdict">
        <h3>{diagnosis.verdict === "not-cors" ? "Not a CORS request" : "Allowed by CORS"}</h3>
        {diagnosis.assumptions && diagnosis.assumptions.length > 0 && <Assumptions list={diagnosis.assumptions} />}
      </section>
    );
  }
  return (
    <section class="verdict-box blocked" aria-label="Why it was blocked">
      <h3>
        <span class="badge error">Blocked</span> <SafeText value={finding.title} limit={500} />
      </h3>
      <p class="finding-detail">
        <SafeText value={finding.detail} limit={4000} />
      </p>
      <Values finding={finding} />
      <ConsoleLine browser="Chrome" line={finding.console?.chrome} />
      <ConsoleLine browser="Firefox" line={finding.console?.firefox} />
      <p class="meta">
        {finding.chromeCorsError && (
          <span>
            Chrome error <code>{finding.chromeCorsError}</code>
            {finding.failedParameter ? (
              <>
                {" "}
                (<SafeText value={finding.failedParameter} limit={200} />)
              </>
            ) : null}
          </span>
        )}
        {finding.firefoxReason && (
          <span>
            Firefox reason <code>{finding.firefoxReason}</code>
          </span>
        )}
        <span>on the {finding.request === "preflight" ? "preflight" : "actual request"}</span>
        <SpecLink href={finding.spec} />
      </p>
      <BrowserDifference finding={finding} browser={browser} />
      {diagnosis.assumptions && diagnosis.assumptions.length > 0 && <Assumptions list={diagnosis.assumptions} />}
    </section>
  );
}

function Assumptions({ list }: { list: string[] }) {
  return (
    <ul class="assumptions" aria-label="Assumptions">
      {list.map((a, i) => (
        <li key={i}>
          Assumed: <SafeText value={a} limit={500} />
        </li>
      ))}
    </ul>
  );
}

export function OtherFindings({ diagnosis }: { diagnosis: CorsDiagnosis }) {
  const others = diagnosis.findings.filter((f) => f.id !== diagnosis.blockedBy?.id);
  if (others.length === 0) return null;
  return (
    <section class="findings" aria-label="Other findings">
      <h3>Other findings</h3>
      <ul>
        {others.map((f, i) => (
          <li key={`${f.id}-${i}`} class={`finding ${f.severity}`}>
            <span class={`badge ${f.severity}`}>{f.severity}</span>{" "}
            <b>
              <SafeText value={f.title} limit={500} />
            </b>
            <div class="finding-detail">
              <SafeText value={f.detail} limit={2000} />
            </div>
            <Values finding={f} />
            <SpecLink href={f.spec} />
          </li>
        ))}
      </ul>
    </section>
  );
}
