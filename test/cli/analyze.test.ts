// `cors-doctor analyze` as a user runs it: the built CLI, real files, exit codes, contracts §3.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "./run-cli";
import { harEntry } from "../support/har-entry";

const MATRIX = path.resolve("test/fixtures/matrix/chromium.har");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-cli-"));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const PAGE = "http://127.0.0.1:3000";
const har = (entries: unknown[]) =>
  JSON.stringify({ log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, pages: [], entries } });

describe("analyze: output and exit status", () => {
  test("the recorded Chromium matrix: JSON per contracts §3, exit 1 (blocked requests inside)", async () => {
    const r = await runCli(["analyze", MATRIX, "--json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const source = JSON.parse(fs.readFileSync(MATRIX, "utf8"));
    expect(out.tool).toBe("cors-doctor");
    expect(out.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(out.entries).toHaveLength(source.log.entries.length);
    expect(out.summary.entries).toBe(source.log.entries.length);
    expect(out.summary.blocked).toBeGreaterThan(50);
    for (const e of out.entries) {
      expect(Object.keys(e)).toEqual(
        expect.arrayContaining([
          "index",
          "url",
          "method",
          "status",
          "role",
          "pairedWith",
          "verdict",
          "blockedBy",
          "findings",
          "assumptions",
        ]),
      );
      expect(["actual", "preflight", "not-cors"]).toContain(e.role);
      if (e.verdict === "blocked") expect(e.blockedBy.id).toMatch(/^[a-z0-9-]+$/);
    }
    const preflight = out.entries.find((e: any) => e.role === "preflight");
    expect(out.entries[preflight.pairedWith].pairedWith).toBe(preflight.index);
  }, 60_000);

  test("human output lists the blocked request with expected and received values", async () => {
    const blocked = harEntry("http://localhost:4000/api", "GET", { Origin: PAGE }, 200, { "Access-Control-Allow-Origin": `${PAGE}/` });
    Object.assign(blocked.response, { _error: "net::ERR_FAILED" });
    const file = write("one.har", har([blocked]));
    const r = await runCli(["analyze", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("BLOCKED GET http://localhost:4000/api");
    expect(r.stdout).toContain(`expected: "${PAGE}"`);
    expect(r.stdout).toContain(`received: "${PAGE}/"`);
    expect(r.stdout).toContain("fix:");
  });

  test("--stack prints the whole recipe for that server, filled with the request's origin", async () => {
    const r = await runCli(["analyze", "test/fixtures/devtools/chrome-devtools.har", "--stack", "nginx"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fix: +nginx: /);
    expect(r.stdout).toContain("add_header Access-Control-Allow-Origin");
    expect(r.stdout).toMatch(/always/);
    expect((await runCli(["analyze", "x.har", "--stack", "cobol"])).stderr).toMatch(/--stack takes one of/);
  });

  test("a clean log exits 0", async () => {
    const file = write(
      "ok.har",
      har([harEntry("http://localhost:4000/api", "GET", { Origin: PAGE }, 200, { "Access-Control-Allow-Origin": "*" })]),
    );
    const r = await runCli(["analyze", file]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No CORS problems found.");
  });

  test("reads standard input with -", async () => {
    const r = await runCli(["analyze", "-", "--json"], { stdin: fs.readFileSync(MATRIX) });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary.entries).toBeGreaterThan(250);
  }, 60_000);

  test.each([
    [["analyze"], /which HAR file/],
    [["analyze", "a.har", "b.har"], /one file at a time/],
    [["analyze", "x.har", "--frob"], /unknown option --frob/],
    [["analyze", "x.har", "--browser", "safari"], /--browser takes chrome or firefox/],
    [["nonsense"], /unknown command/],
  ])("bad usage %j: exit 2 with one line", async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  // A Firefox file read with Chrome's behaviour (the default, contracts §3) says how to get Firefox's; the JSON
  // output is unchanged. A file of 8 MB or more is read on the worker thread, which hands the creator back.
  const firefoxFile = path.resolve("test/fixtures/devtools/firefox-failures.har");
  const chromeFile = path.resolve("test/fixtures/devtools/chrome-devtools.har");
  const bigFirefoxFile = () => {
    const doc = JSON.parse(fs.readFileSync(firefoxFile, "utf8"));
    doc.log.entries[0].response.content.text = "x".repeat(9 << 20);
    return write("big-firefox.har", JSON.stringify(doc));
  };
  test.each([
    ["a Firefox file, no --browser", true, () => firefoxFile, []],
    ["a Firefox file of 9 MB (worker thread), no --browser", true, bigFirefoxFile, []],
    ["a Firefox file, --browser chrome", false, () => firefoxFile, ["--browser", "chrome"]],
    ["a Firefox file, --browser firefox", false, () => firefoxFile, ["--browser", "firefox"]],
    ["a Chrome file", false, () => chromeFile, []],
  ] as const)(
    "%s: the Firefox hint shown: %s",
    async (_name, hint, file, args) => {
      const r = await runCli(["analyze", file(), ...args]);
      expect(r.stderr).toBe("");
      expect(r.stdout.includes("Saved by Firefox")).toBe(hint);
      const json = await runCli(["analyze", file(), "--json", ...args]);
      expect(json.stdout).not.toContain("Saved by Firefox");
    },
    60_000,
  );

  test("--help and --version", async () => {
    expect((await runCli(["--help"])).stdout).toContain("cors-doctor analyze");
    expect((await runCli(["analyze", "--help"])).code).toBe(0);
    expect((await runCli(["--version"])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("analyze: hostile files give one clear line and exit 2", () => {
  const cases: Array<[string, () => string | Buffer, RegExp]> = [
    ["not JSON", () => "hello world", /analyze: .*: /],
    [
      "truncated JSON",
      () => har([harEntry("http://localhost:4000/api", "GET", { Origin: PAGE }, 200, {})]).slice(0, 120),
      /truncated|end/i,
    ],
    ["wrong types", () => JSON.stringify({ log: { entries: 5 } }), /entries/],
    ["no log", () => JSON.stringify({ entries: [] }), /log/],
    ["an entry with a mistyped request", () => JSON.stringify({ log: { entries: [{ request: "GET /", response: {} }] } }), /entries\[0\]/],
    ["UTF-16", () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(har([]), "utf16le")]), /UTF-16/i],
    ["binary", () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), /binary|not JSON|invalid/i],
    ["deep nesting", () => "[".repeat(200_000), /nest|deep/i],
  ];
  test.each(cases)("%s", async (_name, content, message) => {
    const r = await runCli(["analyze", write(`hostile-${_name.replace(/\W/g, "-")}`, content())]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.(js|cjs|ts):\d+/); // no stack trace
  });

  test("a BOM in front of a valid file is fine", async () => {
    const file = write(
      "bom.har",
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(har([harEntry("http://localhost:4000/api", "GET", { Origin: PAGE }, 200, { "Access-Control-Allow-Origin": "*" })])),
      ]),
    );
    const r = await runCli(["analyze", file]);
    expect(r.code).toBe(0);
  });

  test("a 2 GB file of zeros is refused at once", async () => {
    const file = path.join(dir, "huge.bin");
    const fd = fs.openSync(file, "w");
    fs.ftruncateSync(fd, 2 * 1024 ** 3);
    fs.closeSync(fd);
    const started = Date.now();
    const r = await runCli(["analyze", file], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(30_000);
    fs.rmSync(file);
  }, 40_000);

  test("a HAR with a million entries: diagnosed in bounded memory", async () => {
    const file = path.join(dir, "million.har");
    const fd = fs.openSync(file, "w");
    fs.writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"WebInspector","version":"1"},"entries":[');
    const one = (i: number) =>
      `{"request":{"method":"GET","url":"http://localhost:4000/r${i % 97}","headers":[{"name":"Origin","value":"${PAGE}"}]},"response":{"status":200,"headers":[{"name":"Access-Control-Allow-Origin","value":"${i % 10 === 0 ? "" : "*"}"}]${i % 10 === 0 ? ',"_error":"net::ERR_FAILED"' : ""}}}`;
    const batch: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      batch.push(one(i));
      if (batch.length === 10_000) {
        fs.writeSync(fd, (i >= 10_000 ? "," : "") + batch.join(","));
        batch.length = 0;
      }
    }
    fs.writeSync(fd, "]}}");
    fs.closeSync(fd);
    const outFile = path.join(dir, "million.json");
    const r = await runCli(["analyze", file, "--json"], { timeoutMs: 240_000, stdoutFile: outFile });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const size = fs.statSync(outFile).size;
    const tail = Buffer.alloc(4096);
    const fdOut = fs.openSync(outFile, "r");
    fs.readSync(fdOut, tail, 0, 4096, size - 4096);
    fs.closeSync(fdOut);
    const text = tail.toString("utf8");
    const summary = JSON.parse(text.slice(text.lastIndexOf('"summary":') + 10, text.lastIndexOf("}")));
    expect(summary.entries).toBe(1_000_000);
    expect(summary.blocked).toBe(100_000);
    // stdout is collected by the test, not the CLI: the CLI itself must stay small.
    expect(r.peakMiB).toBeGreaterThan(0);
    expect(r.peakMiB).toBeLessThan(300);
    fs.rmSync(file);
    fs.rmSync(outFile);
  }, 300_000);
});

describe("analyze: secrets stay out of the output", () => {
  const CANARY = "canary-9f2c";
  const file = () =>
    write(
      "secrets.har",
      har([
        harEntry(
          `http://localhost:4000/api?access_token=${CANARY}-q&page=2`,
          "GET",
          {
            Origin: PAGE,
            Cookie: `session=${CANARY}-cookie`,
            Authorization: `Bearer ${CANARY}-auth`,
            "Proxy-Authorization": `Basic ${CANARY}-proxy`,
            "X-API-Key": `${CANARY}-key`,
          },
          200,
          { "Set-Cookie": `sid=${CANARY}-set`, "Access-Control-Allow-Origin": "*" },
        ),
      ]),
    );

  test.each([[[]], [["--json"]]])("by default (%j)", async (flags) => {
    const r = await runCli(["analyze", file(), ...(flags as string[])]);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  test("--include-secrets shows the URL as it was", async () => {
    const r = await runCli(["analyze", file(), "--json", "--include-secrets"]);
    expect(r.stdout).toContain(`${CANARY}-q`);
  });
});

describe("analyze: an exported report gives the diagnosis the extension showed (contracts §4)", () => {
  test("every entry's verdict and blocking finding match the report's own _cors", async () => {
    const { buildHarReport } = await import("../../src/core/har/write");
    const { diagnoseLog } = await import("../../src/core/diagnose");
    const { exchange, response } = await import("../unit/build-exchange");
    const ok = { "Access-Control-Allow-Origin": "http://127.0.0.1:3000" };
    const exchanges = [
      exchange({ response: response(200, ok), outcome: "completed" }),
      exchange({ url: "http://localhost:4000/b", response: response(200), outcome: "failed" }),
      exchange({
        url: "http://localhost:4000/c",
        method: "PUT",
        headers: { "X-Foo": "1" },
        preflight: response(204, { ...ok, "Access-Control-Allow-Methods": "PUT" }),
        outcome: "failed",
      }),
      exchange({
        url: "http://localhost:4000/d",
        headers: { Cookie: "a=1" },
        response: response(200, { "Access-Control-Allow-Origin": "*" }),
        outcome: "failed",
      }),
      exchange({
        url: "http://localhost:4000/e",
        response: response(302, { ...ok, Location: "http://127.0.0.1:4001/x" }),
        next: [{ url: "http://127.0.0.1:4001/x", origin: "null", response: response(200, ok) }],
        outcome: "failed",
      }),
      exchange({ url: "http://localhost:4000/f", method: "PUT", response: response(200, ok), outcome: "completed" }),
    ];
    const diagnoses = diagnoseLog(exchanges);
    const report = buildHarReport(
      exchanges.map((e, i) => ({ exchange: e, diagnosis: diagnoses[i]! })),
      { version: "0.0.0" },
    );
    const r = await runCli(["analyze", write("report.har", JSON.stringify(report)), "--json"]);
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    const shown = (
      report.log.entries as Array<{ _cors: { role: string; verdict: string; blockedBy: { id: string } | null; pairedWith: number | null } }>
    ).map((e) => e._cors);
    expect(out.entries.map((e: any) => [e.role, e.verdict, e.blockedBy?.id ?? null, e.pairedWith])).toEqual(
      shown.map((c) => [c.role, c.verdict, c.blockedBy?.id ?? null, c.pairedWith]),
    );
    expect(out.summary.blocked).toBeGreaterThanOrEqual(4);
  });
});
