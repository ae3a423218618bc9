// Registers the eight webRequest listeners, the one place where Chromium and Firefox differ in capture:
// - Chromium shows preflights and the Origin/Access-Control-* request headers only with "extraHeaders"
//   (browser-recipes §2); Firefox shows them without it and throws on the unknown enum value.
// - Firefox's onErrorOccurred.addListener rejects a third argument, even `undefined` (§5): call it with two.
// Every registration is attempted on its own and every failure is reported: a missing listener must never
// mean silently capturing nothing.
import type { WebRequestDetails, WebRequestEvent, WebRequestEventName } from "../capture/events";

type Listener = (details: never) => void;
interface EventLike {
  addListener(callback: Listener, filter: { urls: string[] }, extraInfoSpec?: string[]): void;
}

const FILTER = { urls: ["<all_urls>"] };

/**
 * Each event with what it must report, and the Chromium enum that says whether it accepts "extraHeaders".
 * Headers are asked for once per hop, where they are final: request headers on SendHeaders (after every
 * extension changed them; onBeforeSendHeaders would repeat them), response headers on HeadersReceived and
 * BeforeRedirect. ResponseStarted and Completed repeat them and cost an IPC copy per request: not asked.
 */
const EVENTS: { name: WebRequestEventName; spec: string[]; optionsEnum: string }[] = [
  { name: "BeforeRequest", spec: [], optionsEnum: "OnBeforeRequestOptions" },
  { name: "SendHeaders", spec: ["requestHeaders"], optionsEnum: "OnSendHeadersOptions" },
  { name: "HeadersReceived", spec: ["responseHeaders"], optionsEnum: "OnHeadersReceivedOptions" },
  { name: "BeforeRedirect", spec: ["responseHeaders"], optionsEnum: "OnBeforeRedirectOptions" },
  { name: "ResponseStarted", spec: [], optionsEnum: "OnResponseStartedOptions" },
  { name: "Completed", spec: [], optionsEnum: "OnCompletedOptions" },
  { name: "ErrorOccurred", spec: [], optionsEnum: "OnErrorOccurredOptions" },
];

/** Whether this webRequest takes "extraHeaders" for an event (Chromium ≥ 72 does; Firefox has no such value). */
export function acceptsExtraHeaders(webRequest: object, optionsEnum: string): boolean {
  const values = (webRequest as Record<string, unknown>)[optionsEnum];
  return typeof values === "object" && values !== null && Object.values(values).includes("extraHeaders");
}

/**
 * Must run in the first turn of the background script: MV3 only delivers events that woke the worker to
 * listeners registered synchronously at start-up. Returns the registration failures, as readable lines.
 */
export function registerWebRequestListeners(webRequest: object, onEvent: (event: WebRequestEvent) => void): string[] {
  const errors: string[] = [];
  if (!webRequest) return ["webRequest is not available (is the \"webRequest\" permission granted?)"];
  const api = webRequest as Record<string, EventLike | undefined>;
  // Feature detection as in browser-recipes §2: if onBeforeSendHeaders accepts it, use it wherever accepted.
  const extraHeaders = acceptsExtraHeaders(webRequest, "OnBeforeSendHeadersOptions");
  for (const { name, spec, optionsEnum } of EVENTS) {
    const event = api[`on${name}`];
    const callback = (details: WebRequestDetails) => onEvent({ event: name, details });
    try {
      if (!event) throw new Error("not available");
      const extraInfoSpec = extraHeaders && acceptsExtraHeaders(webRequest, optionsEnum) ? [...spec, "extraHeaders"] : spec;
      if (extraInfoSpec.length) event.addListener(callback as Listener, FILTER, extraInfoSpec);
      else event.addListener(callback as Listener, FILTER);
    } catch (error) {
      errors.push(`webRequest.on${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (!extraHeaders && typeof __BROWSER__ !== "undefined" && __BROWSER__ === "chrome") {
    errors.push("webRequest \"extraHeaders\" is not supported: preflights and the Origin header are invisible, CORS diagnosis is partial");
  }
  return errors;
}
