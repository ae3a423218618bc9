// Flask, flask-cors, Django + django-cors-headers and FastAPI + uvicorn, from Debian's packages, run
// with /usr/bin/python3 (the python3 on PATH may be another interpreter without Debian's modules).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnServerIn, type RunningServer, type ServerConfig, type StackUnderProof } from "../support/proof";

const PYTHON = "/usr/bin/python3";
const HERE = path.dirname(new URL(import.meta.url).pathname);

function read(name: string): string {
  return fs.readFileSync(path.join(HERE, name), "utf8");
}

/** Why the module cannot be imported here, or null. */
function missingModules(modules: string[]): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found (install Debian's python3)`;
  try {
    execFileSync(PYTHON, ["-c", modules.map((m) => `import ${m}`).join("; ")], { stdio: "pipe", timeout: 15_000 });
    return null;
  } catch (err) {
    const text = String((err as { stderr?: Buffer }).stderr ?? err)
      .trim()
      .split("\n")
      .pop();
    return `${PYTHON} cannot import ${modules.join(", ")}: ${text} (run scripts/install-fix-servers.sh)`;
  }
}

/** Writes `template` with its `# {{CORS}}` line replaced into a fresh directory. */
function materialise(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-fix-proof-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function fill(template: string, cors: string): string {
  if (!template.includes("# {{CORS}}")) throw new Error("template has no CORS slot");
  return template.replace("# {{CORS}}", () => cors);
}

function brokenEnv(config: ServerConfig): NodeJS.ProcessEnv {
  return config.kind === "broken" ? { CORS_BROKEN: JSON.stringify({ ...config.spec, pageOrigin: config.pageOrigin }) } : {};
}

function runIn(dir: string, script: string, config: ServerConfig): Promise<RunningServer> {
  return spawnServerIn(dir, PYTHON, [path.join(dir, script)], { env: { ...brokenEnv(config), PYTHONDONTWRITEBYTECODE: "1" } });
}

function flaskStack(stack: "flask" | "flask-cors", modules: string[]): StackUnderProof {
  return {
    stack,
    unavailable: () => missingModules(modules),
    start: (config) => {
      const cors = config.kind === "broken" ? read("flask_broken.py") : config.code;
      const dir = materialise({ "app.py": fill(read("flask_app.py"), cors) });
      return runIn(dir, "app.py", config);
    },
  };
}

export const flaskCorsProof = flaskStack("flask-cors", ["flask", "flask_cors"]);
export const flaskProof = flaskStack("flask", ["flask"]);

export const djangoProof: StackUnderProof = {
  stack: "django",
  unavailable: () => missingModules(["django", "corsheaders"]),
  start: (config) => {
    const cors = config.kind === "broken" ? read("django_broken.py") : config.code;
    const dir = materialise({ "django_site.py": fill(read("django_site.py"), cors), "run.py": read("django_run.py") });
    return runIn(dir, "run.py", config);
  },
};

export const fastapiProof: StackUnderProof = {
  stack: "fastapi",
  unavailable: () => missingModules(["fastapi", "uvicorn"]),
  start: (config) => {
    const cors = config.kind === "broken" ? read("fastapi_broken.py") : config.code;
    const dir = materialise({ "app.py": fill(read("fastapi_app.py"), cors) });
    return runIn(dir, "app.py", config);
  },
};
