export interface Scenario {
  id: string;
  kind: "mistake" | "not-cors" | "working";
  title: string;
  description: string;
  api: "localhost" | "ip" | "down" | "outside-csp";
  request: {
    method: string;
    headers?: Record<string, string>;
    body?: string;
    credentials?: "include";
    redirect?: "error";
    abortAfterMs?: number;
  };
  alsoFromSecondOrigin?: boolean;
  expect: Expectation;
  expectInFirefox?: Expectation;
}
export interface Expectation {
  verdict: "blocked" | "allowed" | "not-cors";
  finding?: string;
}
export interface ApiOrigins {
  localhost: string;
  ip: string;
  down: string;
  "outside-csp": string;
}
export const scenarios: Scenario[];
export const BUTTON_PARAM: string;
export function scenarioUrl(scenario: Scenario, apis: ApiOrigins, run: string): string;
