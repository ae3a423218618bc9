// The log-in flows both browsers' capture tests run (issue 13, cookies): the API's site sets a session cookie, the
// page calls the API with credentials, the browser keeps the cookie home cross-site, and the server's 401 comes back
// without CORS headers. CORS Doctor must name the cookie, with its evidence (the log-in page the tab saw, or the
// browser's cookie store when it did not), and never show its value.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { analyzeHarSource } from "../../../src/cli/analyze-pipeline";
import { analyzeHar } from "../../../src/core/har/analyze";
import { waitFor } from "./extension";
import type { TestServer } from "./server";

/** The subset of Playwright's and Puppeteer's Page the flow uses. */
interface PageLike {
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}

type Report = () => Promise<{ log: { entries: Record<string, any>[] } }>;
type Finding = { id: string; detail: string };

/** The page's credentialed call to `path`, tagged with `run`: it fails, and reaches the server once. */
async function credentialedCall(page: PageLike, server: TestServer, path: string, run: string): Promise<string> {
  const tagged = `${path}?run=${run}`;
  const url = JSON.stringify(server.api + tagged);
  const outcome = await page.evaluate(`fetch(${url}, { credentials: "include" }).then((r) => String(r.status), (e) => String(e))`);
  expect(outcome).toContain("TypeError");
  expect(server.hits.filter((h) => h.includes(tagged))).toHaveLength(1);
  return tagged;
}

/** The call's report entry, once one of its cookie-* findings is `wanted`, and that finding. */
async function cookieFindingOf(report: Report, tagged: string, what: string, wanted: (f: Finding) => boolean) {
  const pick = (e: Record<string, any> | undefined): Finding | undefined =>
    e?._cors?.findings?.find((f: Finding) => f.id.startsWith("cookie-") && wanted(f));
  const entry = await waitFor(what, async () => {
    const e = (await report()).log.entries.find((x) => String(x.request.url).includes(tagged));
    return pick(e) ? e : null;
  });
  return { entry, finding: pick(entry)! };
}

/**
 * Contracts §4: `analyze` of the automation report names the same cookie (the sightings travel in `log._corsDoctor`),
 * whether the file is read whole (the panel's import) or streamed (the CLI).
 */
async function expectReanalyzed(report: Report, tagged: string, cookie: string): Promise<void> {
  const doc = await report();
  const named = (rows: { url: string; diagnosis: { findings: Finding[] } }[]) =>
    rows
      .filter((r) => r.url.includes(tagged))
      .some((r) => r.diagnosis.findings.some((f) => f.id.startsWith("cookie-") && f.detail.includes(cookie)));
  expect(named(analyzeHar(doc).entries), "analyze (whole file) names the cookie").toBe(true);
  const dir = mkdtempSync(join(tmpdir(), "report-"));
  try {
    writeFileSync(join(dir, "report.har"), JSON.stringify(doc));
    const rows = [];
    for await (const batch of analyzeHarSource(join(dir, "report.har"), { worker: false }).batches) rows.push(...batch);
    expect(named(rows), "analyze (streamed) names the cookie").toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function expectLoginCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: Report;
  /** Run between the log-in and the call (a worker restart, say). */
  afterLogin?: () => Promise<void>;
}): Promise<void> {
  const { page, server } = options;
  await page.goto(`${server.api}/login.html`);
  await page.goto(`${server.page}/page.html?after-login`);
  await options.afterLogin?.();
  const tagged = await credentialedCall(page, server, "/me", "login");
  // The navigation is not in the log (it cleared it), yet its Set-Cookie is the evidence. Chromium: Lax by default;
  // Firefox: the first-party cookie stays in the API's own partition. Either way the attributes read "no SameSite",
  // which is what the finding says.
  const { entry, finding } = await cookieFindingOf(
    options.report,
    tagged,
    "the cookie finding on the 401",
    (f) => f.id === "cookie-not-sent-samesite",
  );
  expect(entry._cors).toMatchObject({ verdict: "blocked", blockedBy: { id: "acao-missing" } });
  expect(finding.detail).toContain(`${server.api}/login.html`);
  expect(finding.detail).toContain("cd_login");
  expect(JSON.stringify(entry)).not.toContain("cd_login=1");
  await expectReanalyzed(options.report, tagged, "cd_login");
}

/**
 * The log-in happened in another tab (or before this one was armed): the tab's capture never saw the Set-Cookie, so
 * the evidence is the browser's cookie store, read for the 401's URL (src/background/cookie-jar.ts). Names and
 * attributes only: the value never appears.
 */
export async function expectStoredCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: Report;
  /** Opens the URL in another tab, waits for it to load, and closes it. */
  elsewhere: (url: string) => Promise<void>;
}): Promise<Finding> {
  const { page, server } = options;
  await options.elsewhere(`${server.api}/login-elsewhere.html`);
  const tagged = await credentialedCall(page, server, "/me-elsewhere", "elsewhere");
  const { entry, finding } = await cookieFindingOf(options.report, tagged, "the cookie finding from the cookie store", () => true);
  expect(entry._cors).toMatchObject({ verdict: "blocked", blockedBy: { id: "acao-missing" } });
  expect(finding.detail).toContain("cookie store");
  expect(finding.detail).toContain("cd_elsewhere");
  expect(JSON.stringify(entry)).not.toContain("cd_elsewhere=1");
  await expectReanalyzed(options.report, tagged, "cd_elsewhere");
  return finding;
}

/**
 * A partitioned cookie the API set while another site was the top-level one (set here by the test through the
 * cookies API, as that other site's embed would): the store read asks for every partition, and the finding that
 * names the cookie says which top-level site it belongs to.
 */
export async function expectPartitionedCookieNamed(options: {
  page: PageLike;
  server: TestServer;
  report: Report;
  /** Stores cd_part for the API under the top-level site http://elsewhere.test. */
  setPartitioned: () => Promise<void>;
}): Promise<Finding> {
  const { page, server } = options;
  await options.setPartitioned();
  const tagged = await credentialedCall(page, server, "/me-elsewhere", "partitioned");
  const { entry, finding } = await cookieFindingOf(options.report, tagged, "the partitioned cookie's finding", (f) =>
    f.detail.includes("cd_part"),
  );
  expect(finding.detail).toContain("elsewhere.test");
  expect(JSON.stringify(entry)).not.toContain("part-secret");
  return finding;
}
