// Caddy 2 (Caddyfile). Proven by test/fixes/proof-servers.test.ts.
import { caddyString, commentText } from "./literals";
import type { CorsPolicy } from "./policy";
import { list, type StackRecipe } from "./stack";

export const caddy: StackRecipe = {
  stack: "caddy",
  label: "Caddy",
  render(p: CorsPolicy) {
    const perOrigin = p.origins
      .map((o, i) => {
        const name = p.origins.length > 1 ? `@cors_origin_${i + 1}` : "@cors_origin";
        return `${name} header Origin ${caddyString(o)}
header ${name} {
	Access-Control-Allow-Origin ${caddyString(o)}
${p.credentials ? `	Access-Control-Allow-Credentials "true"\n` : ""}	Access-Control-Allow-Methods ${caddyString(list(p.methods))}
	Access-Control-Allow-Headers ${caddyString(list(p.headers))}
	Access-Control-Max-Age "${p.maxAge}"
}`;
      })
      .join("\n");
    return `# CORS for ${commentText(p.url || "this API")}: inside the API's site block.
# Exact origin (the header matcher compares the whole value); the headers are set before any handler,
# so responses of respond/reverse_proxy with any status carry them.
${perOrigin}
header Vary Origin

@cors_preflight {
	method OPTIONS
	header Access-Control-Request-Method *
}
handle @cors_preflight {
	respond 204
}
# Caddy orders basicauth/forward_auth before handle: scope them to this matcher so preflights pass.
@cors_not_preflight not {
	method OPTIONS
	header Access-Control-Request-Method *
}
`;
  },
  notes: {
    "preflight-auth":
      "Write `basicauth @cors_not_preflight { … }` / `forward_auth @cors_not_preflight …`: Caddy runs auth directives before `handle`.",
    "allow-origin": "Do not use `{http.request.header.Origin}` as the value without the matcher: that reflects every Origin.",
  },
};
