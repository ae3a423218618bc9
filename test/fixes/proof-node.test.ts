// Proves the Node recipes (Express + cors, Fastify + @fastify/cors, Hono) on real servers: each starts
// broken, Chromium shows the block, the generated recipe is written into the app, and the request passes.
import { proveStacks } from "./support/proof";
import { expressProof, fastifyProof, honoProof } from "./servers/node";

proveStacks("fix recipes on Node servers", [
  [expressProof, ["acao-missing", "preflight-method-not-allowed", "dynamic-acao-missing-vary"]],
  [fastifyProof, ["acao-wildcard-with-credentials", "preflight-header-not-allowed", "preflight-rejected-by-auth"]],
  [honoProof, ["acao-mismatch", "acac-not-true", "cors-headers-missing-on-error-responses"]],
]);
