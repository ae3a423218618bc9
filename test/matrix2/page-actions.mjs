// What the page does for one matrix2 case, and how its outcome is read. `runActionInPage` is evaluated inside
// the page (puppeteer serialises it), so it is self-contained: no closure over module scope.

/** @typedef {import("./scenarios.mjs").Scenario} Scenario */

/**
 * @typedef {object} PageAction
 * @property {string} id
 * @property {string} kind
 * @property {string} url            the request under test (…/m/<id>?r=<run>)
 * @property {any} init              RequestInit (headers as pairs)
 * @property {string} [crossOrigin]
 * @property {string} [integrity]
 * @property {string} [readHeader]
 * @property {number} [abortAfterMs]
 * @property {boolean} [detached]      img: never attached to the document
 * @property {string} [srcBy]         img: "setAttribute" gives the source with setAttribute("src", …), not the property
 * @property {string} workerUrl      same-origin dedicated worker script
 * @property {string} swUrl          same-origin service worker script
 * @property {string} frameUrl       the cross-origin frame (other.test) that runs a fetch on request
 */

/**
 * @typedef {object} PageOutcome
 * @property {boolean} ok            the page got what it asked for (fetch resolved, image loaded, …)
 * @property {number} [status]
 * @property {string} [type]         Response.type
 * @property {string} [error]
 * @property {string | null} [header] the value read with readHeader (null: not readable)
 * @property {boolean} [beaconQueued]
 */

/** The origin-relative URLs a case uses; `base` is the API origin, `page` the page origin. */
export function urlsFor(
  /** @type {Scenario} */ scenario,
  /** @type {string} */ base,
  /** @type {string} */ page,
  /** @type {string} */ frameOrigin,
  /** @type {string} */ run,
) {
  return {
    url: `${base}/m/${scenario.id}?r=${run}`,
    workerUrl: `${page}/worker.js`,
    swUrl: `${page}/sw.js`,
    frameUrl: `${frameOrigin}/frame/${scenario.id}`,
  };
}

/**
 * Evaluated in the page.
 * @param {PageAction} a
 * @returns {Promise<PageOutcome>}
 */
export async function runActionInPage(a) {
  const timeout = (/** @type {number} */ ms) => new Promise((r) => setTimeout(() => r({ ok: false, error: "timeout (page)" }), ms));
  const errorText = (/** @type {unknown} */ e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  const viaElement = (/** @type {HTMLElement & { src: string }} */ el) =>
    new Promise((resolve) => {
      el.addEventListener("load", () => resolve({ ok: true }));
      el.addEventListener("error", () => resolve({ ok: false, error: "error event" }));
      el.src = a.url;
      document.body.append(el);
    });
  const run = async () => {
    switch (a.kind) {
      case "fetch": {
        const controller = new AbortController();
        if (a.abortAfterMs) setTimeout(() => controller.abort(), a.abortAfterMs);
        try {
          const res = await fetch(a.url, { ...a.init, signal: controller.signal });
          /** @type {any} */
          const out = { ok: true, status: res.status, type: res.type };
          if (a.readHeader) out.header = res.headers.get(a.readHeader);
          try {
            await res.text();
          } catch {
            /* opaque */
          }
          return out;
        } catch (e) {
          return { ok: false, error: errorText(e) };
        }
      }
      case "xhr":
        return new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open(a.init.method ?? "GET", a.url);
          if (a.init.credentials === "include") xhr.withCredentials = true;
          for (const [n, v] of a.init.headers ?? []) xhr.setRequestHeader(n, v);
          xhr.onload = () => resolve({ ok: true, status: xhr.status });
          xhr.onerror = () => resolve({ ok: false, error: "xhr error event" });
          xhr.onabort = () => resolve({ ok: false, error: "xhr abort event" });
          xhr.send(a.init.body ?? null);
          if (a.abortAfterMs) setTimeout(() => xhr.abort(), a.abortAfterMs);
        });
      case "worker": {
        const w = new Worker(a.workerUrl);
        const out = await new Promise((resolve) => {
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => resolve({ ok: false, error: `worker error: ${e.message}` });
          w.postMessage({ url: a.url, init: a.init });
        });
        w.terminate();
        return out;
      }
      case "iframe": {
        const frame = document.createElement("iframe");
        /** @type {(v: any) => void} */
        let onResult = () => {};
        const result = new Promise((r) => {
          onResult = r;
        });
        const ready = new Promise((r) => {
          addEventListener("message", (e) => {
            if (e.source !== frame.contentWindow) return;
            if (e.data?.ready) r(undefined);
            else onResult(e.data);
          });
        });
        frame.src = a.frameUrl;
        document.body.append(frame);
        await ready;
        frame.contentWindow?.postMessage({ url: a.url, init: a.init }, "*");
        return result;
      }
      case "sw":
      case "sw-passthrough": {
        const reg = await navigator.serviceWorker.register(a.swUrl);
        await navigator.serviceWorker.ready;
        if (a.kind === "sw") {
          const worker = reg.active;
          if (!worker) return { ok: false, error: "no active service worker" };
          return new Promise((resolve) => {
            navigator.serviceWorker.addEventListener("message", (e) => resolve(e.data), { once: true });
            worker.postMessage({ url: a.url, init: a.init });
          });
        }
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", () => r(undefined), { once: true }));
        }
        try {
          const res = await fetch(`${a.url}&via=sw`, a.init);
          try {
            await res.text();
          } catch {
            /* opaque */
          }
          return { ok: true, status: res.status, type: res.type };
        } catch (e) {
          return { ok: false, error: errorText(e) };
        }
      }
      case "img": {
        const img = a.detached ? new Image() : document.createElement("img");
        if (a.crossOrigin) img.crossOrigin = a.crossOrigin;
        if (!a.detached) return viaElement(img);
        return new Promise((resolve) => {
          img.addEventListener("load", () => resolve({ ok: true }));
          img.addEventListener("error", () => resolve({ ok: false, error: "error event" }));
          if (a.srcBy === "setAttribute") img.setAttribute("src", a.url);
          else img.src = a.url;
        });
      }
      case "script":
      case "module": {
        const s = document.createElement("script");
        if (a.kind === "module") s.type = "module";
        if (a.crossOrigin) s.crossOrigin = a.crossOrigin;
        if (a.integrity) s.integrity = a.integrity;
        return viaElement(s);
      }
      case "font": {
        const face = new FontFace(`m2font${Date.now()}`, `url(${a.url})`);
        try {
          await face.load();
          return { ok: true };
        } catch (e) {
          return { ok: false, error: errorText(e) };
        }
      }
      case "font-css": {
        // An @font-face rule of the page's own style sheet, used by an element: the browser loads it as CSS does.
        const family = `m2css${Date.now()}`;
        const style = document.createElement("style");
        style.textContent = `@font-face { font-family: "${family}"; src: url("${a.url}"); }`;
        document.head.append(style);
        const span = document.createElement("span");
        span.style.fontFamily = `"${family}"`;
        span.textContent = "font";
        document.body.append(span);
        try {
          await document.fonts.load(`16px "${family}"`);
        } catch (e) {
          return { ok: false, error: errorText(e) };
        }
        const face = [...document.fonts].find((f) => f.family.replace(/"/g, "") === family);
        return face?.status === "loaded" ? { ok: true } : { ok: false, error: `FontFace status ${face?.status ?? "missing"}` };
      }
      case "beacon": {
        let queued = false;
        try {
          queued = navigator.sendBeacon(a.url, "beacon");
        } catch (e) {
          return { ok: false, error: errorText(e) };
        }
        // The beacon leaves after this returns; give it time to reach the server (the recorder reads the wire).
        await new Promise((r) => setTimeout(r, 400));
        return { ok: queued, beaconQueued: queued, ...(queued ? {} : { error: "sendBeacon returned false" }) };
      }
      default:
        return { ok: false, error: `unknown kind ${a.kind}` };
    }
  };
  return /** @type {Promise<PageOutcome>} */ (Promise.race([run(), timeout(12_000)]));
}
