// The HAR layer's public surface: read (Chrome, Firefox, our own export), analyze, write.
export * from "./types";
export { HarError, parseHar, parseHarLog, parseHarEntry, harEntriesToExchanges, type ParsedHar } from "./read";
export { HarGrouper, isPreflightEntry, DEFAULT_GROUP_WINDOW, CORS_DOCTOR_CREATOR, type GroupOptions } from "./group";
export { analyzeHar, entryResults, groupEntryOf, type HarAnalysis, type HarEntryResult } from "./analyze";
export { entryDiagnoses } from "./roles";
export { buildHarReport, chromeResourceType, type ReportItem, type ReportOptions } from "./write";
