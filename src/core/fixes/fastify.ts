// Fastify 4/5 with @fastify/cors (`npm install @fastify/cors`). Proven by test/fixes/proof-node.test.ts.
// The plugin answers preflights in its onRequest hook, which runs before hooks registered after it.
import { commentText, jsString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const fastify: StackRecipe = {
  stack: "fastify",
  label: "Fastify + @fastify/cors",
  render(p: CorsPolicy) {
    return `// CORS for ${commentText(p.url || "this API")} (npm install @fastify/cors)
import fastifyCors from "@fastify/cors";

// Register before any auth hook: the plugin answers preflights in its own onRequest hook.
await app.register(fastifyCors, {
  origin: [${p.origins.map(jsString).join(", ")}], // exact origins: never \`true\` (reflects any Origin)
  methods: [${p.methods.map(jsString).join(", ")}],
  allowedHeaders: [${p.headers.map(jsString).join(", ")}],
  credentials: ${p.credentials},
  maxAge: ${p.maxAge},
});
`;
  },
  notes: {
    "preflight-auth": "Register @fastify/cors before any onRequest/preHandler auth hook, or preflights get 401.",
    "error-responses": "The headers are set in onRequest, so replies from error handlers keep them; do not reply.removeHeader them.",
  },
};
