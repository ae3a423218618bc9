// B.2 dynamic-acao-missing-vary: an allow-origin that follows the request's Origin must be keyed by
// it in caches, or a CDN/browser cache serves origin A's answer to origin B
// (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
import { get } from "../headers";
import { corsResponses, NO_FINDINGS, type Lint } from "./context";

export function variesByOrigin(vary: string | null): boolean {
  if (vary === null) return false;
  return vary.split(",").some((v) => {
    const t = v.trim().toLowerCase();
    return t === "origin" || t === "*";
  });
}

export const varyLint: Lint = (ctx) => {
  for (const { response, request } of corsResponses(ctx)) {
    if (request !== "actual") continue;
    const acao = get(response.headers, "access-control-allow-origin");
    if (acao === null || acao === "*" || acao !== ctx.origin) continue;
    if (variesByOrigin(get(response.headers, "vary"))) continue;
    return [
      {
        id: "dynamic-acao-missing-vary",
        severity: "warning",
        title: "Access-Control-Allow-Origin echoes the origin but the response has no Vary: Origin",
        detail: `The response allows ${JSON.stringify(acao)} without Vary: Origin. If the server picks the allowed origin per request, a shared or browser cache can replay this response to another origin, which then fails with a mismatch (or succeeds where it should not). Add Vary: Origin.`,
        request: "actual",
        header: "vary",
        expected: "Origin",
        actual: get(response.headers, "vary") ?? "",
        spec: "https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches",
      },
    ];
  }
  return NO_FINDINGS;
};
