// Proof server for the Hono recipe (@hono/node-server): the CORS slot comes first, then the app's auth
// middleware and routes. Prints "PORT <n>" once listening on an ephemeral loopback port.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();

// {{CORS}}

app.use("*", async (c, next) => {
  if (c.req.path === "/api/private" && !c.req.header("authorization")) return c.text("unauthorized", 401);
  await next();
});
app.on(["GET", "POST", "PUT", "PATCH", "DELETE"], "/api/data", (c) => c.text("ok"));
app.options("/api/*", (c) => c.body(null, 204));
app.get("/api/private", (c) => c.text("secret"));
app.get("/api/error", () => {
  throw new Error("boom");
});

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => console.log("PORT " + info.port));
