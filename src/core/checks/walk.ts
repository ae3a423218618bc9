// Walks an exchange leg by leg the way the browser fetches it (Fetch "main fetch" → "HTTP fetch" →
// "HTTP-redirect fetch"), running the preflight checks and the CORS check on every response that
// needs them, and stops at the first failure — the one error the browser reports.
import { get } from "../headers";
import type { BrowserName, Exchange, Leg } from "../model";
import { originOf } from "../origin";
import { preflightNeeded, unsafeRequestHeaderNames } from "../safelist";
import { type AccessFailure, type AccessInput, chromeCheckAccess, type FirefoxAccessFailure, firefoxCheckAccess } from "./cors-check";
import type { CheckFailure } from "./failure";
import { chromeCheckPreflight, firefoxCheckPreflight, type PreflightInput } from "./preflight";

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
  /**
   * On a failure: whether the other browser blocks this exchange too, when the failing step shows it
   * (true); null when only a walk as the other browser can tell (then `diagnose` walks again).
   */
  otherBrowserBlocks: boolean | null;
}

function isRedirect(leg: Leg): boolean {
  const r = leg.response;
  return !!r && r.status >= 300 && r.status < 400 && get(r.headers, "location") !== null;
}

function hasUserinfo(location: string, base: string): boolean {
  // Userinfo is written before an "@": without one the URL parser cannot find any (and parsing every
  // followed redirect's Location was a measurable share of a log's diagnosis).
  if (!location.includes("@")) return false;
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
  if (acrh !== null) return acrhNames(acrh);
  return unsafeRequestHeaderNames(leg.request.headers, browser);
}

/** Whether the header names needing permission can differ between the browsers on this leg. */
function unsafeHeadersDependOnBrowser(leg: Leg): boolean {
  return !leg.preflight || get(leg.preflight.request.headers, "access-control-request-headers") === null;
}

/** Access-Control-Request-Headers as a sorted list of lower-cased names (one list per value seen). */
const acrhCache = new Map<string, string[]>();
const ACRH_CACHE_LIMIT = 1024;

function acrhNames(acrh: string): string[] {
  // A log repeats the same few values: split and sort each once. The arrays are shared: never modified.
  let names = acrhCache.get(acrh);
  if (names === undefined) {
    names = acrh
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
      .sort();
    if (acrhCache.size >= ACRH_CACHE_LIMIT) acrhCache.clear();
    acrhCache.set(acrh, names);
  }
  return names;
}

/**
 * The walk's result. `otherBrowserBlocks`: whether the other browser also fails, when the failing step
 * tells (the same check fails for it on the same inputs); null when only walking again can tell.
 */
function walked(
  failure: CheckFailure | null,
  legs: LegFacts[],
  fromCache: number[],
  unobserved: number | null,
  incomplete: boolean,
  otherBrowserBlocks: boolean | null,
): Walk {
  return { failure, legs, preflightFromCache: fromCache, preflightUnobservedAndNoResponse: unobserved, incomplete, otherBrowserBlocks };
}

function failureAt(
  exchange: Exchange,
  i: number,
  id: string,
  request: "preflight" | "actual",
  header: string | undefined,
  expected: string | undefined,
  actual: string | undefined,
  chromeCorsError: string | undefined,
  failedParameter: string | undefined,
  firefoxReason: string | undefined,
  status: number | undefined,
): CheckFailure {
  return {
    id,
    request,
    header,
    expected,
    actual,
    chromeCorsError,
    failedParameter,
    firefoxReason,
    status,
    leg: i,
    url: exchange.legs[i]!.request.url,
  };
}

/** Shared by the walks that used no cached preflight (most): never modified. */
const NO_LEGS_FROM_CACHE = Object.freeze([]) as unknown as number[];

export function walkExchange(exchange: Exchange, requestOrigin: string, credentialsInclude: boolean, browser: BrowserName): Walk {
  // Most exchanges have one leg: a one-element literal, not an empty array grown by push.
  let facts: LegFacts[] | null = null;
  let fromCache = NO_LEGS_FROM_CACHE;
  let unobserved: number | null = null;
  let tainted = false;
  let corsTainting = false;
  const chromeDecides = browser === "chrome";

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
    const fact: LegFacts = {
      index: i,
      url,
      origin,
      corsChecked,
      preflightNeeded: needsPreflight,
      preflightObserved: !!leg.preflight,
      unsafeHeaders,
      isRedirect: redirect,
    };
    if (facts === null) facts = [fact];
    else facts.push(fact);

    if (corsChecked) {
      corsTainting = true;
      if (leg.preflight) {
        const pf = leg.preflight;
        if (!pf.response) {
          if (!pf.error) return walked(null, facts, fromCache, unobserved, true, null);
          const failure = failureAt(
            exchange,
            i,
            "preflight-request-did-not-succeed",
            "preflight",
            undefined,
            undefined,
            pf.error,
            undefined,
            undefined,
            undefined,
            undefined,
          );
          return walked(failure, facts, fromCache, unobserved, false, true);
        }
        const input: PreflightInput = {
          response: pf.response,
          requestOrigin: get(pf.request.headers, "origin") ?? origin,
          credentialsInclude,
          method: get(pf.request.headers, "access-control-request-method") ?? leg.request.method,
          unsafeHeaders,
        };
        // The browser that decides first; the other's reason only matters once this one fails.
        const chosen = chromeDecides ? chromeCheckPreflight(input) : firefoxCheckPreflight(input);
        if (chosen) {
          const chrome = chromeDecides ? chosen : chromeCheckPreflight(input);
          const firefox = chromeDecides ? firefoxCheckPreflight(input) : chosen;
          const other = chromeDecides ? firefox : chrome;
          const failure = failureAt(
            exchange,
            i,
            chosen.id,
            "preflight",
            chrome?.header,
            chrome?.expected,
            chrome?.actual,
            chrome?.chromeCorsError,
            chrome?.failedParameter,
            firefox?.firefoxReason,
            pf.response.status,
          );
          // The other browser walks the same legs up to here; it fails too when its own check of this
          // preflight fails, which is this result unless the header names needing permission differ.
          return walked(failure, facts, fromCache, unobserved, false, other !== null && !unsafeHeadersDependOnBrowser(leg) ? true : null);
        }
      } else if (needsPreflight) {
        if (leg.response) {
          if (fromCache === NO_LEGS_FROM_CACHE) fromCache = [];
          fromCache.push(i);
        } else unobserved = i;
      }
    }

    const response = leg.response;
    if (!response) return walked(null, facts, fromCache, unobserved, true, null);
    if (corsChecked) {
      const access: AccessInput = { headers: response.headers, requestOrigin: origin, credentialsInclude };
      const chosen = chromeDecides ? chromeCheckAccess(access) : firefoxCheckAccess(access);
      if (chosen) {
        const chrome = chromeDecides ? (chosen as AccessFailure) : chromeCheckAccess(access);
        const firefox = chromeDecides ? firefoxCheckAccess(access) : (chosen as FirefoxAccessFailure);
        const failure = failureAt(
          exchange,
          i,
          chosen.id,
          "actual",
          chrome?.header ?? "access-control-allow-origin",
          chrome?.expected ?? origin,
          chrome?.actual ?? get(response.headers, "access-control-allow-origin") ?? "",
          chrome?.chromeCorsError,
          chrome?.failedParameter,
          firefox?.firefoxReason,
          response.status,
        );
        // The CORS check reads neither the browser's safelist nor the method: the other browser, having
        // passed every earlier step, fails here exactly when its own check of this response fails.
        return walked(failure, facts, fromCache, unobserved, false, (chromeDecides ? firefox : chrome) !== null ? true : null);
      }
    }
    if (redirect) {
      const location = get(response.headers, "location")!;
      const next = exchange.legs[i + 1];
      // Without a next leg the browser either refused the hop (the check below) or did not follow it
      // (redirect: "manual", where Chrome reports the fetch completed).
      const followed = next !== undefined || !(exchange.outcome?.kind === "completed" && exchange.observedBy === "chrome");
      if (corsChecked && followed && hasUserinfo(location, url)) {
        const failure = failureAt(
          exchange,
          i,
          "redirect-location-has-credentials",
          "actual",
          "location",
          "a URL without user:password@",
          location,
          "RedirectContainsCredentials",
          "",
          // Measured: Firefox has no reason of its own here and logs "CORS request did not succeed".
          "CORSDidNotSucceed2",
          response.status,
        );
        return walked(failure, facts, fromCache, unobserved, false, true);
      }
      if (next) {
        // https://fetch.spec.whatwg.org/#concept-request-tainted-origin: a hop to another origin,
        // from a URL that is not the request's origin, taints the origin for the rest of the chain.
        const nextOrigin = originOf(next.request.url);
        if (nextOrigin !== legOrigin && requestOrigin !== legOrigin) tainted = true;
      }
    }
  }
  return walked(null, facts ?? [], fromCache, unobserved, false, null);
}
