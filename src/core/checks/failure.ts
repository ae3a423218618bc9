// The value a failing check returns. Checks never format text: findings/ maps these to words.

export interface CheckFailure {
  /** Finding id (contracts §1), e.g. "preflight-header-not-allowed". */
  id: string;
  request: "preflight" | "actual";
  /** The header at fault, lower-case. */
  header?: string;
  expected?: string;
  actual?: string;
  /** Chromium's network::mojom::CorsError name (CDP Network.CorsError), when Chromium reports one. */
  chromeCorsError?: string;
  /** As Chromium reports it in corsErrorStatus.failedParameter. */
  failedParameter?: string;
  /** Firefox's console category (security.properties key). */
  firefoxReason?: string;
  /** Which leg (0 = first URL) the evidence is on. */
  leg: number;
  /** URL of the failing request and the response status, for messages. */
  url: string;
  status?: number;
}
