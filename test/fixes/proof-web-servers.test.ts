// Proves the nginx, Apache httpd and Caddy recipes on the real servers from Debian's packages: each
// starts broken, Chromium shows the block, the generated recipe is written into the config, and the
// same request then passes.
import { proveStacks } from "./support/proof";
import { apacheProof, caddyProof, nginxProof } from "./servers/web-servers";

proveStacks("fix recipes on web servers", [
  [nginxProof, ["acao-missing", "preflight-rejected-by-auth", "cors-headers-missing-on-error-responses"]],
  [apacheProof, ["acao-wildcard-with-credentials", "preflight-method-not-allowed", "dynamic-acao-missing-vary"]],
  [caddyProof, ["acao-mismatch", "acac-not-true", "preflight-header-not-allowed"]],
]);
