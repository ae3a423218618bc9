// The timeline of one exchange: the preflight (or why there was none), the actual request, each redirect hop,
// and how it ended.
import { Fragment } from "preact";
import type { BrowserName, CorsDiagnosis, Exchange, Leg } from "../../core/model";
import { preflightNeeded, preflightReasons } from "../../core/safelist";
import { SafeText } from "./SafeText";

function NoPreflight({ leg, browser }: { leg: Leg; browser: BrowserName }) {
  const { method, headers } = leg.request;
  if (!preflightNeeded(method, headers, browser)) {
    return (
      <li class="step none">
        <span class="step-kind">No preflight needed</span>
        <span class="step-text">
          because {method.toUpperCase()} is a CORS-safelisted method and every header the page set is CORS-safelisted (Fetch “CORS-preflight
          fetch” is skipped).
        </span>
      </li>
    );
  }
  return (
    <li class="step cached">
      <span class="step-kind">Preflight cached</span>
      <span class="step-text">
        A preflight was needed ({preflightReasons(method, headers, browser).join("; ")}) but none was sent: the browser reused a cached
        preflight (Access-Control-Max-Age, or 5 s by default in Chromium), or it was sent before capture started.
      </span>
    </li>
  );
}

function statusOf(leg: Pick<Leg, "response">, error?: string): string {
  if (leg.response) return `${leg.response.status}${leg.response.statusText ? " " + leg.response.statusText : ""}`;
  return error ?? "no response";
}

export function Timeline({ exchange, diagnosis, browser }: { exchange: Exchange; diagnosis: CorsDiagnosis; browser: BrowserName }) {
  const outcome = exchange.outcome;
  // A preflight with an ok status can still fail the CORS checks (e.g. a header missing from ACAH).
  const preflightFailed = diagnosis.blockedBy?.request === "preflight";
  return (
    <ol class="timeline" aria-label="Timeline">
      {exchange.legs.map((leg, i) => (
        <Fragment key={i}>
          {leg.preflight ? (
            <li
              class={`step preflight ${!preflightFailed && leg.preflight.response && leg.preflight.response.status < 300 && leg.preflight.response.status >= 200 ? "ok" : "bad"}`}
            >
              <span class="step-kind">Preflight</span>
              <span class="step-text mono">
                OPTIONS <SafeText value={leg.preflight.request.url} limit={300} /> → {statusOf(leg.preflight, leg.preflight.error)}
              </span>
            </li>
          ) : (
            i === 0 && <NoPreflight leg={leg} browser={browser} />
          )}
          <li class={`step ${i === 0 ? "actual" : "redirect"}`}>
            <span class="step-kind">{i === 0 ? "Request" : `Redirect hop ${i}`}</span>
            <span class="step-text mono">
              {leg.request.method} <SafeText value={leg.request.url} limit={300} /> →{" "}
              {leg.response
                ? statusOf(leg)
                : leg.preflight && preflightFailed
                  ? "never sent: the preflight failed"
                  : outcome.kind === "failed"
                    ? "no response"
                    : "no response (yet)"}
            </span>
          </li>
        </Fragment>
      ))}
      <li class={`step end ${outcome.kind}`}>
        <span class="step-kind">Outcome</span>
        <span class="step-text">
          {outcome.kind === "failed" ? (
            <>
              failed: <SafeText value={outcome.error} limit={200} />
            </>
          ) : outcome.kind === "completed" ? (
            "completed (the network layer delivered a response)"
          ) : (
            "unknown (predicted from the headers)"
          )}
        </span>
      </li>
    </ol>
  );
}
