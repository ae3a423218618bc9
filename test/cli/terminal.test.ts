// Issue 14, "Hostile input": a server's header value must not forge lines or hide text in the terminal.
// The built CLI prints a HAR whose finding quotes a hostile Access-Control-Allow-Origin: a newline that
// would print a fake "No CORS problems found." and zero-width / bidi characters are shown as \uXXXX.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { terminalSafe, printable } from "../../src/cli/style";
import { runCli } from "./run-cli";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-doctor-terminal-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PAGE = "http://127.0.0.1:3000";
function harWith(allowOrigin: string): string {
  const entry = {
    startedDateTime: "2026-11-21T10:00:00.000Z",
    time: 1,
    request: {
      method: "GET",
      url: "http://localhost:4000/api",
      httpVersion: "HTTP/1.1",
      headers: [{ name: "Origin", value: PAGE }],
      cookies: [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: [{ name: "Access-Control-Allow-Origin", value: allowOrigin }],
      cookies: [],
      content: { size: 0, mimeType: "text/plain" },
      redirectURL: "",
      headersSize: -1,
      bodySize: 0,
      _error: "net::ERR_FAILED",
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  };
  return JSON.stringify({ log: { version: "1.2", creator: { name: "WebInspector", version: "537.36" }, pages: [], entries: [entry] } });
}

describe("analyze prints hostile header values inert", () => {
  const FORGED = `${PAGE}/\n\nNo CORS problems found.`;
  const INVISIBLE = `${PAGE}\u200b\u202e\u2066e\r\tvil\u2069\ufeff\u00ad\u0085x`;

  test("a newline in a header value does not forge a line", async () => {
    const file = path.join(dir, "forged.har");
    fs.writeFileSync(file, harWith(FORGED));
    const r = await runCli(["analyze", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("BLOCKED");
    // The forged sentence appears only inside an escaped value, never at the start of a line.
    expect(r.stdout.split("\n").some((line) => line.trimStart().startsWith("No CORS problems found."))).toBe(false);
    expect(r.stdout).toMatch(/\\u000a/);
  });

  test("zero-width, bidi, C1 and carriage-return characters are escaped", async () => {
    const file = path.join(dir, "invisible.har");
    fs.writeFileSync(file, harWith(INVISIBLE));
    for (const args of [[], ["--json"]]) {
      const r = await runCli(["analyze", file, ...args]);
      expect(r.stdout).not.toMatch(/[\u200b\u202e\u2066\u2069\ufeff\u00ad\u0085\r\t]/);
      expect(r.stdout).toMatch(/\\u202e/i);
      // --json stays exact: the escape means the same character to a JSON parser.
      if (args.length) expect(JSON.parse(r.stdout).entries[0].blockedBy.actual).toBe(INVISIBLE);
    }
  });
});

describe("the edge itself", () => {
  const rows: Array<[string, { style: boolean; redraw: boolean }, string]> = [
    ["a\nb", { style: false, redraw: false }, "a\nb"],
    ["a\rb", { style: false, redraw: false }, "a\\u000db"],
    ["a\rb", { style: false, redraw: true }, "a\rb"],
    ["\u001b[31mred\u001b[39m", { style: true, redraw: false }, "\u001b[31mred\u001b[39m"],
    ["\u001b[31mred\u001b[39m", { style: false, redraw: false }, "\\u001b[31mred\\u001b[39m"],
    ["\u001b]8;;http://x\u0007link", { style: true, redraw: false }, "\\u001b]8;;http://x\\u0007link"],
    ["\u001b[2J", { style: true, redraw: false }, "\\u001b[2J"],
    ["x\u200by\u202ez", { style: true, redraw: true }, "x\\u200by\\u202ez"],
  ];
  test.each(rows)("%j %j", (input, options, expected) => expect(terminalSafe(input, options)).toBe(expected));
  test("printable escapes line breaks in values", () => expect(printable("a\nb\tc")).toBe("a\\u000ab\\u0009c"));
});
