// How the playground API answers each button: one small function per scenario, each reproducing one
// server configuration as it is found in the wild (see playground/public/scenarios.mjs for the page side).
// `ctx.pageOrigin` is the origin the page is served from (http://127.0.0.1:P); `ctx.secondOrigin` the other
// page origin (http://localhost:P) used by the "echo any origin" iframe.

/**
 * @typedef {{ status: number, headers: Record<string, string>, body?: string, delayMs?: number }} Answer
 * @typedef {{ method: string, origin: string | undefined, cookie: string | undefined, path: string, search: string, pageOrigin: string, secondOrigin: string }} Asked
 * @typedef {(asked: Asked) => Answer} Route
 */

const json = { "content-type": "application/json" };
const body = (value) => JSON.stringify(value);
const isPreflight = (asked) => asked.method === "OPTIONS";

/** An allow-list that holds exactly the playground page's origin, as a careful server would have. */
function allowListed(asked) {
  return asked.origin === asked.pageOrigin ? asked.origin : null;
}

/** @type {Record<string, Route>} */
export const routes = {
  "no-allow-origin": () => ({ status: 200, headers: json, body: body({ items: [1, 2, 3] }) }),

  "wildcard-with-credentials": () => ({
    status: 200,
    headers: { ...json, "access-control-allow-origin": "*" },
    body: body({ user: "demo" }),
  }),

  "header-not-allowed": (asked) =>
    isPreflight(asked)
      ? {
          status: 204,
          headers: {
            "access-control-allow-origin": asked.pageOrigin,
            "access-control-allow-methods": "GET, PUT",
            "access-control-allow-headers": "Content-Type",
            "access-control-max-age": "600",
            vary: "Origin",
          },
        }
      : { status: 200, headers: { ...json, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" }, body: body({ saved: true }) },

  "method-not-allowed": (asked) =>
    isPreflight(asked)
      ? {
          status: 204,
          headers: { "access-control-allow-origin": asked.pageOrigin, "access-control-allow-methods": "GET, POST", vary: "Origin" },
        }
      : {
          status: 200,
          headers: { ...json, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" },
          body: body({ deleted: true }),
        },

  // The auth middleware runs first and knows nothing about CORS: the preflight carries no Authorization
  // (Fetch: "CORS-preflight fetch … credentials mode is omit"), so it is rejected.
  "preflight-behind-auth": (asked) =>
    asked.method === "OPTIONS"
      ? { status: 401, headers: { ...json, "www-authenticate": "Bearer" }, body: body({ error: "unauthorized" }) }
      : {
          status: 200,
          headers: { ...json, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" },
          body: body({ user: "demo" }),
        },

  // The CORS middleware is only on the success path; the crash handler writes a bare 500.
  "error-500-without-cors": () => ({ status: 500, headers: { "content-type": "text/plain" }, body: "Internal Server Error" }),

  // A framework's trailing-slash redirect, answered for every method (OPTIONS included) before CORS runs.
  // The slash URL itself works: calling it directly is the fix.
  "redirect-on-api": (asked) =>
    asked.path.endsWith("/")
      ? routes["preflighted-put-json"](asked)
      : {
          status: 308,
          headers: { location: `${asked.path}/${asked.search}`, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" },
        },

  // Configured for the dev server at http://localhost:<port>; the page runs on 127.0.0.1.
  "localhost-vs-127": (asked) => ({
    status: 200,
    headers: { ...json, "access-control-allow-origin": asked.secondOrigin },
    body: body({ items: [] }),
  }),

  // Echoes an allow-listed origin but forgets Vary: Origin.
  "missing-vary-origin": (asked) => ({
    status: 200,
    headers: { ...json, "access-control-allow-origin": asked.origin ?? "", "cache-control": "public, max-age=60" },
    body: body({ items: [] }),
  }),

  // Reflects any Origin with credentials (Vary is right, the trust is not).
  "echo-any-origin": (asked) => ({
    status: 200,
    headers: { ...json, "access-control-allow-origin": asked.origin ?? "*", "access-control-allow-credentials": "true", vary: "Origin" },
    body: body({ user: "demo", email: "demo@example.test" }),
  }),

  "max-age-too-large": (asked) =>
    isPreflight(asked)
      ? {
          status: 204,
          headers: {
            "access-control-allow-origin": asked.pageOrigin,
            "access-control-allow-methods": "GET, PATCH",
            "access-control-allow-headers": "Content-Type",
            "access-control-max-age": "86400",
            vary: "Origin",
          },
        }
      : { status: 200, headers: { ...json, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" }, body: body({ done: true }) },

  // Not-CORS buttons: "server-down" and "page-csp" never reach a server (nothing listens / the page's CSP stops them).

  // Every CORS header right; the page's fetch has redirect: 'error', so the 302 itself fails it.
  "redirect-mode-error": (asked) =>
    asked.path.endsWith("/")
      ? routes["simple-get"](asked)
      : {
          status: 302,
          headers: { location: `${asked.path}/${asked.search}`, "access-control-allow-origin": asked.pageOrigin, vary: "Origin" },
        },

  // The auth layer runs before CORS: without the session cookie (see "session" below: no SameSite attribute), a bare
  // 401. With it, the credentialed answer done right.
  "cookie-samesite-default": (asked) =>
    /(^|;\s*)playground_session=/.test(asked.cookie ?? "")
      ? routes["credentialed-done-right"](asked)
      : { status: 401, headers: { ...json, "www-authenticate": "Cookie" }, body: body({ error: "not signed in" }) },

  // Answers after 3 s, well after the page gave up (it aborts after 300 ms).
  "cancelled-by-page": (asked) => ({ ...routes["simple-get"](asked), delayMs: 3000 }),

  "simple-get": (asked) => {
    const allowed = allowListed(asked);
    return {
      status: 200,
      headers: { ...json, ...(allowed ? { "access-control-allow-origin": allowed } : {}), vary: "Origin" },
      body: body({ items: [1, 2, 3] }),
    };
  },

  "preflighted-put-json": (asked) => {
    const allowed = allowListed(asked);
    const cors = allowed ? { "access-control-allow-origin": allowed } : {};
    return isPreflight(asked)
      ? {
          status: 204,
          headers: {
            ...cors,
            "access-control-allow-methods": "GET, PUT",
            "access-control-allow-headers": "Content-Type",
            "access-control-max-age": "7200",
            vary: "Origin",
          },
        }
      : { status: 200, headers: { ...json, ...cors, vary: "Origin" }, body: body({ saved: true }) };
  },

  "credentialed-done-right": (asked) => {
    const allowed = allowListed(asked);
    const cors = allowed ? { "access-control-allow-origin": allowed, "access-control-allow-credentials": "true" } : {};
    return { status: 200, headers: { ...json, ...cors, vary: "Origin" }, body: body({ user: "demo" }) };
  },

  // Not a button: the page "signs in" on load, so that credentialed requests carry a Cookie header as they
  // would in a real app. That Cookie is also the only sign of credentials mode 'include' a webRequest
  // listener gets in Firefox, where a blocked simple request looks completed.
  session: (asked) => ({
    status: 200,
    headers: {
      ...json,
      "access-control-allow-origin": asked.pageOrigin,
      "access-control-allow-credentials": "true",
      vary: "Origin",
      "set-cookie": "playground_session=demo-session; Path=/; HttpOnly",
    },
    body: body({ signedIn: true }),
  }),

  // Not a button: the request scripts/start*.mjs repeat until the extension's listeners are live.
  warm: (asked) => ({
    status: 200,
    headers: { "content-type": "text/plain", "access-control-allow-origin": asked.pageOrigin, vary: "Origin" },
    body: "warm",
  }),
};
