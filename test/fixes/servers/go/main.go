// Proof server for the Go + rs/cors recipe. cors.go (the broken one from broken_cors.go, or the
// generated recipe) provides withCORS, which wraps the whole app, auth included.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
)

func requireAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/private" && r.Header.Get("Authorization") == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/data", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	mux.HandleFunc("/api/private", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "secret") })
	mux.HandleFunc("/api/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "error", http.StatusInternalServerError)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("PORT %d\n", ln.Addr().(*net.TCPAddr).Port)
	if err := http.Serve(ln, withCORS(requireAuth(mux))); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
