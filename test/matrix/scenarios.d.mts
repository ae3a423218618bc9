// Types for scenarios.mjs (the project compiles TS with allowJs off; scripts import the .mjs directly).
export type HeaderLine = [string, string];
export interface ResponseSpec {
  status: number;
  headers: HeaderLine[];
  body?: string;
}
export interface RequestSpec {
  method: string;
  headers: HeaderLine[];
  credentials: "omit" | "same-origin" | "include";
  mode?: "cors";
  redirect?: "follow" | "manual";
  body?: string;
  repeat?: number;
  apiHost?: "localhost" | "127.0.0.1";
}
export interface ServerSpec {
  preflight?: ResponseSpec;
  actual: ResponseSpec;
  redirect?: ResponseSpec;
  hop?: ResponseSpec;
  hopPreflight?: ResponseSpec;
}
export interface Scenario {
  id: string;
  title: string;
  expect?: string;
  request: RequestSpec;
  server: ServerSpec;
}
export declare const scenarios: Scenario[];
export declare const scenarioById: Map<string, Scenario>;
