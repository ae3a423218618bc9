// The value a failing check returns. Checks never format text: findings/ maps these to words.
import type { Finding } from "../model";

/** The evidence fields a failure shares with the Finding it becomes (contracts §1). */
export type Evidence = Pick<Finding, "header" | "expected" | "actual" | "chromeCorsError" | "failedParameter" | "firefoxReason">;

export interface CheckFailure extends Evidence {
  /** Finding id (contracts §1), e.g. "preflight-header-not-allowed". */
  id: string;
  request: "preflight" | "actual";
  /** Which leg (0 = first URL) the evidence is on. */
  leg: number;
  /** URL of the failing request and the response status, for messages. */
  url: string;
  status?: number;
}
