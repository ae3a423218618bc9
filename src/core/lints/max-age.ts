// B.3 preflight cache lints: how long the browser keeps the preflight result.
// Chromium caps at 7200 s (preflight_result.cc kMaxTimeout), Firefox at 86400 s; both default to 5 s.
// Measured: Chromium treats -1 as "do not cache" and unparsable values as the 5 s default; Firefox does
// not cache at all for absent or unparsable values.
import { get } from "../headers";
import { adding, NO_FINDINGS, type Lint } from "./context";

export const CHROME_MAX_AGE_CAP = 7200;
export const FIREFOX_MAX_AGE_CAP = 86400;

// Every preflight response is read, failed ones included (issue 15): a long Max-Age on a failing
// preflight is what makes the next fix look like it did nothing once the preflight passes.
export const maxAgeLint: Lint = (ctx) => {
  let out = NO_FINDINGS;
  for (const leg of ctx.exchange.legs) {
    const response = leg.preflight?.response;
    if (!response) continue;
    const value = get(response.headers, "access-control-max-age");
    // "Missing" is advice about a working preflight; on a failing one it is noise.
    const ok = response.status >= 200 && response.status <= 299 && ctx.failure?.request !== "preflight";
    if (value === null && !ok) continue;
    const base = {
      request: "preflight" as const,
      header: "access-control-max-age",
      spec: "https://fetch.spec.whatwg.org/#http-access-control-max-age",
    };
    if (value === null) {
      out = adding(out, {
        ...base,
        id: "max-age-missing",
        severity: "info",
        actual: "",
        title: "No Access-Control-Max-Age: the preflight is cached for 5 seconds at most",
        detail:
          "Chrome keeps the preflight result 5 s and Firefox does not cache it at all, so nearly every request pays an extra OPTIONS round trip. Send Access-Control-Max-Age: 7200 (Chrome's cap).",
      });
    } else if (!/^[0-9]+$/.test(value)) {
      out = adding(out, {
        ...base,
        id: "max-age-invalid",
        severity: "warning",
        actual: value,
        expected: "a number of seconds, e.g. 7200",
        title: `Access-Control-Max-Age ${JSON.stringify(value)} is not a number of seconds`,
        detail:
          "Chrome then falls back to 5 s (or no caching for negative values) and Firefox does not cache the preflight at all. Send digits only, e.g. 7200.",
      });
    } else if (Number(value) > CHROME_MAX_AGE_CAP) {
      out = adding(out, {
        ...base,
        id: "max-age-exceeds-cap",
        severity: "info",
        actual: value,
        expected: `≤ ${CHROME_MAX_AGE_CAP}`,
        title: `Access-Control-Max-Age ${value} is above the browsers' caps`,
        detail: `${ok ? "" : 'Once this preflight passes, browsers will keep its result for a long time: a later fix of the CORS configuration may seem to do nothing until the cache expires (reload with DevTools\' "Disable cache"). '}Chrome caps the preflight cache at ${CHROME_MAX_AGE_CAP} s (2 hours) and Firefox at ${FIREFOX_MAX_AGE_CAP} s: the extra is silently ignored.`,
      });
    } else if (value === "0") {
      out = adding(out, {
        ...base,
        id: "max-age-invalid",
        severity: "info",
        actual: value,
        expected: "a positive number of seconds",
        title: "Access-Control-Max-Age: 0 disables the preflight cache",
        detail: "Every request that needs a preflight will send one. If that is not intended, send e.g. 7200.",
      });
    }
  }
  return out;
};
