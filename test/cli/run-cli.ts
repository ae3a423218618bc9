// Runs the built CLI (dist/cli/cors-doctor.cjs, produced by `npm run build`) as a user would.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CLI = path.resolve("dist/cli/cors-doctor.cjs");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory seen while it ran (VmHWM from /proc), in MiB. */
  peakMiB: number;
}

export function runCli(
  args: string[],
  options: { stdin?: string | Buffer; timeoutMs?: number; env?: Record<string, string>; stdoutFile?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: "1", ...options.env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        const m = /VmHWM:\s+(\d+) kB/.exec(status);
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]));
      } catch {
        // the process may just have exited
      }
    }, 50);
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`cors-doctor ${args.join(" ")} did not finish in ${options.timeoutMs ?? 60_000} ms`));
    }, options.timeoutMs ?? 60_000);
    if (options.stdoutFile) child.stdout.pipe(fs.createWriteStream(options.stdoutFile));
    else child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), peakMiB: peakKiB / 1024 });
    });
    if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();
  });
}
