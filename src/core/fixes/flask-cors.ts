// Flask with flask-cors (`pip install flask-cors`; Debian: python3-flask-cors). Proven by
// test/fixes/proof-python.test.ts. flask-cors answers preflights in an after_request hook, so a
// before_request auth hook would still reject OPTIONS: the recipe answers preflights first.
import { commentText, pyString } from "./literals";
import { isSerializedOrigin, type CorsPolicy } from "./policy";
import { upperMethods, type StackRecipe } from "./stack";

/** flask-cors reads a string with `[` as a regex, so an IPv6 origin is given as an escaped, anchored regex. */
function originItem(origin: string): string {
  return /[[\]]/.test(origin) && isSerializedOrigin(origin) ? `re.compile(re.escape(${pyString(origin)}) + r"\\Z")` : pyString(origin);
}

export const flaskCors: StackRecipe = {
  stack: "flask-cors",
  label: "Flask + flask-cors",
  render(p: CorsPolicy) {
    const needsRe = p.origins.some((o) => /[[\]]/.test(o));
    return `# CORS for ${commentText(p.url || "this API")} (flask-cors 3.x to 6.x)
${needsRe ? "import re\n" : ""}from flask import request
from flask_cors import CORS

CORS(
    app,
    origins=[${p.origins.map(originItem).join(", ")}],  # exact origins, never "*" or a reflected Origin
    methods=[${upperMethods(p).map(pyString).join(", ")}],
    allow_headers=[${p.headers.map(pyString).join(", ")}],
    supports_credentials=${p.credentials ? "True" : "False"},
    max_age=${p.maxAge},
)


@app.before_request
def answer_cors_preflight():
    # Register before any auth hook: preflights never carry cookies or Authorization.
    # flask-cors adds the CORS headers to this response in its after_request hook.
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        return app.make_default_options_response()


@app.after_request
def vary_on_origin(response):
    # flask-cors adds Vary: Origin only for several origins; the response depends on Origin anyway.
    response.vary.add("Origin")
    return response
`;
  },
  notes: {
    "error-responses":
      "flask-cors runs in after_request, which Flask also runs for error handlers and unhandled 500s (outside debug mode).",
    preflight: "flask-cors answers OPTIONS only for methods in `methods`; keep the list in sync with your routes.",
    "method-case": "flask-cors upper-cases every method, so a page sending `patch` must send `PATCH` instead.",
  },
};
