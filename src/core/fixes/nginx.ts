// nginx (1.7.5+ for `add_header … always`). Proven by test/fixes/proof-servers.test.ts.
// Two parts: maps in the http { } block, headers and the preflight answer in the API's server { }.
import { commentText, nginxString } from "./literals";
import type { CorsPolicy } from "./policy";
import { list, type StackRecipe } from "./stack";

/** The comment line that starts the server { } part (the proof test splits the recipe there). */
export const NGINX_SERVER_PART = "# --- server { } block of the API";

export const nginx: StackRecipe = {
  stack: "nginx",
  label: "nginx",
  render(p: CorsPolicy) {
    const originLines = p.origins.map((o) => `    ${nginxString(o)} ${nginxString(o)};`).join("\n");
    const creds = p.credentials ? `add_header Access-Control-Allow-Credentials "true" always;\n` : "";
    return `# CORS for ${commentText(p.url || "this API")}
# --- http { } block: the allow-list (map compares the whole string; no regex, no substring) ---
map $http_origin $cors_allow_origin {
    default "";
${originLines}
}
map "$request_method:$http_access_control_request_method" $cors_preflight {
    default 0;
    "~^OPTIONS:." 1;
}

${NGINX_SERVER_PART} (a location with its own add_header must repeat these lines) ---
# "always": also on 4xx/5xx, which nginx otherwise sends without these headers. Empty values are not sent.
add_header Access-Control-Allow-Origin $cors_allow_origin always;
${creds}add_header Access-Control-Allow-Methods ${nginxString(list(p.methods))} always;
add_header Access-Control-Allow-Headers ${nginxString(list(p.headers))} always;
add_header Access-Control-Max-Age ${p.maxAge} always;
add_header Vary Origin always;
# Preflights end here, in the rewrite phase: before auth_basic/auth_request and proxy_pass.
if ($cors_preflight) {
    return 204;
}
`;
  },
  notes: {
    "error-responses": "Without `always`, nginx adds these headers only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses.",
    duplicate:
      "If the upstream app already sends CORS headers, add `proxy_hide_header Access-Control-Allow-Origin;` (and the others) or remove them there.",
    "preflight-auth": "The server-level `if … return 204` runs before auth_basic/auth_request, so preflights need no credentials.",
  },
};
