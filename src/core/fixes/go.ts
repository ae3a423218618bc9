// Go net/http with github.com/rs/cors (v1.7+; Debian golang-github-rs-cors-dev). Proven by
// test/fixes/proof-servers.test.ts. A separate file so its imports stay valid Go.
import { commentText, goString } from "./literals";
import type { CorsPolicy } from "./policy";
import { upperMethods, type StackRecipe } from "./stack";

export const go: StackRecipe = {
  stack: "go",
  label: "Go + rs/cors",
  render(p: CorsPolicy) {
    return `// cors.go: CORS for ${commentText(p.url || "this API")} (go get github.com/rs/cors)
package main

import (
	"net/http"

	"github.com/rs/cors"
)

// withCORS wraps the whole handler, outside any auth middleware: preflights are answered here, and the
// headers are set before the inner handler writes any status, errors included. Use:
// http.ListenAndServe(addr, withCORS(mux))
func withCORS(next http.Handler) http.Handler {
	return cors.New(cors.Options{
		AllowedOrigins:   []string{${p.origins.map(goString).join(", ")}}, // exact origins; no AllowOriginFunc returning true
		AllowedMethods:   []string{${upperMethods(p).map(goString).join(", ")}},
		AllowedHeaders:   []string{${p.headers.map(goString).join(", ")}},
		AllowCredentials: ${p.credentials},
		MaxAge:           ${p.maxAge},
	}).Handler(next)
}
`;
  },
  notes: {
    "method-case": "rs/cors upper-cases methods (it answers `PATCH` to `patch`), so the page must send `PATCH`.",
    "preflight-auth": "Wrap the outermost handler: withCORS(auth(mux)), not auth(withCORS(mux)).",
  },
};
