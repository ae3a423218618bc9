// Walks an exchange leg by leg the way the browser fetches it (Fetch "main fetch" → "HTTP fetch" →
// "HTTP-redirect fetch"), running the preflight checks and the CORS check on every response that
// needs them, and stops at the first failure — the one error the browser reports.
import { get } from "../headers";
import type { BrowserName, Exchange, Leg } from "../model";
import { originOf } from "../origin";
import { preflightNeeded, unsafeRequestHeaderNames } from "../safelist";
import { chromeCheckAccess, firefoxCheckAccess } from "./cors-check";
import type { CheckFailure } from "./failure";
import { chromeCheckPreflight, firefoxCheckPreflight } from "./preflight";

export interface LegFacts {
  index: number;
  url: string;
  /** The Origin this leg carried (observed, or what the browser would send). */
  origin: string;
  /** False for a same-origin leg before any cross-origin hop (no CORS check applies). */
  corsChecked: boolean;
  preflightNeeded: boolean;
  preflightObserved: boolean;
  /** Header names the request needed permission for. */
  unsafeHeaders: string[];
  isRedirect: boolean;
}

export interface Walk {
  failure: CheckFailure | null;
  legs: LegFacts[];
  /** A preflight was needed but not observed while the request itself went out: it came from the cache. */
  preflightFromCache: number[];
  /** A preflight was needed, none was observed, and the request never got a response. */
  preflightUnobservedAndNoResponse: number | null;
  /** The walk ended without a final response to judge (request still in flight, or never sent). */
  incomplete: boolean;
}

function isRedirect(leg: Leg): boolean {
  const r = leg.response;
  return !!r && r.status >= 300 && r.status < 400 && get(r.headers, "location") !== null;
}

function hasUserinfo(location: string, base: string): boolean {
  try {
    const u = new URL(location, base);
    return u.username !== "" || u.password !== "";
  } catch {
    return false;
  }
}

/** The header names the page set that need permission: the preflight says so itself when we have it. */
function unsafeHeadersOf(leg: Leg, browser: BrowserName): string[] {
  const acrh = leg.preflight ? get(leg.preflight.request.headers, "access-control-request-headers") : null;
  if (acrh !== null) {
    return acrh
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
      .sort();
  }
  return unsafeRequestHeaderNames(leg.request.headers, browser);
}

export function walkExchange(exchange: Exchange, requestOrigin: string, credentialsInclude: boolean, browser: BrowserName): Walk {
  const facts: LegFacts[] = [];
  const fromCache: number[] = [];
  let unobserved: number | null = null;
  let tainted = false;
  let corsTainting = false;
  const fail = (f: Omit<CheckFailure, "leg" | "url">, i: number): Walk => ({
    failure: { ...f, leg: i, url: exchange.legs[i]!.request.url },
    legs: facts,
    preflightFromCache: fromCache,
    preflightUnobservedAndNoResponse: unobserved,
    incomplete: false,
  });

  for (let i = 0; i < exchange.legs.length; i++) {
    const leg = exchange.legs[i]!;
    const url = leg.request.url;
    const legOrigin = originOf(url);
    const crossOrigin = requestOrigin === "null" || legOrigin !== requestOrigin;
    const corsChecked = corsTainting || crossOrigin;
    const observedOrigin = get(leg.request.headers, "origin");
    // After a cross-origin hop Chromium sends Origin: null; what was observed wins over the prediction.
    const origin = observedOrigin ?? (tainted ? "null" : requestOrigin);
    const unsafeHeaders = unsafeHeadersOf(leg, browser);
    const needsPreflight =
      corsChecked && (leg.preflight !== undefined || preflightNeeded(leg.request.method, leg.request.headers, browser));
    const redirect = isRedirect(leg);
    facts.push({
      index: i,
      url,
      origin,
      corsChecked,
      preflightNeeded: needsPreflight,
      preflightObserved: !!leg.preflight,
      unsafeHeaders,
      isRedirect: redirect,
    });

    if (corsChecked) {
      corsTainting = true;
      if (leg.preflight) {
        const pf = leg.preflight;
        if (!pf.response) {
          if (!pf.error)
            return {
              failure: null,
              legs: facts,
              preflightFromCache: fromCache,
              preflightUnobservedAndNoResponse: unobserved,
              incomplete: true,
            };
          return fail({ id: "preflight-request-did-not-succeed", request: "preflight", actual: pf.error }, i);
        }
        const input = {
          response: pf.response,
          requestOrigin: get(pf.request.headers, "origin") ?? origin,
          credentialsInclude,
          method: get(pf.request.headers, "access-control-request-method") ?? leg.request.method,
          unsafeHeaders,
        };
        const chrome = chromeCheckPreflight(input);
        const firefox = firefoxCheckPreflight(input);
        const chosen = browser === "chrome" ? chrome : firefox;
        if (chosen) {
          return fail(
            {
              id: chosen.id,
              request: "preflight",
              header: chrome?.header,
              expected: chrome?.expected,
              actual: chrome?.actual,
              chromeCorsError: chrome?.chromeCorsError,
              failedParameter: chrome?.failedParameter,
              firefoxReason: firefox?.firefoxReason,
              status: pf.response.status,
            },
            i,
          );
        }
      } else if (needsPreflight) {
        if (leg.response) fromCache.push(i);
        else unobserved = i;
      }
    }

    const response = leg.response;
    if (!response) {
      return { failure: null, legs: facts, preflightFromCache: fromCache, preflightUnobservedAndNoResponse: unobserved, incomplete: true };
    }
    if (corsChecked) {
      const access = { headers: response.headers, requestOrigin: origin, credentialsInclude };
      const chrome = chromeCheckAccess(access);
      const firefox = firefoxCheckAccess(access);
      const chosenId = browser === "chrome" ? chrome?.id : firefox?.id;
      if (chosenId) {
        return fail(
          {
            id: chosenId,
            request: "actual",
            header: chrome?.header ?? "access-control-allow-origin",
            expected: chrome?.expected ?? origin,
            actual: chrome?.actual ?? get(response.headers, "access-control-allow-origin") ?? "",
            chromeCorsError: chrome?.chromeCorsError,
            failedParameter: chrome?.failedParameter,
            firefoxReason: firefox?.firefoxReason,
            status: response.status,
          },
          i,
        );
      }
    }
    if (redirect) {
      const location = get(response.headers, "location")!;
      const next = exchange.legs[i + 1];
      // Without a next leg the browser either refused the hop (the check below) or did not follow it
      // (redirect: "manual", where Chrome reports the fetch completed).
      const followed = next !== undefined || !(exchange.outcome?.kind === "completed" && exchange.observedBy === "chrome");
      if (corsChecked && hasUserinfo(location, url) && followed) {
        return fail(
          {
            id: "redirect-location-has-credentials",
            request: "actual",
            header: "location",
            actual: location,
            expected: "a URL without user:password@",
            chromeCorsError: "RedirectContainsCredentials",
            failedParameter: "",
            // Measured: Firefox has no reason of its own here and logs "CORS request did not succeed".
            firefoxReason: "CORSDidNotSucceed2",
            status: response.status,
          },
          i,
        );
      }
      if (next) {
        // https://fetch.spec.whatwg.org/#concept-request-tainted-origin: a hop to another origin,
        // from a URL that is not the request's origin, taints the origin for the rest of the chain.
        const nextOrigin = originOf(next.request.url);
        if (nextOrigin !== legOrigin && requestOrigin !== legOrigin) tainted = true;
      }
    }
  }
  return { failure: null, legs: facts, preflightFromCache: fromCache, preflightUnobservedAndNoResponse: unobserved, incomplete: false };
}
