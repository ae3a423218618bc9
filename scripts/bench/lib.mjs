// Shared helpers of the bench runner: statistics, timed child processes, peak memory, the machine's
// description, the CPU of a process tree. Nothing here knows about a particular measure.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_PATH } from "../lib/chromium.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = resolve(ROOT, "dist/cli/cors-doctor.cjs");
export const EXT = resolve(ROOT, "dist/chrome");
/** The browsers the bench drives: the system ones, or CHROMIUM_PATH / FIREFOX_PATH (as the playground and the tests). */
export const CHROMIUM = CHROMIUM_PATH;
export const FIREFOX = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { min: sorted[0], median, max: sorted[n - 1], n, values };
}

/**
 * Runs a command with stdout to /dev/null, returns { ms, code, stderr, peakRssKb, cpuMs }. Wall time is taken
 * around spawn → exit (process start-up included on both sides of a comparison). With `measureRss`, the
 * command runs under /usr/bin/time -v (GNU time reads the child's rusage: the kernel's exact peak RSS).
 */
export function runTimed(cmd, args, { measureRss = false, timeoutMs = 30 * 60_000, env } = {}) {
  const useTime = measureRss && existsSync("/usr/bin/time");
  const file = useTime ? "/usr/bin/time" : cmd;
  const argv = useTime ? ["-v", cmd, ...args] : args;
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ["ignore", "ignore", "pipe"], env: env ?? process.env });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
    });
    let peakFromProc = 0;
    const poll = measureRss && !useTime ? setInterval(() => (peakFromProc = Math.max(peakFromProc, vmHwmKb(child.pid))), 50) : null;
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      reject(err);
    });
    child.on("close", (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakRssKb = peakFromProc || undefined;
      let cpuMs;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) peakRssKb = Number(m[1]);
        const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
        const sys = /System time \(seconds\): ([\d.]+)/.exec(stderr);
        if (user && sys) cpuMs = (Number(user[1]) + Number(sys[1])) * 1000;
        const status = /Exit status: (\d+)/.exec(stderr);
        if (status) code = Number(status[1]);
        stderr = stderr.replace(/\n?\tCommand being timed:[\s\S]*$/, "");
      }
      resolvePromise({ ms, code: code ?? (signal ? 128 : 0), signal, stderr, peakRssKb, cpuMs });
    });
  });
}

function vmHwmKb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function firstLine(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 })
      .trim()
      .split("\n")
      .pop();
  } catch {
    return "unknown";
  }
}

/** What the figures were measured on: they mean nothing without it. */
export function machine() {
  const cpu = cpus();
  let chromium = "not installed";
  if (existsSync(CHROMIUM)) chromium = firstLine(CHROMIUM, ["--version"]).replace(/^.*?(Chromium)/, "$1");
  const firefox = existsSync(FIREFOX) ? firstLine(FIREFOX, ["--version"]) : "not installed";
  let load = "";
  try {
    load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {}
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${process.platform} ${firstLine("uname", ["-r"])}`,
    node: process.version,
    chromium,
    firefox,
    loadAverageAtStart: load,
  };
}

export const fmtMs = (ms) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;

export function fmt(value, unit) {
  if (value === undefined || Number.isNaN(value)) return "—";
  if (unit === "ms") return fmtMs(value);
  // Memory figures are kernel/V8 KiB-based: shown in MiB (1 MiB = 1.049 MB, so a MiB figure under a
  // "MB" target is the stricter reading).
  if (unit === "MB") return `${value.toFixed(1)} MiB`;
  if (unit === "/s") return `${Math.round(value).toLocaleString("en-US")}/s`;
  return `${value}`;
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** Bounded wait for a condition (never poll forever: the machine is shared). */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 100, what = "condition" } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * Every process of the machine: pid → { ppid, cpu (user + system, ms so far), cmd (its command line, with
 * `withCommandLines`) }. A process that ends while we look is left out.
 */
export function processTable({ withCommandLines = false } = {}) {
  const procs = new Map();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = withCommandLines ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
      procs.set(pid, { ppid: fields[1], cpu: (Number(fields[11]) + Number(fields[12])) * TICK_MS, cmd });
    } catch {
      // The process ended while we looked.
    }
  }
  return procs;
}

/** CPU time (ms) of the processes `roots` and all their descendants in `procs` (a processTable). */
export function treeCpu(procs, roots) {
  let total = 0;
  const seen = new Set();
  const walk = (pid) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    total += procs.get(pid)?.cpu ?? 0;
    for (const [child, p] of procs) if (p.ppid === pid) walk(child);
  };
  roots.forEach(walk);
  return total;
}
