// Issue 14, "Hostile input": the human CLI output prints no value from outside raw, in any field. A hostile
// value (line breaks that would forge a line, zero-width, bidi-override and isolate characters, a C1 control)
// is planted in one field at a time of a HAR given to `analyze`, and of a server's answer to `probe` (through
// its transport, so that values no HTTP parser would let through are tried too). No line of the output may
// start with the forged text, and no invisible or control character may reach the terminal.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/io";
import { main } from "../../src/cli/main";
import type { Transport, WireResponse } from "../../src/cli/probe/wire";

const FORGED = "FORGED-LINE no CORS problem here";
const HOSTILE = `x\n${FORGED}\r\n${FORGED}\u2028${FORGED}\u200b\u202ehidden\u2066\u2069\ufeff\u00ad\u0085\u001b[2J`;
/** Anything a value must not bring to a terminal (the CLI's own layout is only \n). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

async function run(argv: string[], send?: Transport): Promise<{ code: number; out: string }> {
  let out = "";
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    stdin: () => new PassThrough(),
    color: false,
    env: {},
  };
  if (send) {
    // probe with a transport: runProbe directly (main has no seam for it); UsageError lines as main prints them.
    const { runProbe } = await import("../../src/cli/probe/command");
    const code = await runProbe(argv.slice(1), io, { send }).catch((err: Error) => {
      out += `cors-doctor: ${err.message}\n`;
      return 2;
    });
    return { code, out };
  }
  return { code: await main(argv, io), out };
}

function expectInert(out: string, field: string): void {
  const forged = out.split("\n").filter((line) => line.trimStart().startsWith(FORGED.slice(0, 11)));
  expect(forged, `${field}: a line starts with the forged text`).toEqual([]);
  const raw = RAW.exec(out);
  expect(raw, `${field}: raw U+${raw?.[0].charCodeAt(0).toString(16)} in the output`).toBeNull();
}

const PAGE = "http://127.0.0.1:3000";
const API = "http://localhost:4000";

describe("analyze: a hostile value in any field of a HAR entry", () => {
  type Entry = {
    request: { method: string; url: string; headers: Array<{ name: string; value: string }> };
    response: { status: number; statusText: string; headers: Array<{ name: string; value: string }>; redirectURL: string; _error?: string };
  };
  const base = (): Entry => ({
    request: {
      method: "PUT",
      url: `${API}/api?q=1`,
      headers: [
        { name: "Origin", value: PAGE },
        { name: "X-Custom", value: "1" },
      ],
    },
    response: {
      status: 200,
      statusText: "OK",
      headers: [
        { name: "Access-Control-Allow-Origin", value: "http://other.test" },
        { name: "Vary", value: "Origin" },
      ],
      redirectURL: "",
      _error: "net::ERR_FAILED",
    },
  });
  /** Name, how to plant the value, and whether the human report quotes that field (then it must show it escaped). */
  const FIELDS: Array<[string, (e: Entry) => void, boolean]> = [
    ["URL path", (e) => void (e.request.url = `${API}/${HOSTILE}`), true],
    ["URL query", (e) => void (e.request.url = `${API}/api?q=${HOSTILE}`), true],
    ["URL fragment", (e) => void (e.request.url = `${API}/api#${HOSTILE}`), true],
    ["method", (e) => void (e.request.method = `PU${HOSTILE}`), true],
    ["request header name", (e) => void (e.request.headers[1]!.name = `X-${HOSTILE}`), false],
    ["request header value", (e) => void (e.request.headers[1]!.value = HOSTILE), false],
    ["Origin", (e) => void (e.request.headers[0]!.value = `${PAGE}${HOSTILE}`), true],
    ["Access-Control-Allow-Origin", (e) => void (e.response.headers[0]!.value = `${PAGE}/${HOSTILE}`), true],
    ["response header name", (e) => void (e.response.headers[1]!.name = `X-${HOSTILE}`), false],
    ["response header value", (e) => void (e.response.headers[1]!.value = HOSTILE), false],
    ["status text", (e) => void (e.response.statusText = HOSTILE), false],
    ["error", (e) => void (e.response._error = `net::ERR_${HOSTILE}`), false],
    [
      "redirect Location",
      (e) => {
        e.response.status = 302;
        e.response.headers.push({ name: "Location", value: `${API}/next${HOSTILE}` });
        e.response.redirectURL = `${API}/next${HOSTILE}`;
      },
      false,
    ],
  ];
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-fields-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(FIELDS)("%s", async (field, plant, shown) => {
    const entry = base();
    plant(entry);
    const file = path.join(dir, "hostile.har");
    const har = {
      log: {
        version: "1.2",
        creator: { name: "WebInspector", version: "537.36" },
        pages: [],
        entries: [{ startedDateTime: "2026-11-21T10:00:00.000Z", time: 1, ...entry, cache: {}, timings: { send: 0, wait: 1, receive: 0 } }],
      },
    };
    fs.writeFileSync(file, JSON.stringify(har));
    for (const flags of [[], ["--stack", "express"], ["--include-secrets"]]) {
      const { out } = await run(["analyze", file, ...flags]);
      expect(out).toMatch(/BLOCKED|FAILED|WARNING|No CORS/);
      expectInert(out, `${field} ${flags.join(" ")}`);
      if (shown) expect(out, "the value is shown, escaped").toContain("\\u000a");
    }
  });
});

describe("probe: a hostile value in any field of the server's answer", () => {
  const ORIGIN = "https://app.example.com";
  const answer = (): WireResponse => ({
    status: 200,
    statusText: "OK",
    httpVersion: "1.1",
    headers: [
      { name: "Access-Control-Allow-Origin", value: "http://other.test" },
      { name: "Access-Control-Allow-Methods", value: "PUT" },
      { name: "Access-Control-Allow-Headers", value: "x-custom" },
      { name: "Vary", value: "Origin" },
    ],
  });
  const FIELDS: Array<[string, (r: WireResponse) => void]> = [
    ["Access-Control-Allow-Origin", (r) => void (r.headers[0]!.value = `${ORIGIN}${HOSTILE}`)],
    ["Access-Control-Allow-Methods", (r) => void (r.headers[1]!.value = `PUT${HOSTILE}`)],
    ["Access-Control-Allow-Headers", (r) => void (r.headers[2]!.value = `x-custom${HOSTILE}`)],
    ["header name", (r) => void (r.headers[3]!.name = `X-${HOSTILE}`)],
    ["header value", (r) => void (r.headers[3]!.value = HOSTILE)],
    ["status text", (r) => void (r.statusText = HOSTILE)],
    ["HTTP version", (r) => void (r.httpVersion = `1.1${HOSTILE}`)],
    [
      "redirect Location",
      (r) => {
        r.status = 307;
        r.headers.push({ name: "Location", value: `http://127.0.0.1:9/${HOSTILE}` });
      },
    ],
  ];
  it.each(FIELDS)("%s", async (field, plant) => {
    for (const flags of [[], ["--audit", "--max-requests", "3"], ["--include-secrets"]]) {
      let sent = 0;
      const send: Transport = async () => {
        const r = answer();
        // The first answer is hostile; a followed redirect lands on a plain one.
        if (sent++ === 0 || r.status !== 307) plant(r);
        if (r.status === 307 && sent > 1) r.status = 200;
        return r;
      };
      const { code, out } = await run(
        ["probe", "http://localhost:4000/api", "--origin", ORIGIN, "--method", "PUT", "--header", "X-Custom: 1", ...flags],
        send,
      );
      expect(code, out).not.toBe(2);
      expectInert(out, `${field} ${flags.join(" ")}`);
      // Every field of the answer is shown (the exchange is printed), escaped.
      expect(out, "the value is shown, escaped").toContain("\\u000a");
    }
  });
});
