// The single-exchange lints, in the order their findings are listed (severity sorts them later).
import type { Lint } from "./context";
import { exposedHeadersLint } from "./exposed-headers";
import { maxAgeLint } from "./max-age";
import { rootCausesLint } from "./root-causes";
import { trustedOriginsLint } from "./trusted-origins";
import { varyLint } from "./vary";
import { wildcardsLint } from "./wildcards";

export const EXCHANGE_LINTS: Lint[] = [rootCausesLint, trustedOriginsLint, varyLint, wildcardsLint, maxAgeLint, exposedHeadersLint];
export type { LintContext, LintFinding } from "./context";
