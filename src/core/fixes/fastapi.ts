// FastAPI / Starlette with CORSMiddleware. Proven by test/fixes/proof-python.test.ts.
// Starlette's ServerErrorMiddleware sits outside every user middleware, so an unhandled exception's
// 500 would bypass CORSMiddleware: the recipe turns exceptions into a 500 response inside it.
import { commentText, pyString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const fastapi: StackRecipe = {
  stack: "fastapi",
  label: "FastAPI / Starlette CORSMiddleware",
  render(p: CorsPolicy) {
    return `# CORS for ${commentText(p.url || "this API")}: add after your other middleware (last added = outermost)
from fastapi import Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse


@app.middleware("http")
async def unhandled_errors_as_500(request: Request, call_next):
    # Unhandled exceptions become a 500 *inside* CORSMiddleware, so the 500 carries CORS headers too.
    try:
        return await call_next(request)
    except Exception:
        return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


app.add_middleware(
    CORSMiddleware,  # outermost: answers preflights before any auth middleware
    allow_origins=[${p.origins.map(pyString).join(", ")}],  # exact origins; no allow_origin_regex
    allow_methods=[${p.methods.map(pyString).join(", ")}],
    allow_headers=[${p.headers.map(pyString).join(", ")}],
    allow_credentials=${p.credentials ? "True" : "False"},
    max_age=${p.maxAge},
)
`;
  },
  notes: {
    "error-responses":
      "Starlette's ServerErrorMiddleware is outside CORSMiddleware: without the try/except middleware, unhandled 500s have no CORS headers.",
    "preflight-auth": "Add CORSMiddleware after (outside) any auth middleware; auth in Depends() never sees preflights.",
  },
};
