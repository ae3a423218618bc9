// Proves the Flask recipes (flask-cors and plain after_request) on real servers from Debian's packages:
// each starts broken, Chromium shows the block, the generated recipe is written into the app, and the
// same request then passes.
import { proveStacks } from "./support/proof";
import { flaskCorsProof, flaskProof } from "./servers/python";

proveStacks("fix recipes on Flask", [
  [flaskCorsProof, ["acao-missing", "acao-wildcard-with-credentials", "preflight-header-not-allowed"]],
  [flaskProof, ["cors-headers-missing-on-error-responses", "preflight-rejected-by-auth", "dynamic-acao-missing-vary"]],
]);
