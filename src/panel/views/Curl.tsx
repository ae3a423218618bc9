// Copy-as-curl for the preflight and the actual request, secrets removed unless the user includes them.
import { useState } from "preact/hooks";
import { curlForActual, curlForPreflight } from "../../core/curl";
import type { Exchange } from "../../core/model";
import type { PanelServices } from "../services";
import { CopyButton } from "./CopyButton";
import { SafeText } from "./SafeText";

export function Curl({ exchange, services }: { exchange: Exchange; services: PanelServices }) {
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const preflight = curlForPreflight(exchange, { includeSecrets });
  const actual = curlForActual(exchange, { includeSecrets });
  return (
    <section class="curl" aria-label="Copy as curl">
      <label class="check">
        <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} /> Include secrets
        (cookies, Authorization, tokens)
      </label>
      {preflight && (
        <div class="fix">
          <div class="fix-head">
            <b>Preflight</b>
            <CopyButton text={preflight} services={services} label="Copy preflight as curl" secrets={includeSecrets} />
          </div>
          <pre class="code" data-curl="preflight">
            <SafeText value={preflight} limit={8000} multiline />
          </pre>
        </div>
      )}
      {actual && (
        <div class="fix">
          <div class="fix-head">
            <b>Actual request</b>
            <CopyButton text={actual} services={services} label="Copy request as curl" secrets={includeSecrets} />
          </div>
          <pre class="code" data-curl="actual">
            <SafeText value={actual} limit={8000} multiline />
          </pre>
        </div>
      )}
      <p class="muted">curl does not enforce CORS: run these and read the Access-Control-* headers of the responses.</p>
    </section>
  );
}
