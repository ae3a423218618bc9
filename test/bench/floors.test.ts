// The bench's floors are CORS Doctor's listeners doing nothing (scripts/bench/variants.mjs): their types must be the
// ones the extension registers (src/background/listeners.ts), or a change to the extension would leave the armed rows
// compared with a floor of other listeners.
import { expect, it } from "vitest";
import { CaptureListeners } from "../../src/background/listeners";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CD_TYPES, writeVariant } from "../../scripts/bench/variants.mjs";
import { CAPTURE_EVENTS, RESOURCE_TYPES } from "../capture/helpers/webrequest-enums";

/** The types filter of each capture listener CORS Doctor registers for an armed tab, by event. */
function registeredTypes(browser: "chrome" | "firefox"): Record<string, string[] | undefined> {
  const types: Record<string, string[] | undefined> = {};
  const api: Record<string, unknown> = { ResourceType: RESOURCE_TYPES[browser] };
  if (browser === "chrome") api.OnBeforeSendHeadersOptions = { EXTRA_HEADERS: "extraHeaders" };
  for (const event of CAPTURE_EVENTS)
    api[event] = {
      addListener: (_callback: unknown, filter: { types?: string[] }) => void (types[event] = filter.types),
      removeListener: () => {},
    };
  new CaptureListeners(
    api,
    () => {},
    () => {},
  ).add(7);
  return types;
}

it("the Chromium floor listens to the types of CORS Doctor's seven capture listeners", () => {
  expect(Object.values(registeredTypes("chrome"))).toEqual(Array(7).fill(CD_TYPES));
});

it("the Firefox floor, like CORS Doctor's seven capture listeners there, follows every type (no types filter)", () => {
  expect(Object.values(registeredTypes("firefox"))).toEqual(Array(7).fill(undefined));
  const floor = writeVariant("CORS Doctor's listeners in Firefox, doing nothing");
  try {
    // Its seven are added in one loop, each with a filter of the tab alone.
    expect(readFileSync(join(floor.dir, "background.js"), "utf8")).toContain(
      'addListener(listener, { urls: ["<all_urls>"], tabId }, spec)',
    );
  } finally {
    floor.dispose();
  }
});
