// The log-in flow both browsers' capture tests run (issue 13, cookies): a navigation to the API's site sets a session
// cookie (server.ts /login.html), the page comes back and calls /me with credentials, the browser keeps the cookie
// home cross-site, and the server's 401 comes back without CORS headers. CORS Doctor must name the cookie, with the
// log-in page as the evidence, and never show its value.
import { expect } from "vitest";
import { waitFor } from "./extension";
import type { TestServer } from "./server";

/** The subset of Playwright's and Puppeteer's Page the flow uses. */
interface PageLike {
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}

export async function expectLoginCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: () => Promise<{ log: { entries: Record<string, any>[] } }>;
  /** Run between the log-in and the call (a worker restart, say). */
  afterLogin?: () => Promise<void>;
}): Promise<void> {
  const { page, server, report } = options;
  await page.goto(`${server.api}/login.html`);
  await page.goto(`${server.page}/page.html?after-login`);
  await options.afterLogin?.();
  const me = JSON.stringify(`${server.api}/me?run=login`);
  const outcome = await page.evaluate(`fetch(${me}, { credentials: "include" }).then((r) => String(r.status), (e) => String(e))`);
  expect(outcome).toContain("TypeError");
  expect(server.hits.filter((h) => h.includes("/me?run=login"))).toHaveLength(1);
  // The navigation is not in the log (it cleared it), yet its Set-Cookie is the evidence.
  const entry = await waitFor("the cookie finding on the 401", async () => {
    const e = (await report()).log.entries.find((x) => String(x.request.url).includes("/me?run=login"));
    return e?._cors?.findings?.some((f: { id: string }) => f.id.startsWith("cookie-")) ? e : null;
  });
  expect(entry._cors).toMatchObject({ verdict: "blocked", blockedBy: { id: "acao-missing" } });
  // Chromium: Lax by default; Firefox: the first-party cookie stays in the API's own partition. Either way the
  // attributes read "no SameSite", which is what the finding says.
  const cookie = entry._cors.findings.find((f: { id: string }) => f.id === "cookie-not-sent-samesite");
  expect(cookie.detail).toContain(`${server.api}/login.html`);
  expect(cookie.detail).toContain("cd_login");
  expect(JSON.stringify(entry)).not.toContain("cd_login=1");
}

/**
 * The log-in happened in another tab (or before this one was armed): the tab's capture never saw the Set-Cookie, so
 * the evidence is the browser's cookie store, read for the 401's URL (src/background/cookie-jar.ts). Names and
 * attributes only: the value never appears.
 */
export async function expectStoredCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: () => Promise<{ log: { entries: Record<string, any>[] } }>;
  /** Opens the URL in another tab, waits for it to load, and closes it. */
  elsewhere: (url: string) => Promise<void>;
}): Promise<Record<string, any>> {
  const { page, server, report } = options;
  await options.elsewhere(`${server.api}/login-elsewhere.html`);
  const me = JSON.stringify(`${server.api}/me-elsewhere?run=elsewhere`);
  const outcome = await page.evaluate(`fetch(${me}, { credentials: "include" }).then((r) => String(r.status), (e) => String(e))`);
  expect(outcome).toContain("TypeError");
  expect(server.hits.filter((h) => h.includes("/me-elsewhere?run=elsewhere"))).toHaveLength(1);
  const entry = await waitFor("the cookie finding from the cookie store", async () => {
    const e = (await report()).log.entries.find((x) => String(x.request.url).includes("/me-elsewhere?run=elsewhere"));
    return e?._cors?.findings?.some((f: { id: string }) => f.id.startsWith("cookie-")) ? e : null;
  });
  expect(entry._cors).toMatchObject({ verdict: "blocked", blockedBy: { id: "acao-missing" } });
  const cookie = entry._cors.findings.find((f: { id: string }) => f.id.startsWith("cookie-"));
  expect(cookie.detail).toContain("cookie store");
  expect(cookie.detail).toContain("cd_elsewhere");
  expect(JSON.stringify(entry)).not.toContain("cd_elsewhere=1");
  return cookie;
}

/**
 * A partitioned cookie the API set while another site was the top-level one (set here by the test through the
 * cookies API, as that other site's embed would): the store read asks for every partition, and the finding that
 * names the cookie says which top-level site it belongs to.
 */
export async function expectPartitionedCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: () => Promise<{ log: { entries: Record<string, any>[] } }>;
  /** Stores cd_part for the API under the top-level site http://elsewhere.test. */
  setPartitioned: () => Promise<void>;
}): Promise<{ id: string; detail: string }> {
  const { page, server, report } = options;
  await options.setPartitioned();
  const me = JSON.stringify(`${server.api}/me-elsewhere?run=partitioned`);
  const outcome = await page.evaluate(`fetch(${me}, { credentials: "include" }).then((r) => String(r.status), (e) => String(e))`);
  expect(outcome).toContain("TypeError");
  const entry = await waitFor("the partitioned cookie's finding", async () => {
    const e = (await report()).log.entries.find((x) => String(x.request.url).includes("/me-elsewhere?run=partitioned"));
    return e?._cors?.findings?.some((f: { id: string; detail: string }) => f.id.startsWith("cookie-") && f.detail.includes("cd_part"))
      ? e
      : null;
  });
  const finding = entry._cors.findings.find(
    (f: { id: string; detail: string }) => f.id.startsWith("cookie-") && f.detail.includes("cd_part"),
  );
  expect(finding.detail).toContain("elsewhere.test");
  expect(JSON.stringify(entry)).not.toContain("part-secret");
  return finding;
}
