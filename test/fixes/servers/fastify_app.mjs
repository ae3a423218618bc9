// Proof server for the @fastify/cors recipe: the CORS slot comes first, then the app's auth hook and
// routes. Prints "PORT <n>" once listening on an ephemeral loopback port.
import Fastify from "fastify";

const app = Fastify({ logger: false });

// {{CORS}}

app.addHook("onRequest", async (req, reply) => {
  if (req.url.startsWith("/api/private") && !req.headers.authorization) {
    reply.code(401).send("unauthorized");
    return reply;
  }
});
app.route({ method: ["GET", "POST", "PUT", "PATCH", "DELETE"], url: "/api/data", handler: async () => "ok" });
app.options("/api/data", async (_req, reply) => reply.code(204).send());
app.options("/api/private", async (_req, reply) => reply.code(204).send());
app.get("/api/private", async () => "secret");
app.get("/api/error", async () => {
  throw new Error("boom");
});

await app.listen({ port: 0, host: "127.0.0.1" });
console.log("PORT " + app.server.address().port);
