// Security lints refined by `probe --audit`: each row is a server's allow-list written one (wrong) way,
// replayed against the hostile origins the audit really sends; the diagnosis must name that pattern and
// never say "reflects any origin" unless a foreign origin was trusted.
import { describe, expect, test } from "vitest";
import { hostileOrigins } from "../../src/cli/probe/hostile-origins";
import { diagnoseExchange } from "../../src/core/diagnose";
import { allowListPattern, refineWithAudit, type AuditFact } from "../../src/core/lints/audit-refine";
import { exchange, response } from "./build-exchange";

const PAGE = "https://app.example.com";
const API = "https://api.example.com/me";

/** What a server answers in Access-Control-Allow-Origin for an Origin (null: no header). */
type AllowList = (origin: string) => string | null;

const SERVERS: Array<[string, AllowList, string, string | null]> = [
  ["echoes any origin", (o) => o, "any-origin", "acao-reflects-arbitrary-origin"],
  [
    "issue 15: echoes origins containing app.example.com, * to others",
    (o) => (o.includes("app.example.com") ? o : "*"),
    "prefix",
    "acao-prefix-match-bypass",
  ],
  ["startsWith the page's origin", (o) => (o.startsWith(PAGE) ? o : null), "prefix", "acao-prefix-match-bypass"],
  ["endsWith example.com (no dot boundary)", (o) => (o.endsWith("example.com") ? o : null), "suffix", "acao-suffix-match-bypass"],
  ["contains example.com", (o) => (o.includes("example.com") ? o : null), "substring", "acao-substring-match"],
  [
    "the allow-list string contains the origin",
    (o) => ("https://app.example.com,https://admin.example.com".includes(o) ? o : null),
    "contained-in-allow-list",
    "acao-substring-match",
  ],
  [
    "regex with an unescaped dot",
    (o) => (/^https:\/\/app.example.com$/.test(o) ? o : null),
    "unescaped-dot-regex",
    "acao-unescaped-dot-regex",
  ],
  [
    "any subdomain of example.com",
    (o) => (/^https:\/\/([a-z0-9-]+\.)*example\.com$/.test(o) ? o : null),
    "any-subdomain",
    "acao-any-subdomain-trusted",
  ],
  ["an exact list", (o) => (o === PAGE ? o : null), "exact-list", null],
];

function audit(allow: AllowList, credentials = true): AuditFact[] {
  return hostileOrigins(PAGE, API).map((h) => {
    const acao = allow(h.origin);
    const trusted = acao === h.origin;
    return { id: h.id, origin: h.origin, trusted, credentials: trusted && credentials };
  });
}

describe("the allow-list pattern the audit proves", () => {
  test.each(SERVERS)("%s → %s", (_name, allow, pattern, id) => {
    const verdict = allowListPattern(audit(allow));
    expect(verdict.pattern).toBe(pattern);
    expect(verdict.id).toBe(id);
    // The probe's own (legitimate, credentialed) request: the server echoes the page's origin.
    const probe = exchange({
      page: PAGE,
      url: API,
      headers: { Cookie: "sid=1" },
      response: response(200, { "Access-Control-Allow-Origin": PAGE, "Access-Control-Allow-Credentials": "true", Vary: "Origin" }),
      outcome: "completed",
    });
    const before = diagnoseExchange(probe);
    expect(before.findings.map((f) => f.id)).toContain("acao-reflects-arbitrary-origin");
    const after = refineWithAudit(before, audit(allow));
    const text = after.findings.map((f) => `${f.id} ${f.title} ${f.detail}`).join("\n");
    if (pattern === "any-origin") {
      expect(after.findings.find((f) => f.id === "acao-reflects-arbitrary-origin")?.severity).toBe("warning");
    } else {
      expect(after.findings.map((f) => f.id)).not.toContain("acao-reflects-arbitrary-origin");
      expect(text).not.toMatch(/reflects any|echoes any|any origin/i);
      expect(after.findings.map((f) => f.id)).toContain(id ?? "acao-exact-allow-list");
    }
    expect(before.verdict).toBe(after.verdict);
  });

  test("failed audit requests prove nothing: the diagnosis is left as it was", () => {
    const facts = hostileOrigins(PAGE, API).map((h) => ({
      id: h.id,
      origin: h.origin,
      trusted: false,
      credentials: false,
      error: "ECONNRESET",
    }));
    const d = diagnoseExchange(
      exchange({ page: PAGE, url: API, response: response(200, { "Access-Control-Allow-Origin": PAGE }), outcome: "completed" }),
    );
    expect(refineWithAudit(d, facts)).toBe(d);
  });
});
