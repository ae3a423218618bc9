// Hand-written, broken CORS for the Node proof servers: the spec (CORS_BROKEN, JSON) says which header
// is wrong. Headers are added when the status is written, after auth and routing have answered.
const SPEC = JSON.parse(process.env.CORS_BROKEN);

export function patchResponse(req, res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    if (status < 400 || SPEC.onErrors) {
      const origin = req.headers.origin;
      const acao = { none: null, other: "http://other.example", "*": "*", origin: origin === SPEC.pageOrigin ? origin : null }[SPEC.acao];
      if (acao) this.setHeader("Access-Control-Allow-Origin", acao);
      if (SPEC.acac) this.setHeader("Access-Control-Allow-Credentials", "true");
      if (req.method === "OPTIONS") {
        this.setHeader("Access-Control-Allow-Methods", SPEC.acam);
        this.setHeader("Access-Control-Allow-Headers", SPEC.acah);
      }
      if (SPEC.vary) this.setHeader("Vary", "Origin");
    }
    return writeHead.call(this, status, ...rest);
  };
}
