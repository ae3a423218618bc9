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
export function corsResponses(ctx: LintContext): Array<{ response: HttpResponse; request: "preflight" | "actual" }> {
  const out: Array<{ response: HttpResponse; request: "preflight" | "actual" }> = [];
  ctx.exchange.legs.forEach((leg, i) => {
    if (!ctx.walk.legs[i]?.corsChecked) return;
    if (leg.preflight?.response) out.push({ response: leg.preflight.response, request: "preflight" });
    if (leg.response) out.push({ response: leg.response, request: "actual" });
  });
  return out;
}
