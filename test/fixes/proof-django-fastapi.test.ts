// Proves the Django + django-cors-headers and FastAPI/Starlette + uvicorn recipes on real servers from
// Debian's packages: broken → blocked in Chromium, generated recipe written in → the request passes.
import { proveStacks } from "./support/proof";
import { djangoProof, fastapiProof } from "./servers/python";

proveStacks("fix recipes on Django and FastAPI", [
  [djangoProof, ["acao-mismatch", "preflight-method-not-allowed", "cors-headers-missing-on-error-responses"]],
  [fastapiProof, ["acac-not-true", "preflight-rejected-by-auth", "cors-headers-missing-on-error-responses"]],
]);
