// The public surface of the pure engine: the background worker, the panel and the CLI import from here.
export * from "./model";
export { diagnoseExchange, diagnoseLog, withFixes, type DiagnoseOptions } from "./diagnose";
