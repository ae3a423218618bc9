// The playground page: renders one button per scenario, runs its fetch, shows what the page saw.
// No inline handlers, and text is only ever set as text (textContent): the page runs under a strict CSP.
import { loadConfig, runFetch } from "/page-common.js";
import { scenarios, scenarioUrl } from "/scenarios.mjs";

const FRAME_TIMEOUT_MS = 5000;
const config = await loadConfig();
let runs = 0;

/** @param {string} id @param {string} text */
function setText(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

setText("page-origin", location.origin);
setText("api-origins", `${config.apis.localhost} and ${config.apis.ip}`);
if (location.origin !== config.pageOrigin) {
  setText("summary", `Open the playground at ${config.pageOrigin}/ : the scenarios assume that page origin.`);
}

// Sign in to the API like a real app would (a session cookie), so that credentialed buttons send a Cookie.
await fetch(`${config.apis.localhost}/api/session`, { credentials: "include", cache: "no-store" }).catch(() => {});

/** @type {Map<string, (result: { outcome: string, text: string }) => void>} */
const pendingFrames = new Map();
window.addEventListener("message", (event) => {
  if (event.origin !== config.secondOrigin) return;
  const data = event.data;
  if (data?.type !== "playground-frame-result" || typeof data.run !== "string") return;
  pendingFrames.get(data.run)?.(data.result);
});

/** Runs the scenario's fetch again from an iframe on the second page origin. */
function runFromSecondOrigin(scenario, run) {
  return new Promise((resolve) => {
    const frame = document.createElement("iframe");
    const done = (result) => {
      clearTimeout(timer);
      pendingFrames.delete(run);
      frame.remove();
      resolve(result);
    };
    const timer = setTimeout(() => done({ outcome: "error", text: "the second-origin frame did not answer" }), FRAME_TIMEOUT_MS);
    pendingFrames.set(run, done);
    frame.src = `${config.secondOrigin}/frame.html?id=${encodeURIComponent(scenario.id)}&run=${encodeURIComponent(run)}`;
    document.getElementById("frames")?.append(frame);
  });
}

/** @param {import("./scenarios.mjs").Scenario} scenario @param {HTMLElement} output */
async function runScenario(scenario, output) {
  const run = `${Date.now().toString(36)}-${++runs}`;
  output.dataset.outcome = "running";
  output.textContent = "…";
  const result = await runFetch(scenarioUrl(scenario, config.apis, run), scenario.request);
  let text = `${scenario.request.method} → ${result.text}`;
  if (scenario.alsoFromSecondOrigin) {
    const other = await runFromSecondOrigin(scenario, `${run}-second`);
    text += `\nfrom ${config.secondOrigin}: ${scenario.request.method} → ${other.text}`;
  }
  output.dataset.outcome = result.outcome;
  output.textContent = text;
  return result;
}

/** @type {{ scenario: import("./scenarios.mjs").Scenario, output: HTMLElement }[]} */
const rows = [];
for (const scenario of scenarios) {
  const li = document.createElement("li");
  li.dataset.id = scenario.id;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = scenario.title;
  const description = document.createElement("span");
  description.className = "description";
  description.textContent = scenario.description;
  const output = document.createElement("output");
  output.className = "result";
  output.setAttribute("aria-live", "polite");
  button.addEventListener("click", () => void runScenario(scenario, output));
  li.append(button, description, output);
  document.getElementById(scenario.kind === "mistake" ? "mistakes" : scenario.kind === "not-cors" ? "not-cors" : "working")?.append(li);
  rows.push({ scenario, output });
}

document.getElementById("run-all")?.addEventListener("click", async () => {
  document.body.dataset.state = "running";
  let blocked = 0;
  // One after the other: the CORS panel then lists them in button order.
  for (const { scenario, output } of rows) {
    const result = await runScenario(scenario, output);
    if (result.outcome === "error") blocked++;
  }
  setText("summary", `${rows.length} buttons run: ${blocked} fetches failed in the page, ${rows.length - blocked} succeeded.`);
  document.body.dataset.state = "done";
});

document.body.dataset.state = "ready";
