// Client-side fixes: where the failing request itself is what should change (it sends credentials or a
// header it does not need, a lower-case method, a redirecting URL, the wrong mode). Filled with the
// request's real URL, method and headers.
import type { Fix } from "../model";
import type { ClientFixKind } from "./advice";
import { commentText, jsString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { FixContext } from "./index";

function fetchCall(url: string, init: string[]): string {
  return `const response = await fetch(${jsString(url)}, {\n${init.map((l) => `  ${l},`).join("\n")}\n});`;
}

// Origin and path only: a query string may carry a token, and it is not what the fix is about.
const SAFE_URL = (_context: FixContext, p: CorsPolicy) => (p.url ? p.url : "https://api.example.com/endpoint");

export function clientFix(kind: ClientFixKind, context: FixContext, p: CorsPolicy): Fix {
  const url = SAFE_URL(context, p);
  const method = `method: ${jsString(p.requestMethod)}`;
  switch (kind) {
    case "drop-credentials":
      return {
        stack: "client",
        title: "Client: do not send credentials if this request does not need cookies or HTTP auth",
        code: `// Client-side fix: without credentials, the server's current answer (even "*") is enough.\n${fetchCall(url, [method, 'credentials: "same-origin" // the default; was "include"'])}`,
        notes:
          "Only if the endpoint needs no cookies; otherwise fix the server. Do not make the server echo any Origin to allow credentials.",
      };
    case "drop-header": {
      const names = context.requestHeaders.map((h) => commentText(h)).join(", ") || "the custom header";
      return {
        stack: "client",
        title: "Client: do not send request headers the server does not need",
        code: `// Client-side fix: every non-safelisted header (${names}) must be allowed by the preflight.\n// Drop the ones the server does not read; Content-Type text/plain, application/x-www-form-urlencoded\n// and multipart/form-data need no preflight at all.\n${fetchCall(url, [method, "headers: { /* only the headers the server needs */ }"])}`,
        notes: "Only if the server ignores the header; otherwise add it to Access-Control-Allow-Headers.",
      };
    }
    case "method-case": {
      const upper = p.requestMethod.toUpperCase();
      return {
        stack: "client",
        title: `Client: send the method as ${commentText(upper)}`,
        code: `// Client-side fix: fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT; any other method\n// is sent exactly as written, and the preflight match is case-sensitive.\n${fetchCall(url, [`method: ${jsString(upper)}`])}`,
        notes: "Servers and libraries list methods upper-case; do not rely on them matching a lower-case method.",
      };
    }
    case "final-url":
      return {
        stack: "client",
        title: "Client: request the final URL directly (no redirect)",
        code: `// Client-side fix: call the URL the server redirects to (https://, with or without the trailing slash,\n// the final host). A preflight cannot follow a redirect, and a cross-origin redirect makes the\n// browser send Origin: null.\n${fetchCall(url.replace(/^http:\/\//, "https://"), [method])} // adjust to the Location the server answers`,
        notes: "Do not allow `null` on the server to work around the redirect.",
      };
    case "page-origin":
      return {
        stack: "client",
        title: "Client: open the page at the origin the server allows",
        code: `// localhost and 127.0.0.1 are different origins. Open the page at the host the server lists\n// (or add this page's origin, ${commentText(p.origins[0])}, to the server's allow-list).\n${fetchCall(url, [method])}`,
        notes: "Do not make the server accept any origin to paper over a host-name mix-up.",
      };
    case "mode-cors":
      return {
        stack: "client",
        title: "Client: use mode 'cors' for a cross-origin request",
        code: `// Client-side fix: mode "same-origin" refuses every cross-origin URL before sending it.\n${fetchCall(url, [method, 'mode: "cors" // the default'])}`,
        notes: "Do not use mode 'no-cors': the response becomes opaque (status 0, no headers, no body).",
      };
  }
}
