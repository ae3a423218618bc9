// Each language's string literal reads back as the exact value, whatever the value holds: checked by
// the languages' own parsers where they run here (Python, JavaScript, Go) and by a decoder that follows
// the language's lexical rules for Java and C#.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  apacheHeaderValue,
  caddyString,
  csString,
  goString,
  javaString,
  jsString,
  nginxString,
  pyString,
} from "../../src/core/fixes/literals";

const NASTY = [
  "plain",
  'quote " and \\ backslash',
  "new\nline\r\n and \t tab",
  "nul \u0000 and bell \u0007 and del \u007f",
  "unicode é ü 漢字 and astral 😀",
  "line separators \u2028 \u2029",
  "java trap \\u0022 \\u000a",
  "${template} `tick` 'single' %{fmt}e {placeholder} $var #comment ; }",
  "\ud800 lone surrogate",
];

describe("string literals", () => {
  it("JavaScript: reads back exactly (any string)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(new Function(`return ${jsString(s)};`)()).toBe(s);
      }),
      { numRuns: 300 },
    );
    for (const s of NASTY) expect(new Function(`return ${jsString(s)};`)()).toBe(s);
  });

  // Without the interpreter or compiler these skip, and their titles say what to install.
  it.skipIf(!fs.existsSync("/usr/bin/python3"))("Python: reads back exactly (ast.literal_eval) (needs python3)", () => {
    const samples = [
      ...NASTY.filter((s) => !/[\ud800-\udfff]/.test(s.replace(/\ud83d\ude00/g, ""))),
      ...fc.sample(fc.string({ unit: "grapheme" }), 100),
    ];
    const literals = samples.map(pyString);
    const out = execFileSync(
      "/usr/bin/python3",
      ["-c", "import ast,json,sys\nprint(json.dumps([ast.literal_eval(l) for l in json.load(sys.stdin)]))"],
      {
        input: JSON.stringify(literals),
        timeout: 15_000,
      },
    );
    expect(JSON.parse(out.toString())).toEqual(samples);
  });

  it.skipIf(!fs.existsSync("/usr/bin/go"))("Go: reads back exactly (compiled by go) (needs golang-go)", () => {
    const samples = NASTY.filter((s) => !s.includes("lone surrogate"));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cors-fix-literals-"));
    try {
      fs.writeFileSync(
        path.join(dir, "main.go"),
        `package main\n\nimport (\n\t"encoding/json"\n\t"os"\n)\n\nfunc main() {\n\tjson.NewEncoder(os.Stdout).Encode([]string{${samples.map(goString).join(", ")}})\n}\n`,
      );
      const out = execFileSync("/usr/bin/go", ["run", "main.go"], {
        cwd: dir,
        timeout: 60_000,
        env: { ...process.env, GO111MODULE: "off", CGO_ENABLED: "0" },
      });
      expect(JSON.parse(out.toString())).toEqual(samples);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Java lexing: \\uXXXX is translated before anything else (JLS 3.3), then the escapes (JLS 3.10.7). */
  function readJava(literal: string): string {
    const unicode = literal.replace(
      /(?<!\\)((?:\\\\)*)\\u+([0-9a-fA-F]{4})/g,
      (_m, pre: string, hex: string) => pre + String.fromCharCode(parseInt(hex, 16)),
    );
    expect(unicode.startsWith('"') && unicode.endsWith('"')).toBe(true);
    const body = unicode.slice(1, -1);
    expect(body).not.toMatch(/(?<!\\)(?:\\\\)*"/); // an unescaped quote would end the string early
    expect(body).not.toMatch(/[\n\r]/);
    return body.replace(/\\([0-3][0-7]{2}|[0-7]{1,2}|[btnfr"'\\])/g, (_m, e: string) =>
      /^[0-7]/.test(e)
        ? String.fromCharCode(parseInt(e, 8))
        : ({ b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "'": "'", "\\": "\\" } as Record<string, string>)[e],
    );
  }

  /** C# regular string literal: simple escapes and \\uXXXX only. */
  function readCs(literal: string): string {
    const body = literal.slice(1, -1);
    expect(body).not.toMatch(/(?<!\\)(?:\\\\)*"/);
    expect(body).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
    return body.replace(/\\(u[0-9a-fA-F]{4}|[0abfnrtv"'\\])/g, (_m, e: string) =>
      e[0] === "u"
        ? String.fromCharCode(parseInt(e.slice(1), 16))
        : (
            { 0: "\0", a: "\u0007", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "'": "'", "\\": "\\" } as Record<
              string,
              string
            >
          )[e],
    );
  }

  it.each(NASTY)("Java and C#: %j reads back exactly", (s) => {
    expect(readJava(javaString(s))).toBe(s);
    expect(readCs(csString(s))).toBe(s);
  });

  it("Java: never emits a \\u escape for a character that is Java syntax", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(javaString(s)).not.toMatch(/\\u00(22|5[cC]|0[aAdD])/);
        expect(readJava(javaString(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it("config files: nothing that starts a new directive, variable or placeholder survives", () => {
    for (const s of NASTY) {
      const nginx = nginxString(s);
      expect(nginx).not.toMatch(/[\n\r$]/);
      expect(nginx.slice(1, -1)).not.toMatch(/(?<!\\)(?:\\\\)*"/);
      const apache = apacheHeaderValue(s);
      expect(apache).not.toMatch(/[\n\r]/);
      expect(apache.slice(1, -1).replace(/%%/g, "")).not.toContain("%");
      const caddy = caddyString(s);
      expect(caddy).not.toMatch(/[\n\r]/);
      expect(caddy.slice(1, -1)).not.toMatch(/(?<!\\)[{}"]/);
    }
  });
});
