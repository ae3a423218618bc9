// Security lints refined by what `probe --audit` proved (taxonomy B.1). One response can only hint that a
// server echoes origins; the audit sent hostile origins and saw which ones were trusted. Name the pattern the
// server really uses (exact list, prefix, suffix, substring, unescaped-dot regex, any subdomain, any origin)
// and never claim more than the audit showed: "reflects any origin" only when a foreign origin was trusted.
import type { CorsDiagnosis, Finding } from "../model";

/** What one audit request showed (the CLI's AuditResult, reduced to facts). */
export interface AuditFact {
  /** The B.1 id the hostile origin tests, e.g. "acao-prefix-match-bypass". */
  id: string;
  origin: string;
  trusted: boolean;
  credentials: boolean;
  /** The request failed: it proves nothing either way. */
  error?: string;
}

export type AllowListPattern =
  | "any-origin"
  | "substring"
  | "prefix"
  | "suffix"
  | "contained-in-allow-list"
  | "unescaped-dot-regex"
  | "any-subdomain"
  | "exact-list"
  | "unknown";

export interface PatternVerdict {
  pattern: AllowListPattern;
  /** The B.1 finding id that names it (null for an exact list or when nothing was learned). */
  id: string | null;
  /** The trusted hostile origins that prove it. */
  evidence: AuditFact[];
  credentials: boolean;
  /** Plain words: "a prefix match (\"starts with\")". */
  words: string;
}

const WORDS: Record<AllowListPattern, string> = {
  "any-origin": "any origin: it echoes whatever Origin it is sent",
  substring: 'a substring match ("contains"): every origin containing the allowed host passes',
  prefix: 'a prefix match ("starts with", or "contains"): an origin that begins with the allowed one passes',
  suffix: 'a suffix match without a dot boundary ("ends with")',
  "contained-in-allow-list": 'a match of the origin against part of the allow-list string ("is contained in")',
  "unescaped-dot-regex": 'a regular expression with an unescaped "." (any character matches it)',
  "any-subdomain": "any subdomain of the site",
  "exact-list": "an exact list: none of the hostile origins was trusted",
  unknown: "not determined: the audit's requests failed",
};

const PATTERN_ID: Record<AllowListPattern, string | null> = {
  "any-origin": "acao-reflects-arbitrary-origin",
  substring: "acao-substring-match",
  prefix: "acao-prefix-match-bypass",
  suffix: "acao-suffix-match-bypass",
  "contained-in-allow-list": "acao-substring-match",
  "unescaped-dot-regex": "acao-unescaped-dot-regex",
  "any-subdomain": "acao-any-subdomain-trusted",
  "exact-list": null,
  unknown: null,
};

/** The broadest pattern the trusted origins prove. */
export function allowListPattern(facts: readonly AuditFact[]): PatternVerdict {
  const answered = facts.filter((f) => !f.error);
  const trusted = answered.filter((f) => f.trusted);
  const has = (id: string) => trusted.some((f) => f.id === id);
  let pattern: AllowListPattern;
  if (answered.length === 0) pattern = "unknown";
  else if (has("acao-reflects-arbitrary-origin")) pattern = "any-origin";
  else if (has("acao-prefix-match-bypass") && has("acao-suffix-match-bypass")) pattern = "substring";
  else if (has("acao-prefix-match-bypass")) pattern = "prefix";
  else if (has("acao-suffix-match-bypass")) pattern = "suffix";
  else if (has("acao-substring-match")) pattern = "contained-in-allow-list";
  else if (has("acao-unescaped-dot-regex")) pattern = "unescaped-dot-regex";
  else if (has("acao-any-subdomain-trusted")) pattern = "any-subdomain";
  else pattern = "exact-list";
  const id = PATTERN_ID[pattern];
  const evidence =
    pattern === "any-origin"
      ? trusted.filter((f) => f.id === id)
      : trusted.filter(
          (f) => f.id !== "acao-null-trusted" && f.id !== "acao-http-origin-on-https" && f.id !== "acao-third-party-unsafe-origin",
        );
  return { pattern, id, evidence, credentials: evidence.some((f) => f.credentials), words: WORDS[pattern] };
}

/**
 * The diagnosis with its origin-trust findings replaced by what the audit proved. The one-response hint
 * ("returns the request's Origin with credentials") becomes the named pattern, or goes when the audit
 * found only exact matching.
 */
export function refineWithAudit(diagnosis: CorsDiagnosis, facts: readonly AuditFact[]): CorsDiagnosis {
  const verdict = allowListPattern(facts);
  if (verdict.pattern === "unknown") return diagnosis;
  const refused = facts.filter((f) => !f.error && !f.trusted).length;
  const kept = diagnosis.findings.filter((f) => f.id !== "acao-reflects-arbitrary-origin");
  const shown = verdict.evidence
    .slice(0, 3)
    .map((f) => f.origin)
    .join(", ");
  let finding: Finding;
  if (verdict.id === null) {
    finding = {
      id: "acao-exact-allow-list",
      severity: "info",
      request: "actual",
      header: "access-control-allow-origin",
      title: "The server trusts an exact list of origins (verified by --audit)",
      detail: `The audit sent ${facts.filter((f) => !f.error).length} hostile origins (a foreign site, null, prefix, suffix, substring, regex and subdomain look-alikes) and none was trusted: only the listed origins are.`,
    };
  } else {
    finding = {
      id: verdict.id,
      severity: verdict.credentials ? "warning" : "info",
      request: "actual",
      header: "access-control-allow-origin",
      actual: verdict.evidence[0]?.origin ?? "",
      title: `The allow-list is ${verdict.words} (verified by --audit)`,
      detail: `Trusted by the server: ${shown}${verdict.credentials ? ", with credentials" : ""}. ${verdict.pattern === "any-origin" ? "Every site can read these responses" : `${refused} other hostile origin(s) were refused: the server trusts names of this shape only, but an attacker who registers a name of this shape can read these responses`}${verdict.credentials ? " with the user's cookies" : ""}. Compare the Origin with exact, complete origins.`,
    };
  }
  const findings = [...kept, finding];
  const order = { error: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return { ...diagnosis, findings };
}
