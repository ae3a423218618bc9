// B.4 wildcards that stop being wildcards: with credentials, "*" in Allow-Methods/-Headers is a
// literal name (https://fetch.spec.whatwg.org/#http-new-header-syntax), and methods match case-sensitively.
import { get, parseTokenList } from "../headers";
import { adding, NO_FINDINGS, type Lint } from "./context";

const STANDARD_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

export const wildcardsLint: Lint = (ctx) => {
  let out = NO_FINDINGS;
  for (const leg of ctx.exchange.legs) {
    const response = leg.preflight?.response;
    if (!response) continue;
    const methods = parseTokenList(get(response.headers, "access-control-allow-methods"));
    const headers = parseTokenList(get(response.headers, "access-control-allow-headers"));
    const star = (methods.ok && methods.items.includes("*")) || (headers.ok && headers.items.includes("*"));
    if (star && ctx.credentialsInclude) {
      out = adding(out, {
        id: "wildcard-methods-or-headers-with-credentials",
        severity: "warning",
        request: "preflight",
        header: methods.ok && methods.items.includes("*") ? "access-control-allow-methods" : "access-control-allow-headers",
        actual: "*",
        title: "* in Access-Control-Allow-Methods/-Headers does not work for credentialed requests",
        detail: 'With credentials the browser reads * as a method or header literally named "*". List the methods and headers explicitly.',
        spec: "https://fetch.spec.whatwg.org/#http-new-header-syntax",
      });
    }
    if (methods.ok) {
      const lower = methods.items.filter((m) => m !== m.toUpperCase() && STANDARD_METHODS.includes(m.toUpperCase()));
      const method = leg.request.method;
      if (lower.length > 0 || (method !== method.toUpperCase() && STANDARD_METHODS.includes(method.toUpperCase()))) {
        out = adding(out, {
          id: "allow-methods-case",
          severity: "warning",
          request: "preflight",
          header: "access-control-allow-methods",
          actual: get(response.headers, "access-control-allow-methods") ?? "",
          expected: method,
          title: "Method names in CORS are case-sensitive",
          detail: `Access-Control-Allow-Methods must list methods exactly as the browser sends them. fetch() upper-cases only DELETE, GET, HEAD, OPTIONS, POST and PUT, so method "${method}" is sent as written.${lower.length ? ` Listed in lower case: ${lower.join(", ")}.` : ""}`,
          spec: "https://fetch.spec.whatwg.org/#concept-method-normalize",
        });
      }
    }
  }
  return out;
};
