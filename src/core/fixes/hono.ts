// Hono with its built-in cors middleware. Proven by test/fixes/proof-node.test.ts.
// The middleware sets the headers before the handler runs; Hono copies them onto the response that
// app.onError or a thrown HTTPException produces.
import { commentText, jsString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const hono: StackRecipe = {
  stack: "hono",
  label: "Hono cors()",
  render(p: CorsPolicy) {
    return `// CORS for ${commentText(p.url || "this API")}
import { cors } from "hono/cors";

// Before any auth middleware and routes: answers preflights (204) and adds the headers to every response.
app.use(
  "*",
  cors({
    origin: [${p.origins.map(jsString).join(", ")}], // exact origins: never (origin) => origin
    allowMethods: [${p.methods.map(jsString).join(", ")}],
    allowHeaders: [${p.headers.map(jsString).join(", ")}],
    credentials: ${p.credentials},
    maxAge: ${p.maxAge},
  }),
);
`;
  },
  notes: {
    "preflight-auth": 'app.use("*", cors(...)) must be registered before auth middleware (basicAuth, jwt, bearerAuth).',
    "allow-origin": "An origin function returning its argument reflects every Origin; keep the array.",
  },
};
