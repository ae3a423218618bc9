// Fixes for what is not a CORS misconfiguration (taxonomy A.5 and the cookie-* root causes): the cure is in
// the environment, the page or the browser, never a CORS header. Stack "environment" is what to do on the
// machine or in the browser; "client" is the change in the page; "server" a change that is not CORS.
// URLs are reduced to their origin: a path or query may carry a token and is not what the fix is about.
import type { Fix } from "../model";

export interface NotCorsFixContext {
  findingId: string;
  url: string;
  /** The page's origin. */
  origin: string;
  /** The evidence string (net error, blockedReason, CorsError…). */
  signal?: string;
  /** Address space of the target for LNA ("loopback" | "local"). */
  targetSpace?: string;
  /** Cookie findings: the cookie's name. */
  cookieName?: string;
  /** response-header-not-exposed: the header the page wants to read. */
  header?: string;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "https://api.example.com";
  }
}

function hostPort(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "api.example.com";
  }
}

const js = (s: string) => JSON.stringify(s);

/** True for ids whose fixes are not CORS server recipes. */
export function isNotCorsAdvice(id: string): boolean {
  return (
    id.startsWith("not-cors-") ||
    id.startsWith("cookie-") ||
    id === "response-header-rewritten" ||
    id === "response-header-not-exposed" ||
    id === "blocked-reason-unknown"
  );
}

export function notCorsFixes(ctx: NotCorsFixContext): Fix[] {
  const api = originOf(ctx.url);
  const host = hostPort(ctx.url);
  const cookie = ctx.cookieName && /^[\w.-]+$/.test(ctx.cookieName) ? ctx.cookieName : "session";
  switch (ctx.findingId) {
    case "not-cors-network-refused":
      return [
        {
          stack: "environment",
          title: `Start the server, and check it listens on ${host}`,
          code: `# Is anything listening there?\ncurl -sS -o /dev/null -w '%{http_code}\\n' ${api}/\n# On the server: which address and port does it bind?\nss -ltnp | grep ':${portOf(ctx.url)} '`,
          notes:
            "A server bound to 127.0.0.1 inside a container or VM is not reachable from outside it: bind 0.0.0.0 there. Do not add CORS headers to chase this.",
        },
      ];
    case "not-cors-network-dns":
      return [
        {
          stack: "environment",
          title: `Make ${hostNameOf(ctx.url)} resolve`,
          code: `getent hosts ${hostNameOf(ctx.url)}   # empty output: the name does not resolve here`,
          notes: "Check the API base URL of this environment, /etc/hosts and the VPN. Do not add CORS headers to chase this.",
        },
      ];
    case "not-cors-network-tls":
      return [
        {
          stack: "environment",
          title: "Open the API in a tab to see the certificate error, then fix the certificate",
          code: `# In the browser: open ${api}/ in a new tab and read the certificate error.\n# From a shell:\ncurl -v ${api}/ 2>&1 | grep -iE 'certificate|SSL|subject|issuer|expire'`,
          notes:
            "Development: trust the local CA (mkcert -install) instead of clicking through the warning, which a fetch() cannot do. Do not add CORS headers to chase this.",
        },
      ];
    case "not-cors-network-offline":
      return [
        {
          stack: "environment",
          title: "Reconnect (or turn off DevTools' Offline throttling) and record again",
          code: '// Nothing to change in the code or on the server: the browser was offline.\n// DevTools > Network > throttling: set back to "No throttling".',
          notes: "Every request of this recording failed the same way; it says nothing about CORS.",
        },
      ];
    case "not-cors-network-other":
      return [
        {
          stack: "environment",
          title: "Find why the connection failed: the server's logs, its proxy or load balancer",
          code: `curl -v ${api}/ 2>&1 | tail -20`,
          notes:
            "Resets and empty responses usually come from a crash, a timeout in a proxy, or http spoken to an https port. Do not add CORS headers to chase this.",
        },
      ];
    case "not-cors-no-response":
      return [
        {
          stack: "environment",
          title: `Find out why ${host} gave no response: try it outside the page, then read the console`,
          code: `# Does the server answer at all? (refused, DNS and TLS failures show here)\ncurl -v ${api}/ 2>&1 | tail -20\n# In the browser: the Console line for this request names the reason; a clean profile rules out extensions.`,
          notes:
            "The file records no reason for this failure, and no response reached the CORS check: do not change CORS headers to chase it.",
        },
      ];
    case "not-cors-blocked-by-client":
      return [
        {
          stack: "environment",
          title: "Test in a clean profile, or allowlist the API in the blocking extension",
          code: `# Chrome: a fresh profile without extensions\nchromium --user-data-dir="$(mktemp -d)" ${ctx.origin}/\n# Firefox: a private window with extensions off, or about:addons → disable the blocker for this site`,
          notes: `Ad-blockers block URLs that look like ads or tracking ("ads", "track", "analytics", "pixel", "beacon"): renaming the endpoint on ${host} helps real users who run one. Do not add CORS headers to chase this.`,
        },
      ];
    case "not-cors-mixed-content":
      return [
        {
          stack: "server",
          title: `Serve the API over https`,
          code: `// Then call it over https:\nconst response = await fetch(${js(api.replace(/^http:/, "https:") + "/…")});`,
          notes: "An https page can never call plain http (except localhost and 127.0.0.1). Do not weaken the page to http instead.",
        },
      ];
    case "not-cors-csp-connect-src":
      return [
        {
          stack: "server",
          title: `Add ${api} to connect-src in the page's Content-Security-Policy`,
          code: `# On the server of the PAGE (${ctx.origin}), not the API:\nContent-Security-Policy: connect-src 'self' ${api}`,
          notes:
            "Keep the rest of the policy: add the origin to the existing connect-src (or default-src) list. CORS headers on the API cannot lift the page's CSP.",
        },
      ];
    case "not-cors-corp-coep":
      return [
        {
          stack: "server",
          title: "Let the resource opt in to being embedded cross-origin",
          code: `# On the API / resource server (${api}):\nCross-Origin-Resource-Policy: cross-origin`,
          notes:
            "Or load it in cors mode (fetch() default, <img crossorigin>) and send Access-Control-Allow-Origin. A page with Cross-Origin-Embedder-Policy: require-corp needs one of the two for every cross-origin resource; credentialless is the other way out.",
        },
      ];
    case "not-cors-orb":
      return [
        {
          stack: "client",
          title: "Read data with fetch() in cors mode, not as a no-cors load",
          code: `const response = await fetch(${js(api + "/…")}); // mode: "cors" is the default: the server then needs CORS headers`,
          notes:
            "ORB hides JSON, HTML and similar answers from <img>, <script> and mode: 'no-cors'. If the element should get an image or script, fix the URL or the Content-Type.",
        },
      ];
    case "not-cors-content-type":
      return [
        {
          stack: "server",
          title: "Serve the resource with the Content-Type it is used as",
          code: "Content-Type: text/javascript; charset=utf-8   # for a script\nContent-Type: text/css; charset=utf-8          # for a stylesheet",
          notes: "X-Content-Type-Options: nosniff makes the browser refuse a mismatching type.",
        },
      ];
    case "not-cors-local-network-access": {
      const space = ctx.targetSpace === "loopback" || ctx.signal?.includes("loopback") ? "loopback" : "local";
      if (ctx.signal === "InsecureLocalNetwork" || ctx.signal === "InsecurePrivateNetwork") {
        return [
          {
            stack: "server",
            title: "Serve the page over https: Local Network Access needs a secure context",
            code: `// The page ${ctx.origin} is plain http: move it to https, then the browser can ask the user.`,
            notes: "CORS headers (and the old Access-Control-Allow-Private-Network) do not lift this.",
          },
        ];
      }
      if (ctx.signal === "InvalidLocalNetworkAccess" || ctx.signal === "InvalidPrivateNetworkAccess") {
        return [
          {
            stack: "client",
            title: "Declare the address space the server is really in",
            code: `const response = await fetch(${js(api + "/…")}, { targetAddressSpace: ${js(space)} }); // "loopback": this machine; "local": the LAN`,
            notes: "A wrong targetAddressSpace fails even when the permission is granted.",
          },
        ];
      }
      return [
        {
          stack: "environment",
          title: `Grant the page permission to reach ${space === "loopback" ? "this device" : "the local network"}`,
          code: `// Chrome: click the lock icon of ${ctx.origin} → Site settings → "${space === "loopback" ? "Apps on this device" : "Local network access"}" → Allow.\n// Enterprises: policy LocalNetworkAccessAllowedForUrls = ["${ctx.origin}"].`,
          notes: "Headless and automated browsers deny the prompt at once. CORS headers do not lift this.",
        },
        {
          stack: "client",
          title: "Mark the call so the browser can ask (https pages)",
          code: `const response = await fetch(${js(api + "/…")}, { targetAddressSpace: ${js(space)} });`,
          notes:
            "The page must be https. Alternatively serve the page and the API from the same network, or put the API behind a public https host.",
        },
      ];
    }
    case "not-cors-redirect-mode":
      if (
        ctx.signal &&
        (ctx.signal === "net::ERR_UNSAFE_REDIRECT" || ctx.signal.startsWith("Location: ") || ctx.signal === "NS_ERROR_CORRUPTED_CONTENT")
      ) {
        return [
          {
            stack: "server",
            title: "Redirect to an https URL (or answer directly)",
            code: "# The redirect's Location must be http(s):\nLocation: https://…",
            notes: "data:, about:, blob:, file: and custom schemes are never followed by fetch(), in any mode.",
          },
        ];
      }
      return [
        {
          stack: "client",
          title: "Call the final URL, or let fetch() follow the redirect",
          code: `const response = await fetch(${js(api + "/…")}, { redirect: "follow" });`,
          notes: "redirect: 'error' is meant to fail on any 3xx; keep it only if a redirect is a bug you want to catch.",
        },
      ];
    case "not-cors-sri":
      return [
        {
          stack: "client",
          title: "Update the integrity hash to the file actually served",
          code: "# Compute the hash of the exact bytes served:\ncurl -s URL | openssl dgst -sha384 -binary | openssl base64 -A",
          notes: "A CDN that rewrites or minifies the file changes its hash; pin a version.",
        },
      ];
    case "cookie-not-sent-samesite":
    case "cookie-not-sent-insecure":
      return [
        {
          stack: "server",
          title: "Set the cookie with SameSite=None; Secure (the API must be https)",
          code: `Set-Cookie: ${cookie}=…; Path=/; Secure; HttpOnly; SameSite=None; Partitioned`,
          notes:
            "Without SameSite=None a cookie defaults to Lax and never goes on a cross-site fetch; SameSite=None needs Secure, and Secure needs https. Partitioned keeps it working where third-party cookies are blocked.",
        },
        {
          stack: "client",
          title: "Or send a token instead of relying on a cookie",
          code: `const response = await fetch(${js(api + "/…")}, { headers: { Authorization: \`Bearer \${token}\` } });`,
          notes: "The server must then list Authorization in Access-Control-Allow-Headers.",
        },
      ];
    case "cookie-not-sent-credentials-mode":
      return [
        {
          stack: "client",
          title: "Send the request with credentials",
          code: `const response = await fetch(${js(api + "/…")}, { credentials: "include" });\n// XMLHttpRequest: xhr.withCredentials = true;`,
          notes:
            "The server must then answer with the exact origin (not *) and Access-Control-Allow-Credentials: true, and the cookie must be SameSite=None; Secure for a cross-site page.",
        },
      ];
    case "cookie-third-party-blocked":
    case "cookie-partitioned":
      return [
        {
          stack: "server",
          title: "Make the cookie partitioned (CHIPS), set from the cross-site context",
          code: `Set-Cookie: ${cookie}=…; Path=/; Secure; HttpOnly; SameSite=None; Partitioned`,
          notes:
            "A partitioned cookie is kept per top-level site: it must be set by a response to a request made from the page's site (e.g. a credentialed fetch from the page), not by visiting the API directly.",
        },
        {
          stack: "client",
          title: "Or serve the API from the page's site, or use a token",
          code: `// Same-site: api.${"<your-site>"} next to app.${"<your-site>"} keeps first-party cookies.\nconst response = await fetch(${js(api + "/…")}, { headers: { Authorization: \`Bearer \${token}\` } });`,
          notes: "Browsers increasingly block third-party cookies by default (Chrome here does, Firefox partitions them).",
        },
      ];
    case "response-header-not-exposed": {
      const name = ctx.header && /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(ctx.header) ? ctx.header : "X-Custom-Header";
      return [
        {
          stack: "http",
          title: `Expose ${name} to the page`,
          code: `Access-Control-Expose-Headers: ${name}`,
          notes:
            "List every header the page reads, comma-separated. Do not rely on * for credentialed requests: it is then a literal name.",
        },
        {
          stack: "express",
          title: `Express (cors): expose ${name}`,
          code: `app.use(cors({ origin: ${js(ctx.origin)}, exposedHeaders: [${js(name)}] }));`,
        },
        { stack: "nginx", title: `nginx: expose ${name}`, code: `add_header Access-Control-Expose-Headers "${name}" always;` },
        {
          stack: "flask-cors",
          title: `flask-cors: expose ${name}`,
          code: `CORS(app, origins=[${js(ctx.origin)}], expose_headers=[${js(name)}])`,
        },
      ];
    }
    case "blocked-reason-unknown":
      return [
        {
          stack: "environment",
          title: "Read the browser's own reason: DevTools Console and Issues on the page",
          code: `// DevTools > Console: the line for ${api}\n// DevTools > Issues: Local Network Access, CSP, mixed content, CORS\n// Then retry in a clean profile to rule out extensions:\n// chromium --user-data-dir="$(mktemp -d)" ${ctx.origin}/`,
          notes:
            "The captured headers pass every CORS check, so changing the server's CORS configuration will not help until the reason is known.",
        },
      ];
    case "response-header-rewritten":
      return [
        {
          stack: "environment",
          title: "Find what rewrote the response: test in a clean profile",
          code: `chromium --user-data-dir="$(mktemp -d)" ${ctx.origin}/`,
          notes:
            "Extensions using declarativeNetRequest (header modifiers, CORS unblockers, privacy tools) change headers after webRequest and DevTools saw them. Do not change the server to match what it already sends.",
        },
      ];
    default:
      return [];
  }
}

function portOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port || (u.protocol === "https:" ? "443" : "80");
  } catch {
    return "443";
  }
}

function hostNameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "api.example.com";
  }
}
