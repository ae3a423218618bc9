// The raw HTTP headers, for any server not listed: what the preflight and the actual response must carry.
import { commentText, httpValue } from "./literals";
import type { CorsPolicy } from "./policy";
import { list, type StackRecipe } from "./stack";

export const http: StackRecipe = {
  stack: "http",
  label: "HTTP headers",
  render(p: CorsPolicy) {
    const origin = httpValue(p.origins[0]);
    const creds = p.credentials ? "Access-Control-Allow-Credentials: true\n" : "";
    return `# CORS for ${commentText(p.url || "this API")}
# Preflight: OPTIONS with Origin: ${origin} and Access-Control-Request-Method: ${httpValue(p.requestMethod)}
# (answer it before authentication: preflights carry no cookies or Authorization)
HTTP/1.1 204 No Content
Access-Control-Allow-Origin: ${origin}
${creds}Access-Control-Allow-Methods: ${httpValue(list(p.methods))}
Access-Control-Allow-Headers: ${httpValue(list(p.headers))}
Access-Control-Max-Age: ${p.maxAge}
Vary: Origin

# Actual response, with every status (4xx/5xx and redirects too), only when Origin is on the allow-list
# (${p.origins.map(httpValue).join(", ")}):
HTTP/1.1 200 OK
Access-Control-Allow-Origin: ${origin}
${creds}Vary: Origin
`;
  },
};
