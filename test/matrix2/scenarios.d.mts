// Types for scenarios.mjs (the project compiles TS with allowJs off; scripts import the .mjs directly).
export type HeaderLine = [string, string];
export interface ResponseSpec {
  status: number;
  headers: HeaderLine[];
  body?: string;
  bodyKind?: "png" | "font" | "font-css" | "module" | "script" | "json";
  delayMs?: number;
}
export interface ServerSpec {
  preflight?: ResponseSpec;
  actual: ResponseSpec;
  redirect?: ResponseSpec;
  hop?: ResponseSpec;
  hopPreflight?: ResponseSpec;
  requireCookie?: string;
}
export type ServerName = "main" | "pub" | "plain" | "wrongname" | "expired" | "unknown" | "reset" | "empty" | "hang" | "refused";
export interface PageSpec {
  server?: ServerName;
  host?: string;
  headers?: HeaderLine[];
}
export type ActionKind = "fetch" | "xhr" | "worker" | "iframe" | "sw" | "sw-passthrough" | "img" | "font" | "module" | "script" | "beacon";
export interface ActionSpec {
  kind: ActionKind;
  server?: ServerName;
  host?: string;
  init?: {
    method?: string;
    headers?: [string, string][];
    credentials?: string;
    mode?: string;
    redirect?: string;
    body?: string;
    integrity?: string;
    targetAddressSpace?: string;
  };
  crossOrigin?: "anonymous" | "use-credentials";
  integrity?: string;
  readHeader?: string;
  abortAfterMs?: number;
  /** img: a `new Image()` never attached to the document. */
  detached?: boolean;
  offline?: boolean;
  setup?: "cookies" | "partitioned-cookie";
}
export interface Expectation {
  verdict: "blocked" | "not-blocked" | "cancelled";
  id?: string;
  finding?: string;
}
export interface Scenario {
  id: string;
  cls: string;
  title: string;
  page: PageSpec;
  action: ActionSpec;
  server: ServerSpec;
  expect: Expectation;
}
export declare const PNG_1X1: Buffer;
export declare const scenarios: Scenario[];
export declare const scenarioById: Map<string, Scenario>;
