// `cors-doctor probe` arguments → one validated ProbeOptions. Untrusted input is parsed here, once;
// everything after this works on a well-formed URL, a serialised origin and Header lines.
import { UsageError } from "../io";
import { helpText, parseCommand, type CommandSpec } from "../options";
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
  /** False with --no-forward-headers: the page's headers are not sent to another origin after a redirect. */
  forwardHeaders: boolean;
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

export const PROBE_SPEC: CommandSpec = {
  command: "cors-doctor probe",
  synopsis: "cors-doctor probe <url> --origin <origin> [options]",
  description: `Sends the request the way a browser page at <origin> would (the preflight exactly as Chromium
builds it when one is needed, then the actual request, following redirects) and says what the
browser decides, why, and how to fix the server.

Redirects: like a browser, probe follows them and forwards your --header values to the next URL,
even on another host (only Authorization is dropped there): an X-Api-Key reaches whoever the
server redirects to. --no-forward-headers keeps them from any other origin. --cookie goes only
to the URL's own host, and never over http once the URL was https.`,
  options: [
    {
      name: "origin",
      type: "string",
      placeholder: "<origin>",
      help: "the page's origin, e.g. https://app.example.com, or null (required)",
    },
    { name: "method", type: "string", placeholder: "<M>", help: "request method (default GET)" },
    {
      name: "header",
      type: "string",
      placeholder: '"Name: value"',
      multiple: true,
      help: "a header the page sets (repeatable); forwarded on redirects, as browsers do",
    },
    { name: "credentials", type: "boolean", help: 'credentials: "include" (cookies, ACAC must be true)' },
    {
      name: "cookie",
      type: "string",
      placeholder: '"a=b"',
      help: "the Cookie the browser would send (only with --credentials; only to\nthe URL's host, never over http after https)",
    },
    {
      name: "no-forward-headers",
      type: "boolean",
      help: "after a redirect to another origin, do not send the --header values\nthere (browsers do send them)",
    },
    {
      name: "browser",
      type: "string",
      placeholder: "chrome|firefox",
      choices: ["chrome", "firefox"],
      help: "whose rules decide the verdict (default chrome); the requests\nsent are always Chromium's",
    },
    { name: "json", type: "boolean", help: "machine-readable output" },
    { name: "curl", type: "boolean", help: "print the equivalent curl commands (preflight and actual); sends nothing" },
    {
      name: "audit",
      type: "boolean",
      help: "also send hostile origins derived from --origin and the URL (null, prefix,\nsuffix, substring, unescaped dot, subdomain, http:, special characters,\nshared hosts) on the preflight and the request (the same method: a PUT is\nrepeated), and report which the server trusts; exit 1 on a high severity.\nOn a terminal, stderr shows which origin is being tried",
    },
    { name: "max-requests", type: "string", placeholder: "<N>", help: "at most N audit requests (default 40)" },
    { name: "delay", type: "string", placeholder: "<ms>", help: "pause between audit requests (default 0)" },
    { name: "timeout", type: "string", placeholder: "<ms>", help: "per-request timeout (default 10000)" },
    {
      name: "include-secrets",
      type: "boolean",
      help: "do not redact cookies, Authorization, keys, tokens and secret URL\nparameters in the output",
    },
    { name: "help", short: "h", type: "boolean", help: "this text" },
  ],
  footer: "Exit status: 0 allowed, 1 blocked or an error finding (or a high-severity audit result), 2 usage or network error.",
};

export const PROBE_USAGE = helpText(PROBE_SPEC);

export function parseProbeArgs(args: readonly string[]): ParsedProbeArgs {
  const parsed = parseCommand(PROBE_SPEC, args);
  if (parsed === "help") return { help: true };
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError("probe: missing <url> (cors-doctor probe <url> --origin <origin>)");
  if (positionals.length > 1) throw new UsageError(`probe: one URL only, got ${positionals.length}: ${positionals.join(" ")}`);
  const one = (name: string): string | undefined => (typeof values[name] === "string" ? (values[name] as string) : undefined);

  const url = parseTargetUrl(positionals[0]!);
  const originArg = one("origin");
  if (originArg === undefined) throw new UsageError("probe: --origin <origin> is required (the origin of the page that makes the request)");
  const origin = parseOrigin(originArg);

  const methodArg = one("method") ?? "GET";
  // https://fetch.spec.whatwg.org/#concept-method: a token; CONNECT/TRACE/TRACK make fetch() throw.
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(methodArg)) throw new UsageError(`probe: invalid method ${JSON.stringify(methodArg)}`);
  if (/^(connect|trace|track)$/i.test(methodArg))
    throw new UsageError(`probe: fetch() refuses the forbidden method ${methodArg.toUpperCase()}`);

  const headers = ((values.header as string[] | undefined) ?? []).map(parseHeader);

  return {
    help: false,
    options: {
      url,
      origin,
      method: normalizeMethod(methodArg),
      headers,
      credentials: values.credentials === true,
      cookie: one("cookie") ?? null,
      forwardHeaders: values["no-forward-headers"] !== true,
      browser: one("browser") === "firefox" ? "firefox" : "chrome",
      json: values.json === true,
      curl: values.curl === true,
      audit: values.audit === true,
      delayMs: nonNegativeInt("--delay", one("delay"), 0),
      maxRequests: nonNegativeInt("--max-requests", one("max-requests"), 40),
      timeoutMs: positiveInt("--timeout", one("timeout"), 10_000),
      includeSecrets: values["include-secrets"] === true,
    },
  };
}

function parseTargetUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`probe: invalid URL ${JSON.stringify(text)} (expected e.g. https://api.example.com/path)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`probe: only http and https URLs can be probed, not ${url.protocol}`);
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
    throw new UsageError(
      `probe: invalid origin ${JSON.stringify(text)} (expected scheme://host[:port], e.g. https://app.example.com, or null)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`probe: origin must be http(s) or null, not ${url.protocol}`);
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
