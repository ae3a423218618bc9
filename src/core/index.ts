// The public surface of the pure engine: the background worker, the panel and the CLI import from here.
export * from "./model";
export { diagnoseExchange, diagnoseLog, withFixes, type DiagnoseOptions } from "./diagnose";
export { fixesFor, STACKS, type FixContext } from "./fixes/index";
export { analyzeHar, type HarAnalysis, type HarEntryResult } from "./har/analyze";
export { buildHarReport, type ReportItem, type ReportOptions } from "./har/write";
export { HarError, harEntriesToExchanges, parseHar } from "./har/read";
export { REDACTED, isSecretHeader, isSecretQueryParam, redactHeaders, redactUrl } from "./redact";
export { preflightNeeded, preflightReasons, unsafeRequestHeaderNames, normalizeMethod } from "./safelist";
export { curlForRequest, curlForActual, curlForPreflight } from "./curl";
export { CookieSummary } from "./lints/cookies";
export { allowListPattern, refineWithAudit, type AuditFact, type AllowListPattern } from "./lints/audit-refine";
export { classifyError, type NotCorsId } from "./checks/not-cors";
