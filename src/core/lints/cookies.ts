// Root causes outside the headers (taxonomy A.5, cookie-*): a credentialed cross-site request went without
// the cookie the server set earlier, so the server answered 401/403 (usually without CORS headers, which is
// what the browser then reports). The blocking finding stays what the browser reports; these findings name
// the cookie, its attributes as seen, the request that went without it, and the fix.
//
// A streaming summary: `add(exchange, diagnosis)` consumes the log in order, remembers every Set-Cookie it
// sees (names and attributes, never values) and attaches a finding to a later diagnosis that fits.
import { get, getAll } from "../headers";
import type { CorsDiagnosis, Exchange, Finding } from "../model";

export interface SeenCookie {
  name: string;
  /** As written: "Strict" | "Lax" | "None", or null when absent (Lax by default in Chrome). */
  sameSite: string | null;
  secure: boolean;
  partitioned: boolean;
  /** The Domain attribute (lower-case, no leading dot), or null for a host-only cookie. */
  domain: string | null;
  /** The host whose response set it, and the page (top-level site) it was set under, if known. */
  setBy: string;
  setUnderSite: string | null;
  /** Where it was seen: a HAR entry index or a live record id, and the URL without its query. */
  ref?: number | string;
  url: string;
  /** "jar": read from the browser's cookie store (live capture), not from a Set-Cookie in the traffic. */
  source?: "jar";
}

const MAX_COOKIES = 2000;

/** Set-Cookie lines of a response outside the log (a navigation of the tab, an earlier page's request), and where in the log it came. */
export interface CookieSighting {
  /** How many exchanges of the log came before it (it is read before exchange `before`). */
  before: number;
  /** The URL of the response that set them. */
  url: string;
  /** Its Set-Cookie lines; only the names and attributes are read (values may be "[redacted]"). */
  setCookie: string[];
  /** The origin of the page that made the request; absent for a navigation (its own site is the top-level one). */
  pageOrigin?: string;
  /**
   * "jar": the browser's cookie store held these cookies for `url` when the response of the exchange after them
   * arrived (live capture reads it for a cross-origin 401/403: src/capture/cookie-jar.ts). The lines then carry
   * the stored attributes; `pageOrigin` is the partition's top-level site for a partitioned cookie.
   */
  source?: "jar";
}

/** Parses one Set-Cookie line: the name and the attributes that decide cross-site sending. */
export function parseSetCookie(line: string): Omit<SeenCookie, "setBy" | "setUnderSite" | "url" | "ref"> | null {
  const parts = line.split(";");
  const pair = parts[0] ?? "";
  const eq = pair.indexOf("=");
  const name = (eq < 0 ? "" : pair.slice(0, eq)).trim();
  if (!name || name === "[redacted]") return null;
  let sameSite: string | null = null;
  let secure = false;
  let partitioned = false;
  let domain: string | null = null;
  let expired = false;
  for (let i = 1; i < parts.length; i++) {
    const attr = parts[i]!;
    const at = attr.indexOf("=");
    const key = (at < 0 ? attr : attr.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? "" : attr.slice(at + 1).trim();
    if (key === "samesite") sameSite = value ? value[0]!.toUpperCase() + value.slice(1).toLowerCase() : null;
    else if (key === "secure") secure = true;
    else if (key === "partitioned") partitioned = true;
    else if (key === "domain" && value) domain = value.replace(/^\./, "").toLowerCase();
    else if (key === "max-age" && /^-?\d+$/.test(value) && Number(value) <= 0) expired = true;
  }
  if (expired) return null;
  return { name, sameSite, secure, partitioned, domain };
}

const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.jp",
  "co.nz",
  "com.br",
  "co.in",
  "co.za",
  "github.io",
  "gitlab.io",
  "herokuapp.com",
  "vercel.app",
  "netlify.app",
  "pages.dev",
  "web.app",
  "firebaseapp.com",
  "azurewebsites.net",
  "cloudfront.net",
]);

/** The site (registrable domain) of a host: close enough for the cross-site test without the full public suffix list. */
export function siteOfHost(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(":") || !host.includes(".")) return host;
  const labels = host.split(".");
  const lastTwo = labels.slice(-2).join(".");
  return MULTI_LABEL_SUFFIXES.has(lastTwo) && labels.length >= 3 ? labels.slice(-3).join(".") : lastTwo;
}

function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function isLocalhost(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || /^127\./.test(host) || host === "[::1]";
}

/** The names in a request's Cookie header ("[redacted]" values keep their names). */
function cookieNames(header: string | null): Set<string> {
  const out = new Set<string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (name) out.add(name);
  }
  return out;
}

function describe(c: SeenCookie): string {
  const attrs = [
    c.sameSite ? `SameSite=${c.sameSite}` : "no SameSite (Lax by default in Chrome)",
    c.secure ? "Secure" : "not Secure",
    ...(c.partitioned ? ["Partitioned"] : []),
    ...(c.domain ? [`Domain=${c.domain}`] : []),
  ];
  return `Set-Cookie: ${c.name}=…; ${attrs.join("; ")}`;
}

/** A stored cookie as the store describes it: an absent SameSite is the browser's default there, not an attribute seen. */
function describeStored(c: SeenCookie): string {
  const attrs = [
    c.sameSite ? `SameSite=${c.sameSite}` : "SameSite unspecified (Lax by default in Chrome)",
    c.secure ? "Secure" : "not Secure",
    ...(c.partitioned ? [`Partitioned (top-level site ${c.setUnderSite ?? "unknown"})`] : []),
    ...(c.domain ? [`Domain=${c.domain}`] : ["host-only"]),
  ];
  return `${c.name}=…; ${attrs.join("; ")}`;
}

export class CookieSummary {
  private readonly byHost = new Map<string, Map<string, SeenCookie>>();
  private size = 0;

  /** Consumes one exchange of the log (in order) with its diagnosis; may add a cookie-* finding to it. */
  add(exchange: Exchange, diagnosis: CorsDiagnosis, ref?: number | string): void {
    const last = exchange.legs[exchange.legs.length - 1];
    const status = last?.response?.status;
    // Judge before remembering: a request cannot be missing a cookie its own response sets.
    if ((status === 401 || status === 403) && diagnosis.role === "actual" && this.size > 0) this.judge(exchange, diagnosis, status);
    for (const leg of exchange.legs) {
      const headers = leg.response?.headers;
      if (!headers || headers.length === 0) continue;
      const lines = getAll(headers, "set-cookie");
      if (lines.length === 0) continue;
      const host = hostOfUrl(leg.request.url);
      if (!host) continue;
      const page = exchange.initiatorOrigin ? hostOfUrl(exchange.initiatorOrigin) : null;
      for (const block of lines) for (const line of block.split("\n")) this.remember(line, host, page, leg.request.url, leg.ref ?? ref);
    }
  }

  /**
   * Set-Cookie lines of a response that is not in the log: the tab's own navigation (a login page that sets the
   * session cookie, then sends the user back to the app; its top-level site is its own), or a request of an earlier
   * page (set under that page's site).
   */
  addOutsideLog(sighting: Omit<CookieSighting, "before">): void {
    const host = hostOfUrl(sighting.url);
    if (!host) return;
    const page = sighting.pageOrigin ? hostOfUrl(sighting.pageOrigin) : host;
    for (const block of sighting.setCookie)
      for (const line of block.split("\n")) this.remember(line, host, page, sighting.url, undefined, sighting.source);
  }

  private remember(line: string, host: string, pageHost: string | null, url: string, ref?: number | string, source?: "jar"): void {
    const parsed = parseSetCookie(line);
    if (!parsed) return;
    const key = parsed.domain ?? host;
    let jar = this.byHost.get(key);
    if (!jar) {
      if (this.size >= MAX_COOKIES) return;
      jar = new Map();
      this.byHost.set(key, jar);
    }
    const known = jar.get(parsed.name);
    // The response that set it is better evidence than the store that holds it: a store read does not replace it.
    if (source === "jar" && known && known.source !== "jar") return;
    if (!known) this.size++;
    jar.set(parsed.name, {
      ...parsed,
      setBy: host,
      setUnderSite: siteOfHost(pageHost ?? host),
      url: url.split("?")[0]!,
      ...(ref !== undefined ? { ref } : {}),
      ...(source ? { source } : {}),
    });
  }

  /** Cookies the browser would consider for a request to this host (host-only, or a Domain above it). */
  private cookiesFor(host: string): SeenCookie[] {
    const out: SeenCookie[] = [];
    const exact = this.byHost.get(host);
    if (exact) for (const c of exact.values()) if (c.domain === null || c.domain === host) out.push(c);
    let dot = host.indexOf(".");
    while (dot >= 0) {
      const parent = host.slice(dot + 1);
      const jar = this.byHost.get(parent);
      if (jar) for (const c of jar.values()) if (c.domain === parent) out.push(c);
      dot = host.indexOf(".", dot + 1);
    }
    return out;
  }

  private judge(exchange: Exchange, diagnosis: CorsDiagnosis, status: number): void {
    const first = exchange.legs[0]!;
    const url = exchange.legs[exchange.legs.length - 1]!.request.url;
    const host = hostOfUrl(url);
    const page = exchange.initiatorOrigin ? hostOfUrl(exchange.initiatorOrigin) : null;
    if (!host || !page) return;
    const pageSite = siteOfHost(page);
    const crossSite = pageSite !== siteOfHost(host) || exchange.initiatorOrigin!.split(":")[0] !== url.split(":")[0];
    const sent = cookieNames(get(first.request.headers, "cookie"));
    // A cookie only the store holds is evidence for a credentialed request: when the page is known to have sent
    // none (credentials "omit" or "same-origin"), the server may want something else altogether (a token).
    const storeCounts = exchange.credentials === undefined || exchange.credentials === "include";
    const missing = this.cookiesFor(host).filter((c) => !sent.has(c.name) && (c.source !== "jar" || storeCounts));
    if (missing.length === 0) return;
    const credentialsKnown = exchange.credentials === "include" || sent.size > 0;
    const blocked = diagnosis.verdict === "blocked";
    const corsHeaders = get(exchange.legs[exchange.legs.length - 1]!.response?.headers, "access-control-allow-origin") !== null;
    const evidenceOf = (cookie: SeenCookie) => {
      if (cookie.source === "jar")
        return `The browser's cookie store held it for ${cookie.url} when this response arrived (read by CORS Doctor; where it was set is not known): ${describeStored(cookie)}. This ${first.request.method} ${url.split("?")[0]} went without ${cookie.name} and got HTTP ${status}${corsHeaders ? "" : " without CORS headers, which is the CORS error the browser reports"}.`;
      const where = cookie.ref !== undefined ? `entry ${cookie.ref} (${cookie.url})` : cookie.url;
      return `Seen earlier on ${where}: ${describe(cookie)}. This ${first.request.method} ${url.split("?")[0]} went without ${cookie.name} and got HTTP ${status}${corsHeaders ? "" : " without CORS headers, which is the CORS error the browser reports"}.`;
    };
    // Which of the missing cookies the server wanted is not in the log: each reason that keeps one of them home is
    // named (one finding per reason, its first cookie as the example), so the one that matters is among them.
    const causes = new Map<Cause["id"], { cause: Cause; cookies: SeenCookie[] }>();
    if (crossSite) {
      for (const cookie of missing) {
        const cause = causeOf(cookie, url, pageSite);
        if (!cause) continue;
        const group = causes.get(cause.id) ?? { cause, cookies: [] };
        group.cookies.push(cookie);
        causes.set(cause.id, group);
      }
    }
    const found: Finding[] = [];
    if (causes.size === 0) {
      if (credentialsKnown) return;
      const cookie = missing.find((c) => c.source !== "jar") ?? missing[0]!;
      // Same-site, or nothing in the attributes stops it: the page most likely did not ask for credentials.
      found.push({
        id: "cookie-not-sent-credentials-mode",
        severity: blocked ? "error" : "warning",
        request: "actual",
        header: "cookie",
        expected: cookie.name,
        actual: "",
        title: `The request went without the cookie ${cookie.name}: the page did not send credentials`,
        detail: `${evidenceOf(cookie)} Nothing in the cookie's attributes stops it here, so the request was most likely made without credentials: fetch() sends cookies to another origin only with credentials: 'include' (XMLHttpRequest: withCredentials = true). The server must then answer with the exact origin and Access-Control-Allow-Credentials: true.`,
      });
    }
    for (const { cause, cookies } of causes.values()) {
      // A cookie whose Set-Cookie the log shows is the better example than one only the store holds.
      cookies.sort((a, b) => Number(a.source === "jar") - Number(b.source === "jar"));
      const cookie = cookies[0]!;
      const others = cookies
        .slice(1)
        .map((c) =>
          c.source === "jar"
            ? `${c.name} (held by the browser's cookie store${c.partitioned ? `, partitioned under ${c.setUnderSite ?? "another site"}` : ""})`
            : c.name,
        );
      found.push({
        id: cause.id,
        severity: blocked ? "error" : "warning",
        request: "actual",
        header: "cookie",
        expected: cookie.name,
        actual: "",
        title: cause.title(cookie.name),
        detail: `${evidenceOf(cookie)} ${cause.why}${others.length ? ` The same holds for ${others.join(", ")}.` : ""}${credentialsKnown ? "" : " (The request's credentials mode is not in the log: if the page did not ask for credentials: 'include', that alone also keeps the cookie home.)"}`,
      });
    }
    for (const finding of found) if (!diagnosis.findings.some((f) => f.id === finding.id)) diagnosis.findings.push(finding);
    diagnosis.findings.sort((a, b) => SEVERITY[a.severity] - SEVERITY[b.severity]);
  }
}

const SEVERITY = { error: 0, warning: 1, info: 2 } as const;

interface Cause {
  id: "cookie-not-sent-samesite" | "cookie-not-sent-insecure" | "cookie-third-party-blocked" | "cookie-partitioned";
  title: (name: string) => string;
  why: string;
}

/** Why a cross-site request goes without this cookie, from its attributes (Chrome's rules, measured: browser-recipes §7). */
function causeOf(c: SeenCookie, url: string, pageSite: string): Cause | null {
  const https = url.startsWith("https:");
  const host = hostOfUrl(url) ?? "";
  // A cookie the store holds was accepted, so the rejection below is not why it stayed home (Chromium 156 and Firefox
  // ESR 153 both refuse SameSite=None without Secure; an older or differently configured browser may keep it).
  if (c.sameSite === "None" && !c.secure && c.source !== "jar") {
    return {
      id: "cookie-not-sent-insecure",
      title: (n) => `The cookie ${n} is SameSite=None without Secure: the browser rejected it`,
      why: "Browsers refuse SameSite=None without Secure (the cookie is never stored). Set it with SameSite=None; Secure, over https.",
    };
  }
  if (c.secure && !https && !isLocalhost(host)) {
    return {
      id: "cookie-not-sent-insecure",
      title: (n) => `The cookie ${n} is Secure and this request is plain http`,
      why: "A Secure cookie is sent over https only. Serve the API over https.",
    };
  }
  if (c.sameSite !== "None") {
    return {
      id: "cookie-not-sent-samesite",
      title: (n) =>
        `The cookie ${n} is ${c.sameSite ? `SameSite=${c.sameSite}` : "SameSite=Lax by default"}: it never goes on a cross-site fetch`,
      why: `The page's site (${pageSite}) is not the API's site, and a ${c.sameSite ?? "Lax (the default when SameSite is absent)"} cookie is sent on cross-site requests only for top-level navigations. Set it with SameSite=None; Secure (and Partitioned), or send a token instead.`,
    };
  }
  if (c.partitioned) {
    if (c.setUnderSite === pageSite) return null;
    return {
      id: "cookie-partitioned",
      title: (n) => `The cookie ${n} is partitioned under another top-level site`,
      why: `A Partitioned cookie is kept per top-level site; it was set while the top-level site was ${c.setUnderSite ?? "another site"}, so it is not sent from ${pageSite}. Set it from a response to a request the page on ${pageSite} makes.`,
    };
  }
  return {
    id: "cookie-third-party-blocked",
    title: (n) => `The cookie ${n} is a third-party cookie here, and the browser blocks those`,
    why: "SameSite=None; Secure is right, but Chrome blocks third-party cookies by default in this configuration (and when the user chose to), and Firefox keeps them partitioned per site (Total Cookie Protection). Add Partitioned and set the cookie from the cross-site context, serve the API from the page's site, or use a token.",
  };
}

/**
 * The whole log at once, for callers that hold it in memory (diagnoseLog), with the cookies set by responses outside
 * it (a live tab's navigations, and what a navigation cleared) each read at its place in the log.
 */
export function cookieLints(
  exchanges: readonly Exchange[],
  diagnoses: readonly CorsDiagnosis[],
  outsideLog: readonly CookieSighting[] = [],
): void {
  const summary = new CookieSummary();
  const sightings = [...outsideLog].sort((a, b) => a.before - b.before);
  let next = 0;
  for (let i = 0; i < exchanges.length; i++) {
    while (next < sightings.length && sightings[next]!.before <= i) summary.addOutsideLog(sightings[next++]!);
    summary.add(exchanges[i]!, diagnoses[i]!, i);
  }
}
