// Plain Flask with before_request/after_request hooks (no extension). Proven by
// test/fixes/proof-python.test.ts. after_request runs for error handlers and unhandled exceptions
// too (Flask finalize_request), so error responses carry the headers.
import { commentText, pyString } from "./literals";
import type { CorsPolicy } from "./policy";
import { list, type StackRecipe } from "./stack";

export const flask: StackRecipe = {
  stack: "flask",
  label: "Flask (after_request)",
  render(p: CorsPolicy) {
    const creds = p.credentials ? `\n        response.headers["Access-Control-Allow-Credentials"] = "true"` : "";
    return `# CORS for ${commentText(p.url || "this API")}
from flask import request

CORS_ALLOWED_ORIGINS = {${p.origins.map(pyString).join(", ")}}  # exact origins, compared byte for byte
CORS_ALLOW_METHODS = ${pyString(list(p.methods))}
CORS_ALLOW_HEADERS = ${pyString(list(p.headers))}


@app.before_request
def answer_cors_preflight():
    # Register before any auth hook: preflights never carry cookies or Authorization.
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return app.response_class(status=204)


@app.after_request
def add_cors_headers(response):
    # Runs for every response, errors and unhandled 500s included.
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin in CORS_ALLOWED_ORIGINS:
        response.headers["Access-Control-Allow-Origin"] = origin${creds}
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = CORS_ALLOW_METHODS
            response.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
            response.headers["Access-Control-Max-Age"] = "${p.maxAge}"
    return response
`;
  },
  notes: {
    "error-responses":
      "Use after_request, not code in each view: Flask runs it for error handlers and unhandled 500s too (outside debug mode).",
    duplicate: "Headers are assigned, not added, so a second layer's value is replaced; still remove the other layer.",
  },
};
