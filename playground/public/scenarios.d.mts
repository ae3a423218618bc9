export interface Scenario {
  id: string;
  kind: "mistake" | "working";
  title: string;
  description: string;
  api: "localhost" | "ip";
  request: { method: string; headers?: Record<string, string>; body?: string; credentials?: "include" };
  alsoFromSecondOrigin?: boolean;
  expect: { verdict: "blocked" | "allowed"; finding?: string };
}
export const scenarios: Scenario[];
export const BUTTON_PARAM: string;
export function scenarioUrl(scenario: Scenario, apis: { localhost: string; ip: string }, run: string): string;
