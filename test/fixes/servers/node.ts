// Express + cors, Fastify + @fastify/cors and Hono, from the project's npm devDependencies. Each app is
// written as an .mjs file under node_modules/.cache so its imports resolve to the project's packages.
import fs from "node:fs";
import path from "node:path";
import { spawnServerIn, type RunningServer, type ServerConfig, type StackUnderProof } from "../support/proof";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(HERE, "../../..");
const CACHE = path.join(ROOT, "node_modules", ".cache");

function read(name: string): string {
  return fs.readFileSync(path.join(HERE, name), "utf8");
}

function missingPackages(names: string[]): string | null {
  const missing = names.filter((n) => !fs.existsSync(path.join(ROOT, "node_modules", n, "package.json")));
  return missing.length ? `npm packages not installed: ${missing.join(", ")} (run npm install)` : null;
}

/** The hook that installs the broken CORS behaviour, in each framework's own idiom. */
const BROKEN_GLUE: Record<string, string> = {
  express: `import { patchResponse } from "./node_broken.mjs";\napp.use((req, res, next) => {\n  patchResponse(req, res);\n  next();\n});`,
  fastify: `import { patchResponse } from "./node_broken.mjs";\napp.addHook("onRequest", async (req, reply) => {\n  patchResponse(req.raw, reply.raw);\n});`,
  hono: `import { patchResponse } from "./node_broken.mjs";\napp.use("*", async (c, next) => {\n  patchResponse(c.env.incoming, c.env.outgoing);\n  await next();\n});`,
};

async function startNode(stack: string, template: string, config: ServerConfig): Promise<RunningServer> {
  fs.mkdirSync(CACHE, { recursive: true });
  const dir = fs.mkdtempSync(path.join(CACHE, "cors-fix-proof-"));
  const cors = config.kind === "broken" ? BROKEN_GLUE[stack] : config.code;
  const text = read(template);
  if (!text.includes("// {{CORS}}")) throw new Error("template has no CORS slot");
  fs.writeFileSync(
    path.join(dir, "app.mjs"),
    text.replace("// {{CORS}}", () => cors),
  );
  fs.writeFileSync(path.join(dir, "node_broken.mjs"), read("node_broken.mjs"));
  const env = config.kind === "broken" ? { CORS_BROKEN: JSON.stringify({ ...config.spec, pageOrigin: config.pageOrigin }) } : {};
  return spawnServerIn(dir, process.execPath, [path.join(dir, "app.mjs")], { env });
}

export const expressProof: StackUnderProof = {
  stack: "express",
  unavailable: () => missingPackages(["express", "cors"]),
  start: (config) => startNode("express", "express_app.mjs", config),
};

export const fastifyProof: StackUnderProof = {
  stack: "fastify",
  unavailable: () => missingPackages(["fastify", "@fastify/cors"]),
  start: (config) => startNode("fastify", "fastify_app.mjs", config),
};

export const honoProof: StackUnderProof = {
  stack: "hono",
  unavailable: () => missingPackages(["hono", "@hono/node-server"]),
  start: (config) => startNode("hono", "hono_app.mjs", config),
};
