// A.5 `response-header-not-exposed`: the page tried to read a response header (a page-side observer saw
// `headers.get(name)`) that CORS hides. A cross-origin script reads only the CORS-safelisted response
// headers and those listed in Access-Control-Expose-Headers (Fetch #cors-safelisted-response-header-name);
// "*" exposes everything except Set-Cookie, but only when the request is not credentialed.
import { get, parseTokenList } from "../headers";
import { finalResponse, adding, NO_FINDINGS, type Lint } from "./context";

const SAFELISTED = new Set(["cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma"]);
/** Never readable by a script, exposed or not (forbidden response-header names). */
const FORBIDDEN = new Set(["set-cookie", "set-cookie2"]);

export const exposedHeadersLint: Lint = (ctx) => {
  const wanted = ctx.exchange.readHeaders;
  if (!wanted || wanted.length === 0 || ctx.failure) return NO_FINDINGS;
  const response = finalResponse(ctx);
  if (!response) return NO_FINDINGS;
  const list = parseTokenList(get(response.headers, "access-control-expose-headers"));
  const exposed = new Set(list.ok ? list.items.map((h) => h.toLowerCase()) : []);
  const star = exposed.has("*") && !ctx.credentialsInclude;
  let out = NO_FINDINGS;
  for (const raw of wanted) {
    const name = raw.toLowerCase();
    if (SAFELISTED.has(name)) continue;
    const forbidden = FORBIDDEN.has(name);
    if (!forbidden && (star || exposed.has(name))) continue;
    const present = get(response.headers, name) !== null;
    out = adding(out, {
      id: "response-header-not-exposed",
      severity: "warning",
      request: "actual",
      header: "access-control-expose-headers",
      expected: raw,
      actual: get(response.headers, "access-control-expose-headers") ?? "",
      title: forbidden
        ? `The page tried to read ${raw}, which no script can ever read`
        : `The page tried to read ${raw}, which Access-Control-Expose-Headers does not list`,
      detail: forbidden
        ? "Set-Cookie is never exposed to scripts, whatever the CORS headers say; the browser stores the cookie itself."
        : `A cross-origin response shows a script only the safelisted headers (Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma) and those in Access-Control-Expose-Headers, so headers.get(${JSON.stringify(raw)}) returned null${present ? " although the server sent it" : ""}. Add ${name} to Access-Control-Expose-Headers${exposed.has("*") && ctx.credentialsInclude ? " (with credentials, * is read as a literal name and exposes nothing)" : ""}.`,
      spec: "https://fetch.spec.whatwg.org/#http-access-control-expose-headers",
    });
  }
  return out;
};
