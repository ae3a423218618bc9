// Express 4/5 with the `cors` package (`npm install cors`). Proven by test/fixes/proof-node.test.ts.
// cors() sets its headers before the route runs and Express's final handler keeps them, so 4xx/5xx
// from error handlers registered after it carry them too.
import { commentText, jsString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const express: StackRecipe = {
  stack: "express",
  label: "Express + cors",
  render(p: CorsPolicy) {
    return `// CORS for ${commentText(p.url || "this API")} (npm install cors)
import cors from "cors";

// Before any auth middleware and routes: answers preflights (204) and adds the headers to every response.
app.use(
  cors({
    origin: [${p.origins.map(jsString).join(", ")}], // exact origins: never \`true\` (reflects any Origin)
    methods: [${p.methods.map(jsString).join(", ")}],
    allowedHeaders: [${p.headers.map(jsString).join(", ")}],
    credentials: ${p.credentials},
    maxAge: ${p.maxAge},
  }),
);
`;
  },
  notes: {
    "error-responses":
      "Register error handlers after app.use(cors(...)) and do not call res.removeHeader/res.set to reset headers in them.",
    "preflight-auth": "app.use(cors(...)) must come before any auth middleware (passport, express-jwt…), or preflights get 401.",
  },
};
