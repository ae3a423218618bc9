// Listener registration against the two webRequest shapes of browser-recipes §2 and §5, with each browser's
// argument checking reproduced: Chromium's enums, Firefox's rejection of "extraHeaders" and of a third
// argument to onErrorOccurred.addListener. Capture listeners come in sets, one per armed tab (filter tabId) or
// one for every tab, added and removed at run time; the light listeners are always on (issue 16).
import { describe, expect, it } from "vitest";
import { CaptureListeners, registerLightListeners } from "../../src/background/listeners";
import type { WebRequestEvent } from "../../src/capture/events";
import { CAPTURE_EVENTS } from "./helpers/webrequest-enums";

/** The capture listeners' seven events, and onBeforeSendHeaders, which the fake must offer too (browsers have it). */
const EVENTS = [...CAPTURE_EVENTS, "onBeforeSendHeaders"];

type Call = { event: string; args: number; spec?: string[]; filter?: unknown };

function fakeWebRequest(browser: "chrome" | "firefox", broken: string[] = []) {
  const calls: Call[] = [];
  const api: Record<string, unknown> = {};
  for (const event of EVENTS) {
    api[event] = {
      addListener(...args: unknown[]) {
        const spec = args[2] as string[] | undefined;
        if (broken.includes(event)) throw new Error("Incorrect argument types");
        if (browser === "firefox") {
          if (spec?.includes("extraHeaders"))
            throw new Error('Type error for parameter extraInfoSpec (Invalid enumeration value "extraHeaders")');
          if (event === "onErrorOccurred" && args.length !== 2)
            throw new Error("Incorrect argument types for webRequest.onErrorOccurred.addListener.");
        }
        calls.push({ event, args: args.length, ...(spec ? { spec } : {}), filter: args[1] });
      },
      removeListener() {
        calls.push({ event: `-${event}`, args: 1 });
      },
    };
  }
  if (browser === "chrome") {
    const withExtra = { BLOCKING: "blocking", EXTRA_HEADERS: "extraHeaders" };
    api.OnBeforeRequestOptions = { BLOCKING: "blocking", REQUEST_BODY: "requestBody", EXTRA_HEADERS: "extraHeaders" };
    api.OnBeforeSendHeadersOptions = { ...withExtra, REQUEST_HEADERS: "requestHeaders" };
    api.OnSendHeadersOptions = { REQUEST_HEADERS: "requestHeaders", EXTRA_HEADERS: "extraHeaders" };
    api.OnHeadersReceivedOptions = { ...withExtra, RESPONSE_HEADERS: "responseHeaders" };
    api.OnBeforeRedirectOptions = { RESPONSE_HEADERS: "responseHeaders", EXTRA_HEADERS: "extraHeaders" };
    api.OnResponseStartedOptions = { RESPONSE_HEADERS: "responseHeaders", EXTRA_HEADERS: "extraHeaders" };
    api.OnCompletedOptions = { RESPONSE_HEADERS: "responseHeaders", EXTRA_HEADERS: "extraHeaders" };
    api.OnErrorOccurredOptions = { EXTRA_HEADERS: "extraHeaders" };
  } else {
    api.OnBeforeSendHeadersOptions = { REQUESTHEADERS: "requestHeaders", BLOCKING: "blocking" };
  }
  return { api, calls };
}

function registerAll(api: object, onEvent: (e: WebRequestEvent) => void = () => {}): string[] {
  const errors: string[] = [];
  new CaptureListeners(api, onEvent, (m) => errors.push(m)).add("all");
  return errors;
}

describe("capture listeners", () => {
  it("Chromium: extraHeaders wherever the browser's enum accepts it", () => {
    const { api, calls } = fakeWebRequest("chrome");
    expect(registerAll(api)).toEqual([]);
    expect(calls.map(({ filter, ...c }) => (void filter, c))).toEqual([
      { event: "onBeforeRequest", args: 3, spec: ["extraHeaders"] },
      { event: "onSendHeaders", args: 3, spec: ["requestHeaders", "extraHeaders"] },
      { event: "onHeadersReceived", args: 3, spec: ["responseHeaders", "extraHeaders"] },
      { event: "onBeforeRedirect", args: 3, spec: ["responseHeaders", "extraHeaders"] },
      { event: "onResponseStarted", args: 3, spec: ["extraHeaders"] },
      { event: "onCompleted", args: 3, spec: ["extraHeaders"] },
      { event: "onErrorOccurred", args: 3, spec: ["extraHeaders"] },
    ]);
  });

  it("Firefox: no extraHeaders, and onErrorOccurred with exactly two arguments", () => {
    const { api, calls } = fakeWebRequest("firefox");
    expect(registerAll(api)).toEqual([]);
    expect(calls.map((c) => `${c.event}/${c.args}/${c.spec?.join(",") ?? ""}`)).toEqual([
      "onBeforeRequest/2/",
      "onSendHeaders/3/requestHeaders",
      "onHeadersReceived/3/responseHeaders",
      "onBeforeRedirect/3/responseHeaders",
      "onResponseStarted/2/",
      "onCompleted/2/",
      "onErrorOccurred/2/",
    ]);
  });

  it("a failing registration is reported and the others still register", () => {
    const { api, calls } = fakeWebRequest("firefox", ["onHeadersReceived"]);
    expect(registerAll(api)).toEqual(["webRequest.onHeadersReceived: Incorrect argument types"]);
    expect(calls).toHaveLength(6);
  });

  it("one set per armed tab, filtered by tabId, removed whole when the tab is disarmed", () => {
    const { api, calls } = fakeWebRequest("chrome");
    const listeners = new CaptureListeners(
      api,
      () => {},
      () => {},
    );
    listeners.add(7);
    listeners.add(7); // twice: still one set
    listeners.add(9);
    expect(listeners.registered()).toEqual([7, 9]);
    expect(calls.filter((c) => !c.event.startsWith("-")).map((c) => (c.filter as { tabId?: number }).tabId)).toEqual([
      7, 7, 7, 7, 7, 7, 7, 9, 9, 9, 9, 9, 9, 9,
    ]);
    expect(calls.every((c) => c.event.startsWith("-") || JSON.stringify((c.filter as { urls: string[] }).urls) === '["<all_urls>"]')).toBe(
      true,
    );
    calls.length = 0;
    listeners.remove(7);
    expect(calls.map((c) => c.event)).toEqual(CAPTURE_EVENTS.map((e) => `-${e}`));
    expect(listeners.registered()).toEqual([9]);
  });

  it("widening adds the other types per tab and reports the widened tabs to keep; a first turn's every-tab widening is not kept", () => {
    const { api, calls } = fakeWebRequest("chrome");
    api.ResourceType = {
      XMLHTTPREQUEST: "xmlhttprequest",
      IMAGE: "image",
      SCRIPT: "script",
      MAIN_FRAME: "main_frame",
      SUB_FRAME: "sub_frame",
    };
    const kept: number[][] = [];
    const listeners = new CaptureListeners(
      api,
      () => {},
      () => {},
      (tabs) => kept.push(tabs),
    );
    listeners.widen("all");
    listeners.add(7);
    listeners.widen(7);
    listeners.widen(7); // twice: still one set
    listeners.widen(8);
    expect(listeners.widened()).toEqual([7, 8]);
    const filters = calls.filter((c) => c.event === "onBeforeRequest").map((c) => c.filter as { tabId?: number; types?: string[] });
    expect(filters.map((f) => f.tabId)).toEqual([undefined, 7, 7, 8]);
    expect(filters[0]!.types).toEqual(["image", "script"]);
    listeners.narrow("all");
    listeners.remove(7);
    expect(listeners.widened()).toEqual([8]);
    expect(kept).toEqual([[7], [7, 8], [8]]);
  });

  it("the worker set (Chromium): no tab filter, the capture types but main frames, only tabId −1 events delivered, on and off once", () => {
    const { api, calls } = fakeWebRequest("chrome");
    const handlers: Record<string, (d: unknown) => void> = {};
    const add = (event: string) => (api[event] as { addListener: (...a: unknown[]) => void }).addListener;
    for (const event of EVENTS) {
      const original = add(event);
      (api[event] as { addListener: (...a: unknown[]) => void }).addListener = (...args) => {
        handlers[event] = args[0] as (d: unknown) => void;
        original(...args);
      };
    }
    const tabEvents: string[] = [];
    const workerEvents: string[] = [];
    const listeners = new CaptureListeners(
      api,
      (e) => tabEvents.push(e.details.requestId),
      () => {},
    );
    listeners.followWorkers(true, (e) => workerEvents.push(`${e.event} ${e.details.requestId}`));
    listeners.followWorkers(true, () => workerEvents.push("second handler"));
    expect(listeners.followsWorkers()).toBe(true);
    const filters = calls.filter((c) => c.event === "onBeforeRequest").map((c) => c.filter as { tabId?: number; types?: string[] });
    expect(filters).toEqual([{ urls: ["<all_urls>"], types: ["xmlhttprequest", "font", "ping", "other"] }]);
    handlers.onBeforeRequest!({ requestId: "1", tabId: -1 });
    handlers.onBeforeRequest!({ requestId: "2", tabId: 4 });
    handlers.onErrorOccurred!({ requestId: "1", tabId: -1 });
    expect(workerEvents).toEqual(["BeforeRequest 1", "ErrorOccurred 1"]);
    expect(tabEvents).toEqual([]);
    calls.length = 0;
    listeners.followWorkers(false, () => {});
    listeners.followWorkers(false, () => {});
    expect(listeners.followsWorkers()).toBe(false);
    expect(calls.filter((c) => c.event.startsWith("-"))).toHaveLength(7);
  });

  it("Firefox: the worker set too, with the capture types its enum knows, without extraHeaders", () => {
    const { api, calls } = fakeWebRequest("firefox");
    api.ResourceType = { XMLHTTPREQUEST: "xmlhttprequest", FONT: "font", PING: "ping", IMAGE: "image", MAIN_FRAME: "main_frame" };
    const listeners = new CaptureListeners(
      api,
      () => {},
      () => {},
    );
    listeners.followWorkers(true, () => {});
    expect(listeners.followsWorkers()).toBe(true);
    expect(calls.find((c) => c.event === "onBeforeRequest")?.filter).toEqual({
      urls: ["<all_urls>"],
      types: ["xmlhttprequest", "font", "ping"],
    });
    expect(calls.every((c) => !c.spec?.includes("extraHeaders"))).toBe(true);
  });

  it("events reach the capture with their name", () => {
    const { api } = fakeWebRequest("chrome");
    const seen: string[] = [];
    const listeners: Record<string, (d: unknown) => void> = {};
    for (const event of EVENTS)
      (api[event] as { addListener: (cb: (d: unknown) => void) => void }).addListener = (cb) => void (listeners[event] = cb);
    registerAll(api, (e) => seen.push(`${e.event} ${e.details.requestId}`));
    listeners.onCompleted!({ requestId: "9" });
    listeners.onErrorOccurred!({ requestId: "10" });
    expect(seen).toEqual(["Completed 9", "ErrorOccurred 10"]);
  });
});

describe("light listeners", () => {
  it("main frames only, and errors without extraHeaders (it would send every request through the header client)", () => {
    for (const browser of ["chrome", "firefox"] as const) {
      const { api, calls } = fakeWebRequest(browser);
      expect(registerLightListeners(api, { onNavigation: () => {}, onError: () => {} })).toEqual([]);
      expect(calls).toEqual([
        { event: "onBeforeRequest", args: 2, filter: { urls: ["<all_urls>"], types: ["main_frame"] } },
        { event: "onErrorOccurred", args: 2, filter: { urls: ["<all_urls>"] } },
      ]);
    }
  });

  it("no webRequest at all is reported, not ignored", () => {
    expect(registerLightListeners(undefined as unknown as object, { onNavigation: () => {}, onError: () => {} })).toEqual([
      'webRequest is not available (is the "webRequest" permission granted?)',
    ]);
  });
});
