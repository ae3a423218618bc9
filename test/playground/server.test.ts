// The playground server answers each button's scenario as its description says (plain HTTP, no browser):
// the page sends the request the browser would send, and each row checks the headers that make the mistake.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlayground, type Playground } from "../../playground/server.mjs";
import { scenarios, scenarioUrl } from "../../playground/public/scenarios.mjs";

let playground: Playground;
beforeAll(async () => {
  playground = await startPlayground();
});
afterAll(async () => {
  await playground?.close();
});

const byId = (id: string) => {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`no scenario ${id}`);
  return s;
};

/** Sends what the browser sends for a button: the preflight (OPTIONS) or the actual request, with Origin. */
async function ask(id: string, kind: "preflight" | "actual", origin = playground.pageOrigin) {
  const scenario = byId(id);
  const url = scenarioUrl(scenario, playground.apis, `t${Date.now()}`);
  const headers: Record<string, string> = { origin };
  if (kind === "preflight") {
    headers["access-control-request-method"] = scenario.request.method;
    const names = Object.keys(scenario.request.headers ?? {}).filter(
      (h) => h !== "content-type" || scenario.request.headers?.[h] !== "text/plain",
    );
    if (names.length) headers["access-control-request-headers"] = names.sort().join(",");
  } else {
    Object.assign(headers, scenario.request.headers ?? {});
  }
  const response = await fetch(url, {
    method: kind === "preflight" ? "OPTIONS" : scenario.request.method,
    headers,
    body: kind === "actual" ? scenario.request.body : undefined,
    redirect: "manual",
  });
  await response.arrayBuffer();
  return { status: response.status, header: (name: string) => response.headers.get(name) };
}

// Each row: the button, which request, and what the server must answer (null = header absent).
const rows: {
  id: string;
  kind: "preflight" | "actual";
  status: number;
  expect: Record<string, string | null | ((v: Playground) => string)>;
}[] = [
  { id: "no-allow-origin", kind: "actual", status: 200, expect: { "access-control-allow-origin": null } },
  {
    id: "wildcard-with-credentials",
    kind: "actual",
    status: 200,
    expect: { "access-control-allow-origin": "*", "access-control-allow-credentials": null },
  },
  {
    id: "header-not-allowed",
    kind: "preflight",
    status: 204,
    expect: { "access-control-allow-headers": "Content-Type", "access-control-allow-origin": (p) => p.pageOrigin },
  },
  { id: "method-not-allowed", kind: "preflight", status: 204, expect: { "access-control-allow-methods": "GET, POST" } },
  {
    id: "preflight-behind-auth",
    kind: "preflight",
    status: 401,
    expect: { "access-control-allow-origin": null, "www-authenticate": "Bearer" },
  },
  { id: "preflight-behind-auth", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.pageOrigin } },
  { id: "error-500-without-cors", kind: "actual", status: 500, expect: { "access-control-allow-origin": null } },
  { id: "redirect-on-api", kind: "preflight", status: 308, expect: { location: (_p) => `/api/redirect-on-api/` } },
  { id: "localhost-vs-127", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.secondOrigin } },
  { id: "missing-vary-origin", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.pageOrigin, vary: null } },
  {
    id: "echo-any-origin",
    kind: "actual",
    status: 200,
    expect: { "access-control-allow-origin": (p) => p.pageOrigin, "access-control-allow-credentials": "true", vary: "Origin" },
  },
  {
    id: "max-age-too-large",
    kind: "preflight",
    status: 204,
    expect: { "access-control-max-age": "86400", "access-control-allow-methods": "GET, PATCH" },
  },
  { id: "simple-get", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.pageOrigin, vary: "Origin" } },
  {
    id: "preflighted-put-json",
    kind: "preflight",
    status: 204,
    expect: {
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "Content-Type",
      "access-control-max-age": "7200",
    },
  },
  { id: "preflighted-put-json", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.pageOrigin } },
  {
    id: "redirect-mode-error",
    kind: "actual",
    status: 302,
    expect: { location: (_p) => "/api/redirect-mode-error/", "access-control-allow-origin": (p) => p.pageOrigin, vary: "Origin" },
  },
  {
    id: "cookie-samesite-default",
    kind: "actual",
    status: 401,
    expect: { "access-control-allow-origin": null, "www-authenticate": "Cookie" },
  },
  { id: "cancelled-by-page", kind: "actual", status: 200, expect: { "access-control-allow-origin": (p) => p.pageOrigin } },
  {
    id: "credentialed-done-right",
    kind: "actual",
    status: 200,
    expect: { "access-control-allow-origin": (p) => p.pageOrigin, "access-control-allow-credentials": "true", vary: "Origin" },
  },
];

describe("playground API", () => {
  it.each(rows)("$id ($kind) → $status", async ({ id, kind, status, expect: headers }) => {
    const answer = await ask(id, kind);
    expect(answer.status).toBe(status);
    for (const [name, want] of Object.entries(headers)) {
      const value = answer.header(name);
      const expected = typeof want === "function" ? want(playground) : want;
      if (name === "location" && typeof expected === "string") expect(value?.startsWith(expected)).toBe(true);
      else expect(value, name).toBe(expected);
    }
  });

  it("server-down: nothing listens on its port; page-csp: the page's CSP lets the fetches of every other button out, not its own", async () => {
    const down = scenarioUrl(byId("server-down"), playground.apis, "t");
    await expect(fetch(down)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
    const csp = (await fetch(playground.pageUrl)).headers.get("content-security-policy") ?? "";
    const connectSrc = /connect-src ([^;]*)/.exec(csp)?.[1]?.split(" ") ?? [];
    expect(connectSrc).not.toContain(playground.apis["outside-csp"]);
    for (const s of scenarios.filter((x) => x.id !== "page-csp")) expect(connectSrc, s.id).toContain(playground.apis[s.api]);
  });

  it("cookie-samesite-default: the session's cookie has no SameSite attribute; with that cookie the answer is right", async () => {
    const session = await fetch(`${playground.apis.localhost}/api/session`, { headers: { origin: playground.pageOrigin } });
    const setCookie = session.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^playground_session=/);
    expect(setCookie).not.toMatch(/samesite/i);
    const url = scenarioUrl(byId("cookie-samesite-default"), playground.apis, "t");
    const signedIn = await fetch(url, { headers: { origin: playground.pageOrigin, cookie: setCookie.split(";")[0]! } });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("access-control-allow-origin")).toBe(playground.pageOrigin);
    expect(signedIn.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("cancelled-by-page answers only after the page has given up", async () => {
    const started = Date.now();
    await ask("cancelled-by-page", "actual");
    expect(Date.now() - started).toBeGreaterThanOrEqual(byId("cancelled-by-page").request.abortAfterMs! + 2000);
  });

  it("has a server answer for every button", () => {
    const tested = new Set([...rows.map((r) => r.id), "server-down", "page-csp"]);
    expect(scenarios.filter((s) => !tested.has(s.id)).map((s) => s.id)).toEqual([]);
  });

  it("echo-any-origin reflects an origin it has never heard of; the allow-listed ones do not", async () => {
    const evil = "https://evil.example";
    expect((await ask("echo-any-origin", "actual", evil)).header("access-control-allow-origin")).toBe(evil);
    expect((await ask("credentialed-done-right", "actual", evil)).header("access-control-allow-origin")).toBeNull();
    expect((await ask("simple-get", "actual", evil)).header("access-control-allow-origin")).toBeNull();
  });

  it("signs the page in with a session cookie, on a credentialed CORS response the page may read", async () => {
    const response = await fetch(`${playground.apis.localhost}/api/session`, { headers: { origin: playground.pageOrigin } });
    expect(response.headers.get("set-cookie")).toMatch(/^playground_session=/);
    expect(response.headers.get("access-control-allow-origin")).toBe(playground.pageOrigin);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("the redirect target works when called directly (the fix)", async () => {
    const response = await fetch(`${playground.apis.localhost}/api/redirect-on-api/?run=x`, {
      method: "OPTIONS",
      headers: { origin: playground.pageOrigin, "access-control-request-method": "PUT", "access-control-request-headers": "content-type" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(playground.pageOrigin);
  });

  it("answers on both API origins and both page origins, all on loopback", async () => {
    for (const base of [playground.apis.localhost, playground.apis.ip]) {
      expect((await fetch(`${base}/api/simple-get`, { headers: { origin: playground.pageOrigin } })).status).toBe(200);
    }
    for (const base of [playground.pageOrigin, playground.secondOrigin]) {
      expect((await fetch(`${base}/frame.html`)).status).toBe(200);
    }
    expect(new URL(playground.apis.ip).hostname).toBe("127.0.0.1");
  });
});

describe("playground page", () => {
  it("is served with a strict CSP: scripts from files only, fetches only to the playground's origins", async () => {
    const response = await fetch(playground.pageUrl);
    const html = await response.text();
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain(`connect-src 'self' ${playground.apis.localhost} ${playground.apis.ip}`);
    // No inline script and no inline handler: every <script> has a src, no on*= attribute.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });

  it("never renders text as HTML in its scripts", async () => {
    for (const file of ["app.js", "frame.js", "page-common.js"]) {
      const js = await (await fetch(`${playground.pageOrigin}/${file}`)).text();
      expect(js, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
  });

  it("serves nothing outside its page files", async () => {
    for (const path of ["/../server.mjs", "/routes.mjs", "/server.mjs", "/%2e%2e/package.json"]) {
      expect((await fetch(`${playground.pageOrigin}${path}`)).status, path).toBe(404);
    }
  });

  it("lists every scenario once, each with a one-line description", () => {
    expect(new Set(scenarios.map((s) => s.id)).size).toBe(scenarios.length);
    for (const s of scenarios) expect(s.description).not.toMatch(/\n/);
    expect(scenarios.filter((s) => s.kind === "mistake")).toHaveLength(11);
    expect(scenarios.filter((s) => s.kind === "working").length).toBeGreaterThanOrEqual(3);
  });
});
