// Apache httpd 2.4 (mod_headers, mod_setenvif, mod_rewrite). Proven by test/fixes/proof-servers.test.ts.
// Must go in server/VirtualHost context: in .htaccess/<Directory>, mod_rewrite runs after
// authentication, so preflights would still get 401.
import { apacheHeaderValue, commentText } from "./literals";
import type { CorsPolicy } from "./policy";
import { list, type StackRecipe } from "./stack";

/** `"^(origin)$"` with regex metacharacters escaped: the capture is the exact origin, nothing more. */
function exactOriginCapture(origin: string): string {
  return `"^(${origin.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => "\\" + c).replace(/"/g, '\\"')})$"`;
}

export const apache: StackRecipe = {
  stack: "apache",
  label: "Apache httpd",
  render(p: CorsPolicy) {
    const setEnv = p.origins.map((o) => `SetEnvIf Origin ${exactOriginCapture(o)} CORS_ALLOW_ORIGIN=$1`).join("\n");
    const creds = p.credentials ? `Header always set Access-Control-Allow-Credentials "true" env=CORS_ALLOW_ORIGIN\n` : "";
    return `# CORS for ${commentText(p.url || "this API")}: in the <VirtualHost> (not .htaccess)
# Needs: a2enmod headers setenvif rewrite
# Allow-list: anchored, escaped, case-sensitive regexes; each matches one exact origin.
${setEnv}
# "always": also on 4xx/5xx responses.
Header always set Access-Control-Allow-Origin "%{CORS_ALLOW_ORIGIN}e" env=CORS_ALLOW_ORIGIN
${creds}Header always set Access-Control-Allow-Methods ${apacheHeaderValue(list(p.methods))} env=CORS_ALLOW_ORIGIN
Header always set Access-Control-Allow-Headers ${apacheHeaderValue(list(p.headers))} env=CORS_ALLOW_ORIGIN
Header always set Access-Control-Max-Age "${p.maxAge}" env=CORS_ALLOW_ORIGIN
Header always merge Vary "Origin"
# Preflights end here (server context: before authentication and before the app/proxy).
RewriteEngine On
RewriteCond "%{REQUEST_METHOD}" "=OPTIONS"
RewriteCond "%{HTTP:Access-Control-Request-Method}" "."
RewriteRule "^" "-" [R=204,L]
`;
  },
  notes: {
    duplicate:
      "If the backend already sends these headers, also add `Header unset Access-Control-Allow-Origin` (and the others) so only one copy is sent.",
    "error-responses": "`Header always` is what reaches 4xx/5xx responses; plain `Header set` only touches successful ones.",
    "preflight-auth": "Keep the RewriteRule in the VirtualHost: in .htaccess or <Directory> it runs after authentication.",
  },
};
