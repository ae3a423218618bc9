// Which tool wrote a HAR file, from `log.creator.name`, and what that tells about its evidence. A browser's
// own export shows what the browser did (its failures, its resource types); a proxy saw only the wire,
// so the browser's verdict is not in the file and must be predicted; an API client is no browser at all.
// The names are the ones each tool writes (see test/fixtures/producers/*/README.md for where each is from).

export type ProducerId =
  | "chromium-devtools"
  | "firefox-devtools"
  | "safari-web-inspector"
  | "playwright"
  | "chrome-har"
  | "webpagetest"
  | "browsermob"
  | "mitmproxy"
  | "charles"
  | "fiddler"
  | "proxyman"
  | "insomnia"
  | "cors-doctor"
  | "unknown";

export interface HarProducer {
  id: ProducerId;
  /** How messages name it: "Chrome/Edge DevTools". */
  name: string;
  /**
   * browser: recorded inside the browser, which writes its own failures (Chrome's `_error`, Playwright's
   * `_failureText`); wire: a proxy between browser and server; client: a tool that sent the requests itself.
   */
  sees: "browser" | "wire" | "client";
  /**
   * True when the file writes every failure the browser reported (Chrome's `_error`, Firefox's status 0,
   * Playwright's `_failureText`): then a response without one was read by the page. Otherwise the
   * browser's outcome is unknown and the engine predicts it from the headers.
   */
  reportsFailures: boolean;
}

interface Rule extends HarProducer {
  /** Matches the lower-cased creator name. */
  match: (name: string) => boolean;
}

const RULES: Rule[] = [
  // Chromium's DevTools (Chrome, Edge, Opera, Brave) all write "WebInspector" (front_end/models/har/Log.ts).
  { id: "chromium-devtools", name: "Chrome/Edge DevTools", sees: "browser", reportsFailures: true, match: (n) => n === "webinspector" },
  { id: "firefox-devtools", name: "Firefox DevTools", sees: "browser", reportsFailures: true, match: (n) => n === "firefox" },
  {
    id: "safari-web-inspector",
    name: "Safari Web Inspector",
    sees: "browser",
    reportsFailures: false,
    match: (n) => n === "webkit web inspector" || n.includes("safari"),
  },
  { id: "playwright", name: "Playwright", sees: "browser", reportsFailures: true, match: (n) => n === "playwright" },
  { id: "chrome-har", name: "chrome-har (Puppeteer)", sees: "browser", reportsFailures: false, match: (n) => n === "chrome-har" },
  { id: "webpagetest", name: "WebPageTest", sees: "browser", reportsFailures: false, match: (n) => n.startsWith("webpagetest") },
  {
    id: "browsermob",
    name: "BrowserMob Proxy",
    sees: "wire",
    reportsFailures: false,
    match: (n) => n.includes("browsermob") || n.includes("browserup"),
  },
  { id: "mitmproxy", name: "mitmproxy", sees: "wire", reportsFailures: false, match: (n) => n.startsWith("mitmproxy") },
  { id: "charles", name: "Charles Proxy", sees: "wire", reportsFailures: false, match: (n) => n.startsWith("charles") },
  { id: "fiddler", name: "Fiddler", sees: "wire", reportsFailures: false, match: (n) => n.startsWith("fiddler") },
  { id: "proxyman", name: "Proxyman", sees: "wire", reportsFailures: false, match: (n) => n.startsWith("proxyman") },
  { id: "insomnia", name: "Insomnia", sees: "client", reportsFailures: false, match: (n) => n.startsWith("insomnia") },
  { id: "cors-doctor", name: "CORS Doctor", sees: "browser", reportsFailures: true, match: (n) => n === "cors doctor" },
];

/** Creator names are free text from the file: shown only after cutting to a short printable run. */
function shownName(creator: string): string {
  const printable = creator.replace(/[^\x20-\x7e]/g, "?").slice(0, 40);
  return printable === "" ? "an unnamed tool" : `"${printable}"`;
}

export function producerOf(creator: string | undefined): HarProducer {
  const name = (creator ?? "").trim().toLowerCase();
  const rule = RULES.find((r) => r.match(name));
  if (rule) return { id: rule.id, name: rule.name, sees: rule.sees, reportsFailures: rule.reportsFailures };
  return {
    id: "unknown",
    name: creator === undefined ? "the tool that wrote this file" : shownName(creator),
    sees: "wire",
    reportsFailures: false,
  };
}

/** How to get the headers back, per producer, for the refusal of a file that has none. */
const HEADER_HINTS: Partial<Record<ProducerId, string>> = {
  browsermob: "start the proxy with captureHeaders (CaptureType.REQUEST_HEADERS and RESPONSE_HEADERS, or -captureHeaders)",
  insomnia: "send the request again in Insomnia before exporting, so the export has its response",
};

/**
 * The one line that refuses a file whose first entry carries no header at all: without Origin and the
 * Access-Control-* headers nothing about CORS can be said, and "no problems found" would be a lie.
 */
export function missingHeadersMessage(producer: HarProducer): string {
  const hint = HEADER_HINTS[producer.id];
  return `${producer.name} wrote no request or response headers (entries[0] has none): CORS cannot be diagnosed without them${hint ? `; ${hint}` : ""}`;
}

/** What a verdict on a file from this producer rests on, said once per diagnosed exchange. */
export function producerAssumption(producer: HarProducer): string | undefined {
  if (producer.sees === "client") {
    return `${producer.name} sent these requests itself, not from a web page, so no browser enforced CORS on them: the verdict is what a browser at the request's Origin would do`;
  }
  if (producer.id === "chrome-har") {
    return "chrome-har leaves out the requests that failed, CORS-blocked ones included: a request missing from this file may have been blocked (a preflight without its request is one sign)";
  }
  if (producer.sees === "wire" && producer.id !== "unknown") {
    return `${producer.name} recorded the traffic between browser and server, not the browser's own verdict: the verdict is predicted from the headers`;
  }
  return undefined;
}

/** Chrome's default "Export HAR (sanitized)" (Chrome 130+) drops these (front_end/models/har/Log.ts, `sanitize`). */
export const SANITIZED_HEADERS = ["cookie", "authorization", "set-cookie"] as const;

export const SANITIZED_ASSUMPTION =
  "no entry of this Chrome/Edge DevTools export has a Cookie, Set-Cookie or Authorization header, as in DevTools' default sanitized export, which removes them: the credentials mode cannot be inferred from their absence";
