// Shared by the page and its second-origin iframe: run one button's fetch and describe what the page saw.
// Everything the server sent is treated as text: it only ever reaches the DOM through textContent.

/** @returns {Promise<{ pageOrigin: string, secondOrigin: string, apis: import("./scenarios.mjs").ApiOrigins }>} */
export async function loadConfig() {
  const response = await fetch("/config.json", { cache: "no-store" });
  return response.json();
}

/**
 * Runs the fetch of a scenario. A CORS failure is deliberately opaque to the page: all it gets is a
 * TypeError ("Failed to fetch" in Chrome, "NetworkError when attempting to fetch resource." in Firefox).
 * @param {string} url
 * @param {import("./scenarios.mjs").Scenario["request"]} request
 * @returns {Promise<{ outcome: "ok" | "http-error" | "error", text: string }>}
 */
export async function runFetch(url, request) {
  /** @type {RequestInit} */
  const init = { method: request.method, cache: "no-store", credentials: request.credentials ?? "same-origin" };
  if (request.headers) init.headers = request.headers;
  if (request.body !== undefined) init.body = request.body;
  if (request.redirect) init.redirect = request.redirect;
  if (request.abortAfterMs !== undefined) {
    const controller = new AbortController();
    init.signal = controller.signal;
    setTimeout(() => controller.abort(), request.abortAfterMs);
  }
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    const summary = `${status}, the page read ${body.length} characters of the response`;
    return response.ok ? { outcome: "ok", text: summary } : { outcome: "http-error", text: summary };
  } catch (error) {
    const e = /** @type {Error} */ (error);
    return { outcome: "error", text: `${e.name}: ${e.message}` };
  }
}
