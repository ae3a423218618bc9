// Django with django-cors-headers (`pip install django-cors-headers`; Debian:
// python3-django-cors-headers). Proven by test/fixes/proof-python.test.ts. CorsMiddleware first in
// MIDDLEWARE answers preflights before any auth middleware and sees every response, 500s included.
import { commentText, pyString } from "./literals";
import type { CorsPolicy } from "./policy";
import type { StackRecipe } from "./stack";

export const django: StackRecipe = {
  stack: "django",
  label: "Django + django-cors-headers",
  render(p: CorsPolicy) {
    return `# settings.py: CORS for ${commentText(p.url || "this API")} (django-cors-headers 3.5+)
INSTALLED_APPS += ["corsheaders"]
# First in the list: it answers preflights before auth middleware and adds headers to error responses.
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")

CORS_ALLOWED_ORIGINS = [${p.origins.map(pyString).join(", ")}]  # exact origins, no regexes
CORS_ALLOW_METHODS = [${p.methods.map(pyString).join(", ")}]
CORS_ALLOW_HEADERS = [${p.headers.map(pyString).join(", ")}]
CORS_ALLOW_CREDENTIALS = ${p.credentials ? "True" : "False"}
CORS_PREFLIGHT_MAX_AGE = ${p.maxAge}
`;
  },
  notes: {
    "allow-origin": "Leave CORS_ALLOW_ALL_ORIGINS unset (False); with credentials it reflects every Origin.",
    redirect: "Set APPEND_SLASH = False or call the URL with its trailing slash: CommonMiddleware's slash redirect breaks preflights.",
    "preflight-auth": "CorsMiddleware must come before any middleware that returns 401/403 or redirects to a login page.",
  },
};
