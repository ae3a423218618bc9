// B.1 security lints visible in one response: which origins the server says it trusts.
import { get } from "../headers";
import { hostOf } from "../origin";
import { adding, corsResponses, NO_FINDINGS, type Lint, type LintFinding } from "./context";

/** Hosts anyone can publish pages on (CORScanner origins.json, Corsy passive tests). */
const THIRD_PARTY_SUFFIXES = [
  "github.io",
  "github.com",
  "gitlab.io",
  "gitlab.com",
  "pastebin.com",
  "jsbin.com",
  "codepen.io",
  "jsfiddle.net",
  "s3.amazonaws.com",
  "herokuapp.com",
  "netlify.app",
  "vercel.app",
  "pages.dev",
  "glitch.me",
  "repl.co",
  "firebaseapp.com",
  "web.app",
  "azurewebsites.net",
  "appspot.com",
  "ngrok.io",
  "ngrok-free.app",
];

const DOTTED_SUFFIXES = THIRD_PARTY_SUFFIXES.map((s) => `.${s}`);

function isThirdPartyHost(host: string): boolean {
  for (let i = 0; i < THIRD_PARTY_SUFFIXES.length; i++) {
    if (host === THIRD_PARTY_SUFFIXES[i] || host.endsWith(DOTTED_SUFFIXES[i]!)) return true;
  }
  return false;
}

/** One finding per id, however many responses show it. */
function once(out: LintFinding[], f: LintFinding): LintFinding[] {
  for (let i = 0; i < out.length; i++) if (out[i]!.id === f.id) return out;
  return adding(out, f);
}

export const trustedOriginsLint: Lint = (ctx) => {
  let out = NO_FINDINGS;
  for (const { response, request } of corsResponses(ctx)) {
    const acao = get(response.headers, "access-control-allow-origin");
    if (acao === null) continue;
    const credentials = get(response.headers, "access-control-allow-credentials") === "true";
    if (acao === "null") {
      out = once(out, {
        id: "acao-null-trusted",
        severity: "warning",
        request,
        header: "access-control-allow-origin",
        actual: acao,
        title: `The server trusts the origin "null"${credentials ? " with credentials" : ""}`,
        detail:
          'Any page can send Origin: null (a sandboxed iframe or a data: URL), so allowing "null" lets every site read these responses. Allow-list real origins instead.',
        spec: "https://fetch.spec.whatwg.org/#origin-header",
      });
    }
    const url = ctx.exchange.legs[0]?.request.url ?? "";
    if (url.startsWith("https:") && acao.startsWith("http://")) {
      out = once(out, {
        id: "acao-http-origin-on-https",
        severity: "warning",
        request,
        header: "access-control-allow-origin",
        actual: acao,
        title: `An https resource trusts the insecure origin ${JSON.stringify(acao)}`,
        detail:
          "Anyone on the network path can inject script into an http:// page and read this https resource through it. Trust only https origins.",
      });
    }
    const host = acao.startsWith("http") && acao !== ctx.origin ? hostOf(acao) : null;
    if (host && isThirdPartyHost(host) && host !== hostOf(url)) {
      out = once(out, {
        id: "acao-third-party-unsafe-origin",
        severity: "warning",
        request,
        header: "access-control-allow-origin",
        actual: acao,
        title: `The server trusts ${JSON.stringify(acao)}, a host where anyone can publish pages`,
        detail: "An attacker can host a page on the same platform and read these responses. Trust only origins you control.",
      });
    }
    if (acao === "*" && credentials) {
      out = once(out, {
        id: "acao-wildcard-with-acac-true",
        severity: "warning",
        request,
        header: "access-control-allow-credentials",
        actual: "true",
        title: "Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true",
        detail:
          'This pair never works for credentialed requests (the browser refuses * with credentials) and is ignored otherwise: a copy-pasted configuration. Do not "fix" it by echoing any Origin; use an allow-list.',
        spec: "https://fetch.spec.whatwg.org/#cors-protocol-and-credentials",
      });
    }
    if (acao !== "*" && acao === ctx.origin && credentials && request === "actual") {
      out = once(out, {
        id: "acao-reflects-arbitrary-origin",
        severity: "info",
        request,
        header: "access-control-allow-origin",
        actual: acao,
        title: "The server returns the request's Origin together with credentials",
        detail:
          "That is correct for an allow-listed origin, and dangerous when the server echoes any Origin: then every site can read authenticated responses. Check with `cors-doctor probe --audit` that only your origins are trusted.",
      });
    }
  }
  return out;
};
