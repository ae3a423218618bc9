// The second page origin (http://localhost:P inside the page at http://127.0.0.1:P): repeats one button's
// fetch from here, so that the API is seen trusting two different origins in the same tab.
import { loadConfig, runFetch } from "/page-common.js";
import { scenarios, scenarioUrl } from "/scenarios.mjs";

const params = new URLSearchParams(location.search);
const config = await loadConfig();
const scenario = scenarios.find((s) => s.id === params.get("id"));
const result = scenario
  ? await runFetch(scenarioUrl(scenario, config.apis, params.get("run") ?? "frame"), scenario.request)
  : { outcome: "error", text: "unknown scenario" };
parent.postMessage({ type: "playground-frame-result", id: params.get("id"), run: params.get("run"), result }, config.pageOrigin);
