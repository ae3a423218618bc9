// `cors-doctor probe` arguments → one validated ProbeOptions. Untrusted input is parsed here, once;
// everything after this works on a well-formed URL, a serialised origin and Header lines.
import { UsageError } from "../io";
import type { BrowserName, Header } from "../../core/model";
import { isForbiddenRequestHeader, normalizeMethod } from "../../core/safelist";

export interface ProbeOptions {
  url: string;
  /** The page's origin, serialised ("https://app.example.com") or "null" (sandboxed iframe, data: URL…). */
  origin: string;
  /** As the page would pass it to fetch(), normalised the way fetch() does (`put` → PUT, `patch` stays). */
  method: string;
  headers: Header[];
  credentials: boolean;
  cookie: string | null;
  browser: BrowserName;
  json: boolean;
  curl: boolean;
  audit: boolean;
  delayMs: number;
  maxRequests: number;
  timeoutMs: number;
  includeSecrets: boolean;
}

export type ParsedProbeArgs = { help: true } | { help: false; options: ProbeOptions };

export const PROBE_USAGE = `Usage: cors-doctor probe <url> --origin <origin> [options]

Sends the request the way a browser page at <origin> would (the preflight exactly as Chromium
builds it when one is needed, then the actual request, following redirects) and says what the
browser decides, why, and how to fix the server.

Options:
  --origin <origin>       the page's origin, e.g. https://app.example.com, or null (required)
  --method <M>            request method (default GET)
  --header "Name: value"  a header the page sets (repeatable)
  --credentials           credentials: "include" (cookies, ACAC must be true)
  --cookie "a=b"          the Cookie the browser would send (only with --credentials)
  --browser chrome|firefox  whose rules decide the verdict (default chrome); the requests sent
                          are always Chromium's
  --json                  machine-readable output
  --curl                  print the equivalent curl commands (preflight and actual); sends nothing
  --audit                 also send hostile origins derived from --origin and the URL (null, prefix,
                          suffix, substring, unescaped dot, subdomain, http:, special characters,
                          shared hosts) on the preflight and the request (the same method: a PUT is
                          repeated), and report which the server trusts; exit 1 on a high severity
  --max-requests <N>      at most N audit requests (default 40)
  --delay <ms>            pause between audit requests (default 0)
  --timeout <ms>          per-request timeout (default 10000)
  --include-secrets       do not redact Cookie/Authorization values in the output
  --help                  this text

Exit status: 0 allowed, 1 blocked or an error finding (or a high-severity audit result), 2 usage or network error.`;

/** Flags taking a value; every other flag is a boolean switch. */
const VALUE_FLAGS = new Set(["--origin", "--method", "--header", "--cookie", "--browser", "--delay", "--max-requests", "--timeout"]);
const SWITCHES = new Set(["--credentials", "--json", "--curl", "--audit", "--include-secrets", "--help", "-h"]);

export function parseProbeArgs(args: readonly string[]): ParsedProbeArgs {
  const positional: string[] = [];
  const values = new Map<string, string[]>();
  const switches = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") { positional.push(...args.slice(i + 1)); break; }
    if (arg.startsWith("--") && arg.includes("=")) {
      const eq = arg.indexOf("=");
      const flag = arg.slice(0, eq);
      if (!VALUE_FLAGS.has(flag)) throw new UsageError(`probe: unknown option ${flag}`);
      push(values, flag, arg.slice(eq + 1));
      continue;
    }
    if (VALUE_FLAGS.has(arg)) {
      const value = args[i + 1];
      if (value === undefined) throw new UsageError(`probe: ${arg} needs a value`);
      push(values, arg, value);
      i++;
      continue;
    }
    if (SWITCHES.has(arg)) { switches.add(arg); continue; }
    if (arg.startsWith("-") && arg !== "-") throw new UsageError(`probe: unknown option ${arg}`);
    positional.push(arg);
  }
  if (switches.has("--help") || switches.has("-h")) return { help: true };

  if (positional.length === 0) throw new UsageError("probe: missing <url> (cors-doctor probe <url> --origin <origin>)");
  if (positional.length > 1) throw new UsageError(`probe: one URL only, got ${positional.length}: ${positional.join(" ")}`);
  for (const [flag, list] of values) {
    if (flag !== "--header" && list.length > 1) throw new UsageError(`probe: ${flag} given ${list.length} times`);
  }
  const one = (flag: string): string | undefined => values.get(flag)?.[0];

  const url = parseTargetUrl(positional[0]!);
  const originArg = one("--origin");
  if (originArg === undefined) throw new UsageError("probe: --origin <origin> is required (the origin of the page that makes the request)");
  const origin = parseOrigin(originArg);

  const methodArg = one("--method") ?? "GET";
  // https://fetch.spec.whatwg.org/#concept-method: a token; CONNECT/TRACE/TRACK make fetch() throw.
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(methodArg)) throw new UsageError(`probe: invalid method ${JSON.stringify(methodArg)}`);
  if (/^(connect|trace|track)$/i.test(methodArg)) throw new UsageError(`probe: fetch() refuses the forbidden method ${methodArg.toUpperCase()}`);

  const headers = (values.get("--header") ?? []).map(parseHeader);
  const browserArg = one("--browser") ?? "chrome";
  if (browserArg !== "chrome" && browserArg !== "firefox") throw new UsageError(`probe: --browser must be chrome or firefox, not ${JSON.stringify(browserArg)}`);

  return {
    help: false,
    options: {
      url,
      origin,
      method: normalizeMethod(methodArg),
      headers,
      credentials: switches.has("--credentials"),
      cookie: one("--cookie") ?? null,
      browser: browserArg,
      json: switches.has("--json"),
      curl: switches.has("--curl"),
      audit: switches.has("--audit"),
      delayMs: nonNegativeInt("--delay", one("--delay"), 0),
      maxRequests: nonNegativeInt("--max-requests", one("--max-requests"), 40),
      timeoutMs: positiveInt("--timeout", one("--timeout"), 10_000),
      includeSecrets: switches.has("--include-secrets"),
    },
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

function parseTargetUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`probe: invalid URL ${JSON.stringify(text)} (expected e.g. https://api.example.com/path)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`probe: only http and https URLs can be probed, not ${url.protocol}`);
  if (url.username || url.password) throw new UsageError("probe: fetch() rejects URLs with credentials (user:pass@)");
  url.hash = "";
  return url.href;
}

/** An origin as a page has it: scheme://host[:port] with nothing after, or the opaque "null". */
export function parseOrigin(text: string): string {
  if (text === "null") return "null";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`probe: invalid origin ${JSON.stringify(text)} (expected scheme://host[:port], e.g. https://app.example.com, or null)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`probe: origin must be http(s) or null, not ${url.protocol}`);
  const rest = text.slice(url.origin.length);
  // A trailing slash or path is the classic mistake in allow-lists too: the browser never sends one.
  if (rest !== "" && rest !== "/") throw new UsageError(`probe: an origin has no path, query or fragment: use ${url.origin}`);
  return url.origin;
}

function parseHeader(text: string): Header {
  const colon = text.indexOf(":");
  if (colon <= 0) throw new UsageError(`probe: --header must be "Name: value", got ${JSON.stringify(text)}`);
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new UsageError(`probe: invalid header name ${JSON.stringify(name)}`);
  if (/[\0\r\n]/.test(value)) throw new UsageError(`probe: header ${name} has a control character in its value`);
  // fetch() silently drops forbidden headers (https://fetch.spec.whatwg.org/#forbidden-request-header):
  // sending one the page cannot send would make the probe lie about what the browser does.
  const lower = name.toLowerCase();
  if (lower === "origin") throw new UsageError("probe: use --origin to set the page's origin, not --header");
  if (lower === "cookie") throw new UsageError('probe: use --credentials --cookie "a=b" to send a cookie, not --header');
  if (isForbiddenRequestHeader(lower)) throw new UsageError(`probe: a page cannot set the ${name} header (the browser forbids it)`);
  return { name, value };
}

function nonNegativeInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`probe: ${flag} must be a whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

function positiveInt(flag: string, text: string | undefined, fallback: number): number {
  const n = nonNegativeInt(flag, text, fallback);
  if (n <= 0) throw new UsageError(`probe: ${flag} must be greater than 0`);
  return n;
}
