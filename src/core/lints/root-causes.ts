// Root causes behind a header error (taxonomy B.2): the browser names the missing header, but the
// real problem is an error page, an auth wall, a missing OPTIONS route, a redirect or a doubled header.
import { get, lineCount } from "../headers";
import { corsResponses, adding, NO_FINDINGS, type Lint } from "./context";

/** The headers whose second line is a finding of its own (checked in this order, one finding per response). */
const DOUBLED_HEADERS = ["access-control-allow-origin", "access-control-allow-credentials"];

export const rootCausesLint: Lint = (ctx) => {
  let out = NO_FINDINGS;
  const f = ctx.failure;
  if (f?.request === "actual" && f.id === "acao-missing" && f.status !== undefined && f.status >= 400) {
    out = adding(out, {
      id: "cors-headers-missing-on-error-responses",
      severity: "error",
      request: "actual",
      header: "access-control-allow-origin",
      actual: String(f.status),
      title: `The real error is HTTP ${f.status}: the error response has no CORS headers`,
      detail: `The server answered ${f.status} without Access-Control-Allow-Origin, so the page cannot even read the error. Fix the ${f.status} (see the server's logs), and send CORS headers on error responses too (nginx: add_header … always; frameworks: error handlers after the CORS middleware).`,
    });
  }
  if (f?.request === "preflight" && f.status !== undefined) {
    if (f.status === 401 || f.status === 403 || f.status === 407) {
      out = adding(out, {
        id: "preflight-rejected-by-auth",
        severity: "error",
        request: "preflight",
        actual: String(f.status),
        title: `The preflight was rejected by authentication (HTTP ${f.status})`,
        detail:
          "Preflights never carry cookies or Authorization, so an auth layer in front of the CORS handling rejects them. Answer OPTIONS in the CORS layer before authentication.",
        spec: "https://fetch.spec.whatwg.org/#cors-protocol-and-credentials",
      });
    } else if (f.status === 404 || f.status === 405 || f.status === 501) {
      out = adding(out, {
        id: "preflight-route-missing",
        severity: "error",
        request: "preflight",
        actual: String(f.status),
        title: `The server has no OPTIONS handler for this URL (HTTP ${f.status})`,
        detail:
          "The preflight is an OPTIONS request to the same URL. Route OPTIONS to the CORS handler (most CORS middlewares do this when mounted before the routes).",
      });
    } else if (f.status >= 300 && f.status < 400) {
      const location = ctx.exchange.legs[f.leg]?.preflight?.response
        ? get(ctx.exchange.legs[f.leg]!.preflight!.response!.headers, "location")
        : null;
      if (location && /login|signin|auth|sso/i.test(location)) {
        out = adding(out, {
          id: "preflight-rejected-by-auth",
          severity: "error",
          request: "preflight",
          actual: `${f.status} → ${location}`,
          title: "The preflight was redirected to a login page",
          detail:
            "Preflights never carry cookies, so a session check redirects them to the login page. Answer OPTIONS before authentication.",
        });
      }
    }
  }
  if (ctx.exchange.legs.length > 1) {
    const first = ctx.exchange.legs[0]!;
    out = adding(out, {
      id: "redirect-on-cors-endpoint",
      severity: "warning",
      request: "actual",
      header: "location",
      actual: get(first.response?.headers, "location") ?? "",
      title: `The API URL redirects (HTTP ${first.response?.status ?? "3xx"})`,
      detail:
        'Redirects break preflighted requests (a preflight is never redirected) and, to another origin, turn the request\'s Origin into "null". Call the final URL directly.',
      spec: "https://fetch.spec.whatwg.org/#http-redirect-fetch",
    });
  }
  for (const { response, request } of corsResponses(ctx)) {
    for (const header of DOUBLED_HEADERS) {
      if (lineCount(response.headers, header) > 1) {
        const caused = f?.header === header && f.request === request;
        out = adding(out, {
          id: "duplicate-cors-headers",
          severity: caused ? "error" : "warning",
          request,
          header,
          actual: get(response.headers, header) ?? "",
          title: `${header} is sent twice on the ${request === "preflight" ? "preflight " : ""}response`,
          detail:
            "Two layers (the app and a proxy, CDN or gateway) each add the header, and the browser sees the combined value. Set CORS headers in exactly one place.",
        });
        break;
      }
    }
  }
  return out;
};
