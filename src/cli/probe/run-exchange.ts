// Plays one fetch() the way the browser does, leg by leg, and records what went over the wire as an Exchange.
// The browser stops at the first CORS failure (a failed preflight means no actual request; a redirect that
// fails the CORS check is not followed); whether a response fails is the engine's call, not ours.
import { diagnoseExchange } from "../../core/diagnose";
import { get } from "../../core/headers";
import type { BrowserName, Exchange, Header, HttpRequest, Leg } from "../../core/model";
import { preflightNeeded } from "../../core/safelist";
import { actualRequest, preflightRequest } from "./browser-requests";
import type { Transport, WireResponse } from "./wire";

export interface BrowserFetch {
  url: string;
  origin: string;
  method: string;
  headers: Header[];
  credentials: boolean;
  cookie: string | null;
  /** Browsers send the page's headers to wherever a redirect leads; false keeps them from other origins. */
  forwardHeaders?: boolean;
  browser: BrowserName;
  timeoutMs: number;
}

/** One request as sent and what came back, in the order they went over the wire. */
export interface WireRecord {
  role: "preflight" | "actual";
  leg: number;
  request: HttpRequest;
  response: WireResponse;
}

export interface ProbeRun {
  exchange: Exchange;
  wire: WireRecord[];
  /** Why the browser stopped before the end (preflight failed, redirect refused…), for the human report. */
  stoppedBecause?: string;
  /** The page's headers that a redirect carried to another origin (names and where), for a note to the user. */
  forwarded?: Array<{ header: string; to: string }>;
  /** True when --cookie was withheld because a redirect left https for http or the host changed. */
  cookieWithheld?: boolean;
}

/** Chromium's limit (net::ERR_TOO_MANY_REDIRECTS), Fetch #http-redirect-fetch step 5. */
const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch #http-redirect-fetch step 12: dropped with the body when the method becomes GET. */
const REQUEST_BODY_HEADERS = new Set(["content-encoding", "content-language", "content-location", "content-type"]);

export async function runBrowserFetch(request: BrowserFetch, send: Transport): Promise<ProbeRun> {
  const notes: Pick<ProbeRun, "forwarded" | "cookieWithheld"> = {};
  const run = await playFetch(request, send, notes);
  return { ...run, ...notes };
}

async function playFetch(request: BrowserFetch, send: Transport, notes: Pick<ProbeRun, "forwarded" | "cookieWithheld">): Promise<ProbeRun> {
  const exchange: Exchange = {
    initiatorOrigin: request.origin,
    legs: [],
    outcome: { kind: "unknown" },
    observedBy: "unknown",
    credentials: request.credentials ? "include" : "same-origin",
    mode: "cors",
    resourceType: "fetch",
    startedAt: Date.now(),
  };
  const wire: WireRecord[] = [];
  const first = new URL(request.url);
  let url = request.url;
  let method = request.method;
  let headers = [...request.headers];
  // Fetch #http-redirect-fetch step 11 / Chromium CheckTainted: once tainted, Origin is "null" for good.
  let tainted = request.origin === "null";
  const options = { timeoutMs: request.timeoutMs };
  const diagnose = () => diagnoseExchange(exchange, { browser: request.browser, fixes: false });

  for (let hop = 0; ; hop++) {
    const originHeader = tainted ? "null" : request.origin;
    const crossOrigin = tainted || new URL(url).origin !== request.origin;
    // Cookies are the target host's: the user's --cookie goes to that host only, and only with credentials.
    // A cookie given for an https URL never travels in clear: not to http, even on the same host.
    const here = new URL(url);
    const cookieAllowed = here.host === first.host && !(first.protocol === "https:" && here.protocol === "http:");
    if (request.credentials && request.cookie && !cookieAllowed) notes.cookieWithheld = true;
    const cookie = request.credentials && cookieAllowed ? request.cookie : null;
    const leg: Leg = { request: actualRequest(url, originHeader, method, headers, cookie) };
    exchange.legs.push(leg);

    if (crossOrigin && preflightNeeded(method, headers, request.browser)) {
      const preflight = preflightRequest(url, originHeader, method, headers, request.browser);
      const response = await send(preflight, options);
      leg.preflight = { request: preflight, response };
      wire.push({ role: "preflight", leg: exchange.legs.length - 1, request: preflight, response });
      // Chromium fails a redirected preflight before looking at any header (PreflightDisallowedRedirect).
      if (
        REDIRECT_STATUSES.has(response.status) ||
        (response.status >= 300 && response.status < 400 && get(response.headers, "location") !== null)
      ) {
        delete leg.response;
        return {
          exchange,
          wire,
          stoppedBecause: `the preflight was redirected (${response.status}); the browser never follows a preflight redirect`,
        };
      }
      const verdict = diagnose();
      if (verdict.blockedBy?.request === "preflight") {
        return { exchange, wire, stoppedBecause: "the preflight failed, so the browser did not send the actual request" };
      }
    }

    const response = await send(leg.request, options);
    leg.response = response;
    wire.push({ role: "actual", leg: exchange.legs.length - 1, request: leg.request, response });

    const location = get(response.headers, "location");
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return { exchange, wire };

    // Fetch #http-redirect-fetch step 7: while the CORS flag is set the redirect itself must pass the CORS check.
    if (crossOrigin && diagnose().verdict === "blocked") {
      return {
        exchange,
        wire,
        stoppedBecause: `the redirect response (${response.status}) failed the CORS check, so the browser did not follow it`,
      };
    }
    // Below are failures the browser reports as network errors, not CORS errors: the outcome is then known.
    const networkError = (error: string, because: string): ProbeRun => {
      exchange.outcome = { kind: "failed", error };
      return { exchange, wire, stoppedBecause: `${because} (${error})` };
    };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return networkError("net::ERR_INVALID_REDIRECT", `the Location ${JSON.stringify(location)} is not a valid URL`);
    }
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      return networkError("net::ERR_UNSAFE_REDIRECT", `the redirect goes to ${next.protocol}, which fetch() cannot follow`);
    }
    if (hop + 1 > MAX_REDIRECTS) {
      return networkError("net::ERR_TOO_MANY_REDIRECTS", `more than ${MAX_REDIRECTS} redirects`);
    }
    const current = new URL(url);
    // Step 11 (taint): a hop to another origin, from a URL that was not the page's origin.
    if (next.origin !== current.origin && request.origin !== current.origin) tainted = true;
    // Step 13: Authorization is removed on a cross-origin hop. Every other header the page set goes on to the
    // next origin, as in the browser, unless the user asked not to (--no-forward-headers).
    if (next.origin !== current.origin) {
      headers = headers.filter((h) => h.name.toLowerCase() !== "authorization");
      if (request.forwardHeaders === false) headers = headers.filter((h) => !request.headers.includes(h));
      else for (const h of headers) if (request.headers.includes(h)) (notes.forwarded ??= []).push({ header: h.name, to: next.origin });
    }
    // Step 12: 301/302 turn POST into GET, 303 turns everything but GET/HEAD into GET, and the body goes.
    if (
      ((response.status === 301 || response.status === 302) && method === "POST") ||
      (response.status === 303 && method !== "GET" && method !== "HEAD")
    ) {
      method = "GET";
      headers = headers.filter((h) => !REQUEST_BODY_HEADERS.has(h.name.toLowerCase()));
    }
    next.hash = "";
    url = next.href;
  }
}
