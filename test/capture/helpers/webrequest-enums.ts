// What the two browsers' webRequest APIs list, as they answered it, for tests that stand in for them.

/** The seven events CORS Doctor's capture listeners register (src/background/listeners.ts), as webRequest names them. */
export const CAPTURE_EVENTS = [
  "onBeforeRequest",
  "onSendHeaders",
  "onHeadersReceived",
  "onBeforeRedirect",
  "onResponseStarted",
  "onCompleted",
  "onErrorOccurred",
];

const enumOf = (types: string) => Object.fromEntries(types.split(" ").map((t) => [t.toUpperCase(), t]));

/** `webRequest.ResourceType` in Chromium 156 and Firefox ESR 153. */
export const RESOURCE_TYPES = {
  chrome: enumOf("main_frame sub_frame stylesheet script image font object xmlhttprequest ping csp_report media websocket webbundle other"),
  firefox: enumOf(
    "main_frame sub_frame stylesheet script image object xmlhttprequest xslt ping beacon xml_dtd font media websocket csp_report imageset web_manifest speculative json other",
  ),
};
