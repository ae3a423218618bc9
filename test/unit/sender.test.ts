// Who may talk to the background (src/background/sender.ts): each row a sender as Chrome or Firefox fills it in.
import { describe, expect, it } from "vitest";
import { isTrustedSender, type SenderLike } from "../../src/background/sender";

const CHROME_ID = "abcdefghijklmnopabcdefghijklmnop";
const CHROME_ORIGIN = `chrome-extension://${CHROME_ID}/`;
const FIREFOX_ID = "cors-doctor@cors-doctor.dev";
const FIREFOX_ORIGIN = "moz-extension://5f1c7a0e-2b3d-4e5f-8a9b-0c1d2e3f4a5b/";

const cases: [string, SenderLike | undefined, string, string, boolean][] = [
  // Chrome
  [
    "the DevTools panel",
    { id: CHROME_ID, url: `${CHROME_ORIGIN}panel.html`, origin: CHROME_ORIGIN.slice(0, -1) },
    CHROME_ID,
    CHROME_ORIGIN,
    true,
  ],
  ["the panel as a tab with a query", { id: CHROME_ID, url: `${CHROME_ORIGIN}panel.html?tabId=3` }, CHROME_ID, CHROME_ORIGIN, true],
  ["the popup", { id: CHROME_ID, url: `${CHROME_ORIGIN}popup.html` }, CHROME_ID, CHROME_ORIGIN, true],
  [
    "origin given without its trailing slash",
    { id: CHROME_ID, url: `${CHROME_ORIGIN}popup.html` },
    CHROME_ID,
    CHROME_ORIGIN.slice(0, -1),
    true,
  ],
  [
    "a content script in a web page",
    { id: CHROME_ID, url: "http://127.0.0.1:8080/page", origin: "http://127.0.0.1:8080" },
    CHROME_ID,
    CHROME_ORIGIN,
    false,
  ],
  [
    "a content script in an about:blank frame",
    { id: CHROME_ID, url: "about:blank", origin: "http://127.0.0.1:8080" },
    CHROME_ID,
    CHROME_ORIGIN,
    false,
  ],
  [
    "a content script whose frame claims the extension URL but not its origin",
    { id: CHROME_ID, url: `${CHROME_ORIGIN}panel.html`, origin: "http://evil.test" },
    CHROME_ID,
    CHROME_ORIGIN,
    false,
  ],
  [
    "another extension's page",
    { id: "ponmlkjihgfedcbaponmlkjihgfedcba", url: "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba/x.html" },
    CHROME_ID,
    CHROME_ORIGIN,
    false,
  ],
  [
    "another extension claiming our URL",
    { id: "ponmlkjihgfedcbaponmlkjihgfedcba", url: `${CHROME_ORIGIN}panel.html` },
    CHROME_ID,
    CHROME_ORIGIN,
    false,
  ],
  ["our id, a look-alike host", { id: CHROME_ID, url: `chrome-extension://${CHROME_ID}.evil/panel.html` }, CHROME_ID, CHROME_ORIGIN, false],
  ["our id, userinfo trick", { id: CHROME_ID, url: `chrome-extension://${CHROME_ID}@evil/panel.html` }, CHROME_ID, CHROME_ORIGIN, false],
  ["our id, no URL (native messaging, external)", { id: CHROME_ID }, CHROME_ID, CHROME_ORIGIN, false],
  ["no id", { url: `${CHROME_ORIGIN}panel.html` }, CHROME_ID, CHROME_ORIGIN, false],
  ["no sender at all", undefined, CHROME_ID, CHROME_ORIGIN, false],
  [
    "a web page origin passed as the extension origin (misconfiguration)",
    { id: CHROME_ID, url: "http://127.0.0.1/x" },
    CHROME_ID,
    "http://127.0.0.1/",
    false,
  ],
  ["empty extension id (misconfiguration)", { id: "", url: `${CHROME_ORIGIN}panel.html` }, "", CHROME_ORIGIN, false],
  // Firefox: the id is the add-on id, the origin a per-profile UUID; no `origin` field on older versions.
  ["Firefox panel", { id: FIREFOX_ID, url: `${FIREFOX_ORIGIN}panel.html?tabId=1` }, FIREFOX_ID, FIREFOX_ORIGIN, true],
  ["Firefox content script", { id: FIREFOX_ID, url: "http://127.0.0.1:8080/" }, FIREFOX_ID, FIREFOX_ORIGIN, false],
  [
    "Firefox, another add-on's UUID",
    { id: FIREFOX_ID, url: "moz-extension://00000000-0000-0000-0000-000000000000/panel.html" },
    FIREFOX_ID,
    FIREFOX_ORIGIN,
    false,
  ],
];

describe("isTrustedSender", () => {
  it.each(cases)("%s", (_name, sender, id, origin, expected) => {
    expect(isTrustedSender(sender, id, origin)).toBe(expected);
  });
});
