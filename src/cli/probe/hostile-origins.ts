// Hostile origins for `--audit`, derived from the page's origin and the target (taxonomy B.1; the probes
// Corsy and CORScanner send). Each one is an origin an attacker can actually obtain, and catches one way of
// writing an allow-list wrongly: startsWith, endsWith, `in`, an unescaped regex dot, "any subdomain"…
import { registrableDomain } from "./browser-requests";

export type AuditFindingId =
  | "acao-reflects-arbitrary-origin"
  | "acao-null-trusted"
  | "acao-prefix-match-bypass"
  | "acao-suffix-match-bypass"
  | "acao-substring-match"
  | "acao-unescaped-dot-regex"
  | "acao-any-subdomain-trusted"
  | "acao-http-origin-on-https"
  | "acao-special-char-bypass"
  | "acao-third-party-unsafe-origin";

export interface HostileOrigin {
  id: AuditFindingId;
  origin: string;
  /** What an allow-list that accepts this origin gets wrong. */
  why: string;
}

const ATTACKER = "evil.example";

/**
 * In priority order: when the request budget runs out, the origins that reveal the most are already sent.
 * `legit` is the page's origin (the one the server should trust); `target` the probed URL.
 */
export function hostileOrigins(legit: string, target: string): HostileOrigin[] {
  const out: HostileOrigin[] = [];
  const add = (id: AuditFindingId, origin: string, why: string) => {
    if (origin !== legit && !out.some((o) => o.origin === origin)) out.push({ id, origin, why });
  };
  add("acao-reflects-arbitrary-origin", `https://${ATTACKER}`, "any Origin is echoed back");
  add("acao-null-trusted", "null", "the opaque origin of sandboxed iframes and data: URLs is trusted");
  // The host whose name the allow-list is about: the page's host, or the target's for an opaque page.
  const base = legit === "null" ? new URL(target) : new URL(legit);
  const scheme = base.protocol; // "https:"
  const port = base.port ? `:${base.port}` : "";
  const host = base.hostname;
  const site = registrableDomain(host);
  const o = (h: string, s = scheme) => `${s}//${h}${port}`;

  add("acao-prefix-match-bypass", o(`${host}.${ATTACKER}`), `"starts with ${host}" accepts ${host}.${ATTACKER}`);
  add("acao-suffix-match-bypass", o(`evil${site}`), `"ends with ${site}" without a dot boundary accepts evil${site}`);
  if (host.length > 3) {
    add("acao-substring-match", o(host.slice(0, -1)), `"is contained in the allow-list" accepts ${host.slice(0, -1)}`);
  }
  if (host.includes(".") && !/^[\d.]+$/.test(host)) {
    // The dot before the TLD: `^https://app.example.com$` matches app.examplexcom, while suffix, subdomain
    // and substring checks do not, so a trust here points at the regex and at nothing else.
    const last = host.lastIndexOf(".");
    const dotted = host.slice(0, last) + "x" + host.slice(last + 1);
    add("acao-unescaped-dot-regex", o(dotted), `a regex with an unescaped "." accepts ${dotted}`);
  }
  add("acao-any-subdomain-trusted", o(`evil.${site}`), `every subdomain of ${site} is trusted (one XSS or takeover there reads this API)`);
  if (scheme === "https:" || new URL(target).protocol === "https:") {
    add("acao-http-origin-on-https", `http://${host}${port}`, "a plain-http origin is trusted: a network attacker can inject into it");
  }
  // Characters some origin parsers split on; Chrome and Firefox accept "_" in hosts (CORScanner, corben.io).
  for (const ch of ["_", "`", "%60", "}", "!"]) {
    add(
      "acao-special-char-bypass",
      o(`${host}${ch}.${ATTACKER}`),
      `the allow-list parser stops at "${ch}" and accepts ${host}${ch}.${ATTACKER}`,
    );
  }
  // Hosts anyone can publish on (taxonomy B.1; CORScanner origins.json).
  for (const h of ["evil.github.io", "evil.s3.amazonaws.com", "codepen.io", "jsfiddle.net", "evil.gitlab.io"]) {
    add("acao-third-party-unsafe-origin", `https://${h}`, `${h} is a host anyone can publish pages on`);
  }
  return out;
}
