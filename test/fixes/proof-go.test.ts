// Proves the Go + rs/cors recipe on a real net/http server built from Debian's golang-go and
// golang-github-rs-cors-dev: broken → blocked in Chromium, generated cors.go → the request passes.
import { proveStacks } from "./support/proof";
import { goProof } from "./servers/web-servers";

proveStacks("fix recipes on Go net/http", [
  [goProof, ["acao-missing", "preflight-header-not-allowed", "preflight-rejected-by-auth", "cors-headers-missing-on-error-responses"]],
]);
