// Proof server for the Express recipe: the CORS slot comes first, then the app's auth, routes and
// error handler. Prints "PORT <n>" once listening on an ephemeral loopback port.
import express from "express";

const app = express();

// {{CORS}}

app.use((req, res, next) => {
  if (req.path === "/api/private" && !req.get("authorization")) return res.status(401).send("unauthorized");
  next();
});
app.all("/api/data", (_req, res) => res.send("ok"));
app.get("/api/private", (_req, res) => res.send("secret"));
app.get("/api/error", () => {
  throw new Error("boom");
});
app.use((_err, _req, res, _next) => res.status(500).send("error"));

const server = app.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
