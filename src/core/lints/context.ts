// What every lint gets: the exchange, the walk the checks made, and what was decided about it.
import type { Walk } from "../checks/walk";
import type { CheckFailure } from "../checks/failure";
import type { BrowserName, Exchange, Finding, HttpResponse } from "../model";

export interface LintContext {
  exchange: Exchange;
  walk: Walk;
  /** The page's serialised origin. */
  origin: string;
  credentialsInclude: boolean;
  browser: BrowserName;
  /** The failure the browser reports, when blocked. */
  failure: CheckFailure | null;
  /** `corsResponses` of this context, once computed (several lints read it). */
  corsResponses?: CorsResponse[];
}

export interface CorsResponse {
  response: HttpResponse;
  request: "preflight" | "actual";
}

const NO_RESPONSES = Object.freeze([]) as unknown as CorsResponse[];

/** What a lint returns when it finds nothing: shared, never modified. */
export const NO_FINDINGS = Object.freeze([]) as unknown as LintFinding[];

/** Adds a finding to a lint's list, which starts as `NO_FINDINGS` (most exchanges have none). */
export function adding(out: LintFinding[], finding: LintFinding): LintFinding[] {
  if (out === NO_FINDINGS) return [finding];
  out.push(finding);
  return out;
}

/** A lint finding before fixes are attached. */
export type LintFinding = Omit<Finding, "fixes">;

export type Lint = (ctx: LintContext) => LintFinding[];

/** The final response of the actual request, if any. */
export function finalResponse(ctx: LintContext): HttpResponse | undefined {
  return ctx.exchange.legs[ctx.exchange.legs.length - 1]?.response;
}

/** Every preflight response of the exchange. */
export function preflightResponses(ctx: LintContext): HttpResponse[] {
  return ctx.exchange.legs.flatMap((l) => (l.preflight?.response ? [l.preflight.response] : []));
}

/** All responses the CORS check applied to: preflights and CORS-checked legs. */
export function corsResponses(ctx: LintContext): CorsResponse[] {
  if (ctx.corsResponses) return ctx.corsResponses;
  let out: CorsResponse[] | null = null;
  const legs = ctx.exchange.legs;
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i]!;
    if (!ctx.walk.legs[i]?.corsChecked) continue;
    if (leg.preflight?.response) {
      const r: CorsResponse = { response: leg.preflight.response, request: "preflight" };
      if (out) out.push(r);
      else out = [r];
    }
    if (leg.response) {
      const r: CorsResponse = { response: leg.response, request: "actual" };
      if (out) out.push(r);
      else out = [r];
    }
  }
  ctx.corsResponses = out ?? NO_RESPONSES;
  return ctx.corsResponses;
}
