// Runs in the page's own JavaScript world, at document_start, in armed tabs only. It is the one place that
// sees what the page asked for (request mode, credentials mode), how its fetch/XHR ended (a TypeError the
// page got, an abort), which response headers the page tried to read, and the requests the browser refused
// before any webRequest event exists (mixed content, the page's CSP). It only observes: every wrapper calls
// the original with the page's own arguments and returns its result unchanged.
//
// What it sends is evidence, not truth: the page can see and forge these events (it shares this world), so
// the background parses every observation as untrusted input (see ../capture/page-reports.ts).
import { PAGE_REPORT_EVENT, PAGE_REPORT_SEPARATOR, type PageReport } from "../capture/page-reports";
import type { AddressSpace } from "../core/model";
import { batched } from "../shared/batches";

declare global {
  interface Window {
    __corsDoctorObserver?: true;
  }
}

/** How long a failure's report waits for the CSP report that may explain it. */
const FAILURE_REPORT_DELAY_MS = 150;
/**
 * Reports leave for the relay in batches, one DOM event each: a busy page answers hundreds of fetches a second, and
 * an event per report (its dispatch into the relay's world) cost the page more than the report itself (issue 16,
 * Firefox bench). In order, so a CSP report still comes before the failure it explains; a service worker's at once.
 */
const BATCH_MS = 20;
/** More than a page fires in BATCH_MS unless in a loop; the relay keeps at most its own bound of them anyway. */
const MAX_PER_BATCH = 1000;

// Response headers a page can always read (Fetch "CORS-safelisted response-header name").
const SAFELISTED_RESPONSE_HEADERS = new Set([
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
]);

function install(): void {
  if (window.__corsDoctorObserver) return;
  Object.defineProperty(window, "__corsDoctorObserver", { value: true });

  const pageOrigin = location.origin;
  const dispatch = batched<string>(
    (reports) => {
      try {
        window.dispatchEvent(new CustomEvent(PAGE_REPORT_EVENT, { detail: reports.join(PAGE_REPORT_SEPARATOR) }));
      } catch {
        // Observation must never break the page.
      }
    },
    BATCH_MS,
    MAX_PER_BATCH,
  );
  const send = (observation: PageReport) => {
    try {
      // JSON text has no raw line break: the separator cannot occur inside a report.
      dispatch(JSON.stringify(observation), observation.kind === "service-worker");
    } catch {
      // Observation must never break the page.
    }
  };
  // A failure is reported a moment later: the securitypolicyviolation event of a CSP-refused hop is a task of its
  // own, which a loaded renderer may run after the page's promise rejected; its report must not arrive after the
  // failure it explains (the background matches them when the failure arrives).
  const sendFailure = (observation: PageReport) => void setTimeout(() => send(observation), FAILURE_REPORT_DELAY_MS);
  const absolute = (url: string): string | null => {
    try {
      return new URL(url, document.baseURI).href;
    } catch {
      return null;
    }
  };
  const crossOrigin = (url: string) => {
    // A URL the browser serialized (`absolute`, a response's URL) starts with its origin, up to the path's "/":
    // compared as text, without parsing it again; a URL with user info is left to the parser.
    const authority = url.indexOf("//") + 2;
    const path = url.indexOf("/", authority);
    if (authority > 1 && path > 0 && url.lastIndexOf("@", path) < authority) return url.slice(0, path) !== pageOrigin;
    try {
      return new URL(url).origin !== pageOrigin;
    } catch {
      return false;
    }
  };

  /** Response headers objects of cross-origin responses, and the request they answer. */
  const responseHeaders = new WeakMap<Headers, { url: string; method: string }>();
  const unexposedReads = new Map<string, Set<string>>();
  let readsTimer: ReturnType<typeof setTimeout> | null = null;
  const noteRead = (owner: { url: string; method: string }, name: string) => {
    const lower = String(name).toLowerCase();
    if (SAFELISTED_RESPONSE_HEADERS.has(lower)) return;
    const key = `${owner.method} ${owner.url}`;
    const names = unexposedReads.get(key) ?? new Set<string>();
    if (names.size >= 32) return;
    names.add(lower);
    unexposedReads.set(key, names);
    if (readsTimer === null) {
      readsTimer = setTimeout(() => {
        readsTimer = null;
        for (const [k, set] of unexposedReads) {
          const space = k.indexOf(" ");
          send({
            kind: "header-read",
            method: k.slice(0, space),
            url: k.slice(space + 1),
            readHeaders: [...set],
            at: Date.now(),
            pageUrl: location.href,
          });
        }
        unexposedReads.clear();
      }, 100);
    }
  };

  const originalGet = Headers.prototype.get;
  const originalHas = Headers.prototype.has;
  Headers.prototype.get = function (this: Headers, name: string) {
    const value = originalGet.call(this, name);
    const owner = value === null ? responseHeaders.get(this) : undefined;
    if (owner) noteRead(owner, name);
    return value;
  };
  Headers.prototype.has = function (this: Headers, name: string) {
    const value = originalHas.call(this, name);
    const owner = value ? undefined : responseHeaders.get(this);
    if (owner) noteRead(owner, name);
    return value;
  };

  const originalFetch = window.fetch;
  window.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    // Read the request's facts without constructing a Request: that would lock a streamed body.
    const fromRequest = typeof Request !== "undefined" && input instanceof Request ? input : null;
    const rawUrl = fromRequest ? fromRequest.url : String(input instanceof URL ? input.href : input);
    const url = absolute(rawUrl);
    const method = String(init?.method ?? fromRequest?.method ?? "GET").toUpperCase();
    const mode = (init?.mode ?? fromRequest?.mode ?? "cors") as RequestMode;
    const credentials = (init?.credentials ?? fromRequest?.credentials ?? "same-origin") as RequestCredentials;
    // Two options that make a fetch fail for reasons that are not CORS: an integrity mismatch, a redirect refused.
    const integrity = Boolean(init?.integrity ?? fromRequest?.integrity);
    const redirect = (init?.redirect ?? fromRequest?.redirect ?? "follow") as RequestRedirect;
    // Local Network Access: the address space the page declared (Chromium 142+); a mismatch fails the fetch bare.
    const targetAddressSpace = (init as { targetAddressSpace?: unknown } | undefined)?.targetAddressSpace;
    const at = Date.now();
    // eslint-disable-next-line prefer-rest-params
    const result = originalFetch.apply(this as typeof window, arguments as unknown as [RequestInfo | URL, RequestInit?]);
    if (url && /^https?:/i.test(url)) {
      const base = {
        kind: "fetch" as const,
        url,
        method,
        mode,
        credentials,
        at,
        pageUrl: location.href,
        ...(integrity ? { integrity } : {}),
        ...(redirect !== "follow" ? { redirect } : {}),
        ...(typeof targetAddressSpace === "string" ? { targetAddressSpace: targetAddressSpace as AddressSpace } : {}),
      };
      result.then(
        (response) => {
          if (!crossOrigin(url) && !crossOrigin(response.url || url)) return;
          if (response.type === "cors") responseHeaders.set(response.headers, { url, method });
          send({ ...base, outcome: "response", status: response.status, responseType: response.type, endedAt: Date.now() });
        },
        (error: unknown) => {
          const name = error instanceof Error ? error.name : "";
          const message = error instanceof Error ? error.message : String(error);
          sendFailure({
            ...base,
            outcome: name === "AbortError" ? "aborted" : "network-error",
            message: message.slice(0, 300),
            endedAt: Date.now(),
          });
        },
      );
    }
    return result;
  } as typeof window.fetch;

  const xhrRequests = new WeakMap<XMLHttpRequest, { url: string; method: string }>();
  const originalOpen = XMLHttpRequest.prototype.open;
  const originalSend = XMLHttpRequest.prototype.send;
  const originalGetResponseHeader = XMLHttpRequest.prototype.getResponseHeader;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
    const resolved = absolute(String(url instanceof URL ? url.href : url));
    if (resolved) xhrRequests.set(this, { url: resolved, method: String(method).toUpperCase() });
    // eslint-disable-next-line prefer-rest-params
    return (originalOpen as (...args: unknown[]) => void).apply(this, arguments as unknown as unknown[]);
  } as typeof XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = xhrRequests.get(this);
    if (request && /^https?:/i.test(request.url)) {
      const at = Date.now();
      const credentials: RequestCredentials = this.withCredentials ? "include" : "same-origin";
      let aborted = false;
      this.addEventListener("abort", () => (aborted = true));
      this.addEventListener("loadend", () => {
        const failed = this.status === 0;
        if (!failed && !crossOrigin(request.url) && !crossOrigin(this.responseURL || request.url)) return;
        (failed ? sendFailure : send)({
          kind: "xhr",
          url: request.url,
          method: request.method,
          mode: "cors",
          credentials,
          at,
          pageUrl: location.href,
          endedAt: Date.now(),
          outcome: aborted ? "aborted" : failed ? "network-error" : "response",
          ...(failed ? {} : { status: this.status }),
        });
      });
    }
    return originalSend.call(this, body as XMLHttpRequestBodyInit | null | undefined);
  };
  XMLHttpRequest.prototype.getResponseHeader = function (this: XMLHttpRequest, name: string) {
    const value = originalGetResponseHeader.call(this, name);
    const request = xhrRequests.get(this);
    if (value === null && request && this.status !== 0 && crossOrigin(this.responseURL || request.url)) noteRead(request, name);
    return value;
  };

  // sendBeacon: Chromium returns true even when the page's CSP then refuses it (measured, matrix2), so the beacon is
  // reported whatever it returned; only a CSP report about its URL makes it a refused request (page-reports.ts).
  const originalSendBeacon = typeof navigator.sendBeacon === "function" ? navigator.sendBeacon : null;
  if (originalSendBeacon) {
    navigator.sendBeacon = function (this: Navigator, url: string | URL, data?: BodyInit | null) {
      const queued = originalSendBeacon.call(this, url, data);
      const resolved = absolute(String(url instanceof URL ? url.href : url));
      if (resolved && /^https?:/i.test(resolved) && crossOrigin(resolved)) {
        const at = Date.now();
        send({
          kind: "beacon",
          url: resolved,
          method: "POST",
          // No mode: a beacon is no-cors only with a CORS-safelisted body type (Fetch, sendBeacon step 6).
          at,
          endedAt: at,
          pageUrl: location.href,
          outcome: queued ? "response" : "network-error",
        });
      }
      return queued;
    } as typeof navigator.sendBeacon;
  }

  // A <script>/<link> with an integrity attribute that fires "error": webRequest shows its load as complete when
  // the digest did not match (Subresource Integrity fails after the response, measured in matrix2), so only the
  // page can say it failed. A <script> of plain http on an https page: refused as mixed content before any
  // webRequest event. And an element loaded in CORS mode (`crossorigin`, a module script): webRequest cannot tell it
  // from a plain load when it failed before its headers (another extension blocked it), the page can.
  // Error events do not bubble: listened for in the capture phase. An event is reported once, though an image
  // attached after its load started hears it twice (its own listener below, and the document's).
  const reportedEvents = new WeakSet<Event>();
  const onElementError = (event: Event) => {
    if (reportedEvents.has(event)) return;
    reportedEvents.add(event);
    const target = event.target;
    const script = target instanceof HTMLScriptElement;
    if (!(script || target instanceof HTMLLinkElement || target instanceof HTMLImageElement)) return;
    // An image given a `srcset` has the source it chose in `currentSrc` (its `src` may be empty).
    const url = absolute(
      target instanceof HTMLLinkElement ? target.href : target instanceof HTMLImageElement ? target.currentSrc || target.src : target.src,
    );
    if (!url || !/^https?:/i.test(url) || !crossOrigin(url)) return;
    const integrity = !(target instanceof HTMLImageElement) && Boolean(target.integrity);
    const insecure = script && location.protocol === "https:" && /^http:/i.test(url);
    const cors = target.crossOrigin !== null || (script && target.type === "module");
    if (!integrity && !insecure && !cors) return;
    send(
      elementFailed(target.localName as "script" | "link" | "img", url, {
        ...(cors ? { mode: "cors" } : {}),
        ...(integrity ? { integrity: true } : {}),
        message: `error event on <${target.localName}${integrity ? " integrity" : cors ? " crossorigin" : ""}>`,
      }),
    );
  };
  document.addEventListener("error", onElementError, true);
  // A `new Image()` that is never attached (a canvas or WebGL texture loader) fires "error" on itself only, so the
  // document never hears it: giving a source to an image outside the document (the `src` or `srcset` property, or
  // `setAttribute`) hands it the same listener. The originals are called with the page's values.
  const watched = new WeakSet<HTMLImageElement>();
  const watchDetached = (image: HTMLImageElement) => {
    if (image.isConnected || watched.has(image)) return;
    watched.add(image);
    image.addEventListener("error", onElementError);
  };
  for (const name of ["src", "srcset"] as const) {
    const descriptor = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, name);
    const set = descriptor?.set;
    if (!descriptor || !set) continue;
    Object.defineProperty(HTMLImageElement.prototype, name, {
      ...descriptor,
      set(this: HTMLImageElement, value: string) {
        watchDetached(this);
        set.call(this, value);
      },
    });
  }
  // Images only: an own `setAttribute` on their prototype leaves every other element's calls untouched.
  const setAttribute = Element.prototype.setAttribute;
  Object.defineProperty(HTMLImageElement.prototype, "setAttribute", {
    configurable: true,
    enumerable: false,
    writable: true,
    // The page's arguments as given (a missing one still throws, an object name is converted once, by the original).
    value: function (this: HTMLImageElement, ...args: [string, string]) {
      if (this instanceof HTMLImageElement && typeof args[0] === "string" && /^src(set)?$/i.test(args[0])) watchDetached(this);
      return Reflect.apply(setAttribute, this, args);
    },
  });

  if (location.protocol === "https:") observeInsecureFonts(send);
  observeServiceWorker(send);

  document.addEventListener(
    "securitypolicyviolation",
    (event) => {
      if (event.disposition !== "enforce") return;
      const directive = event.effectiveDirective || event.violatedDirective;
      if (!/^(connect-src|default-src)/.test(directive)) return;
      send({ kind: "csp", url: event.blockedURI, directive, at: Date.now(), pageUrl: location.href });
    },
    true,
  );
}

/**
 * A service worker's own requests reach webRequest with no tab, and the background follows them in full only while
 * it knows that an armed tab's page has one (src/background/listeners.ts `followWorkers`). Said when the page is
 * controlled from its start, when a worker takes control, and as the page registers one: a worker may fetch before
 * it controls the page (the page posts it a message), and the report must come first.
 */
function observeServiceWorker(send: (observation: PageReport) => void): void {
  let container: ServiceWorkerContainer | undefined;
  try {
    container = navigator.serviceWorker; // absent outside secure contexts; throws in some sandboxed frames
  } catch {
    return;
  }
  if (!container) return;
  const say = (script: unknown) => {
    let url = location.href;
    try {
      if (script !== undefined) url = new URL(String(script), document.baseURI).href;
    } catch {
      // The page's own bad argument: register() rejects it; the report names the page.
    }
    send({ kind: "service-worker", url, at: Date.now(), pageUrl: location.href });
  };
  if (container.controller) say(container.controller.scriptURL);
  container.addEventListener("controllerchange", () => say(container.controller?.scriptURL));
  const proto = Object.getPrototypeOf(container) as ServiceWorkerContainer;
  const register = proto.register;
  if (typeof register !== "function") return;
  proto.register = function (this: ServiceWorkerContainer, ...args: Parameters<ServiceWorkerContainer["register"]>) {
    say(args[0]);
    return register.apply(this, args);
  };
}

/** The report of an element (or a font) whose load failed, as the page saw it now. */
function elementFailed(
  tag: NonNullable<PageReport["tag"]>,
  url: string,
  seen: Pick<PageReport, "mode" | "integrity" | "message">,
): PageReport {
  const at = Date.now();
  return { kind: "element", tag, url, method: "GET", ...seen, outcome: "network-error", at, endedAt: at, pageUrl: location.href };
}

/**
 * A font of plain http on an https page is refused as mixed content before any webRequest event, and nothing but the
 * page sees it fail: a rejected `FontFace.load()`, or a "loadingerror" of `document.fonts` for an `@font-face` rule.
 * Neither carries the URL, so the source is kept from the FontFace constructor, or read from the page's own style
 * sheets (a cross-origin sheet's rules are not readable: its fonts are not seen). Only http sources are reported.
 */
function observeInsecureFonts(send: (observation: PageReport) => void): void {
  const sources = new WeakMap<object, string>();
  const report = (source: string | undefined, message: string) => {
    if (!source) return;
    for (const m of source.matchAll(/url\(\s*(["']?)(http:[^"')\s]+)\1\s*\)/gi))
      send(elementFailed("font", m[2]!, { mode: "cors", message }));
  };
  const Native = window.FontFace;
  if (typeof Native === "function") {
    window.FontFace = new Proxy(Native, {
      construct(target, args, newTarget) {
        const face = Reflect.construct(target, args, newTarget) as FontFace;
        if (typeof args[1] === "string") sources.set(face, args[1]);
        return face;
      },
    });
    const load = Native.prototype.load;
    Native.prototype.load = function (this: FontFace) {
      const loading = load.call(this);
      loading.then(undefined, () => report(sources.get(this), "FontFace.load() rejected"));
      return loading;
    };
  }
  // @font-face rules: the failed faces' families, looked up in the style sheets the page can read.
  const cssSourceOf = (family: string): string | undefined => {
    const name = family.replace(/^["']|["']$/g, "");
    for (const sheet of Array.from(document.styleSheets)) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      for (const rule of Array.from(rules)) {
        if (!(rule instanceof CSSFontFaceRule)) continue;
        if (rule.style.getPropertyValue("font-family").replace(/^["']|["']$/g, "") === name) return rule.style.getPropertyValue("src");
      }
    }
    return undefined;
  };
  document.fonts?.addEventListener("loadingerror", (event) => {
    for (const face of (event as FontFaceSetLoadEvent).fontfaces) {
      if (!sources.has(face)) report(cssSourceOf(face.family), "@font-face failed to load");
    }
  });
}

install();
