// Table-driven checks of the recipes over finding ids × stacks: every stack answers every id, recipes
// are filled with the request's values, never reflect arbitrary origins, keep Max-Age under the caps,
// and hostile request values cannot break out of a snippet. (Proof on real servers: proof-*.test.ts.)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { ADVICE, BLOCKING_IDS, LINT_IDS } from "../../src/core/fixes/advice";
import { fixesFor, STACKS, type FixContext } from "../../src/core/fixes/index";
import { MAX_AGE, PLACEHOLDER_ORIGIN } from "../../src/core/fixes/policy";
import type { Fix } from "../../src/core/model";

const SERVER_STACKS = STACKS.map((s) => s.stack);
const ORIGIN = "http://127.0.0.1:5173";

const base: FixContext = {
  findingId: "acao-missing",
  origin: ORIGIN,
  url: "https://api.example.com/v1/items?page=2",
  method: "PUT",
  requestHeaders: ["content-type", "x-api-key"],
  credentials: true,
};

/** The code without its comments (which name the wrong fixes on purpose, to warn against them). */
function withoutComments(code: string): string {
  return code
    .split("\n")
    .map((line) => line.replace(/(^|\s)(#|\/\/)(\s.*)?$/, ""))
    .join("\n");
}

/** Apache names origins as escaped regexes (`^(http:\/\/127\.0\.0\.1:5173)$`): compare unescaped. */
function names(stack: string, code: string, origin: string): boolean {
  return (stack === "apache" ? code.replace(/\\/g, "") : code).includes(origin);
}

function byStack(fixes: Fix[]): Map<string, Fix> {
  return new Map(fixes.map((f) => [f.stack, f]));
}

/** How each stack spells "credentials allowed" (and nothing else in the code spells it). */
const CREDENTIALS_MARK: Record<string, RegExp> = {
  "flask-cors": /supports_credentials=True/,
  flask: /"Access-Control-Allow-Credentials"\] = "true"/,
  django: /CORS_ALLOW_CREDENTIALS = True/,
  fastapi: /allow_credentials=True/,
  express: /credentials: true/,
  fastify: /credentials: true/,
  hono: /credentials: true/,
  nginx: /Access-Control-Allow-Credentials "true"/,
  apache: /Access-Control-Allow-Credentials "true"/,
  caddy: /Access-Control-Allow-Credentials "true"/,
  go: /AllowCredentials: true/,
  spring: /setAllowCredentials\(true\)/,
  aspnet: /\.AllowCredentials\(\)/,
  http: /Access-Control-Allow-Credentials: true/,
};

/** Ways each ecosystem spells "any origin" — none may appear in a recipe. */
const REFLECTION = [
  /origin:\s*true/,
  /origin:\s*"\*"/,
  /origins=\["\*"\]|origins="\*"/,
  /allow_origins=\["\*"\]/,
  /allow_origin_regex/,
  /CORS_ALLOW_ALL_ORIGINS\s*=\s*True/,
  /CORS_ORIGIN_ALLOW_ALL/,
  /AllowAnyOrigin\(\)/,
  /SetIsOriginAllowed\(/,
  /AllowedOrigins:\s*\[\]string\{"\*"\}/,
  /AllowOriginFunc:/,
  /setAllowedOriginPatterns\(/,
  /add_header\s+Access-Control-Allow-Origin\s+\$http_origin/,
  /Access-Control-Allow-Origin "%\{(HTTP_ORIGIN|Origin)\}[ei]"/,
  /Access-Control-Allow-Origin "\{http\.request\.header\.Origin\}"/,
  /Access-Control-Allow-Origin:?\s+"?\*"?\s*$/m,
];

describe("fixesFor: every stack, every finding id", () => {
  const ids = [...BLOCKING_IDS, ...LINT_IDS];

  it("covers the ids the brief lists", () => {
    for (const id of [
      "acao-missing",
      "acao-multiple-values",
      "acao-invalid-value",
      "acao-mismatch",
      "acao-mismatch-trailing-slash",
      "acao-mismatch-scheme",
      "acao-mismatch-port",
      "acao-mismatch-case",
      "acao-mismatch-null-expected",
      "acao-mismatch-null-sent",
      "acao-mismatch-other-valid-origin",
      "acao-mismatch-wildcard-pattern",
      "acao-mismatch-localhost-vs-127",
      "acao-wildcard-with-credentials",
      "acac-not-true",
      "preflight-acao-missing",
      "preflight-acao-multiple-values",
      "preflight-acao-invalid-value",
      "preflight-acao-mismatch",
      "preflight-acao-wildcard-with-credentials",
      "preflight-acac-not-true",
      "preflight-status-not-ok",
      "preflight-redirect",
      "preflight-allow-methods-invalid",
      "preflight-allow-headers-invalid",
      "preflight-method-not-allowed",
      "preflight-header-not-allowed",
      "preflight-authorization-not-covered-by-wildcard",
      "redirect-location-has-credentials",
      "request-did-not-succeed",
      "preflight-request-did-not-succeed",
      "cors-headers-missing-on-error-responses",
      "preflight-rejected-by-auth",
      "redirect-on-cors-endpoint",
      "duplicate-cors-headers",
    ])
      expect(BLOCKING_IDS).toContain(id);
    expect(LINT_IDS).toHaveLength(11);
    for (const id of LINT_IDS) expect(ADVICE[id]).toBeDefined();
  });

  it.each(ids)("%s: one filled, titled, annotated recipe per stack", (id) => {
    const fixes = byStack(fixesFor({ ...base, findingId: id }));
    // The http-origin-on-https lint's fix is the https origin of the page.
    const origin = id === "acao-http-origin-on-https" ? ORIGIN.replace("http:", "https:") : ORIGIN;
    for (const stack of SERVER_STACKS) {
      const fix = fixes.get(stack);
      expect(fix, `${stack} recipe for ${id}`).toBeDefined();
      expect(fix!.title).toContain(ADVICE[id].fixes);
      expect(fix!.notes?.length ?? 0).toBeGreaterThan(20);
      expect(fix!.notes).toMatch(/\bDo not\b/);
      expect(names(stack, fix!.code, origin), stack).toBe(true);
      expect(fix!.code).toMatch(/\bPUT\b/);
      expect(fix!.code).toContain("x-api-key");
      expect(fix!.code).toContain("content-type");
      expect(fix!.code).toMatch(CREDENTIALS_MARK[stack]);
      expect(fix!.code).toContain(String(MAX_AGE));
      for (const pattern of REFLECTION) expect(withoutComments(fix!.code), `${stack}/${id} ${pattern}`).not.toMatch(pattern);
    }
  });
});

describe("fixesFor: the request's values decide the policy", () => {
  const rows: Array<{ name: string; context: Partial<FixContext>; check: (fixes: Map<string, Fix>) => void }> = [
    {
      name: "a request without credentials gets no Allow-Credentials anywhere",
      context: { credentials: false },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) {
          expect(fixes.get(stack)!.code, stack).not.toMatch(CREDENTIALS_MARK[stack]);
          expect(fixes.get(stack)!.code, stack).not.toMatch(/Allow-Credentials["']?\]? ?[:=]? ?"?true/);
        }
      },
    },
    {
      name: "credential findings imply credentials even when the context lost them",
      context: { credentials: false, findingId: "acac-not-true" },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) expect(fixes.get(stack)!.code, stack).toMatch(CREDENTIALS_MARK[stack]);
      },
    },
    {
      name: "`patch` is listed as sent, and the client is told to send PATCH",
      context: { method: "patch", findingId: "preflight-method-not-allowed" },
      check: (fixes) => {
        expect(fixes.get("express")!.code).toContain('"patch"');
        expect(fixes.get("nginx")!.code).toContain("PATCH, patch");
        expect(fixes.get("http")!.code).toMatch(/Access-Control-Allow-Methods: .*\bpatch\b/);
        // Libraries that upper-case methods get only PATCH; the client fix carries the rest.
        expect(fixes.get("go")!.code).not.toContain('"patch"');
        expect(fixes.get("client")!.code).toContain('method: "PATCH"');
        expect(fixes.get("go")!.notes).toMatch(/PATCH/);
      },
    },
    {
      name: "Authorization is listed explicitly when a wildcard did not cover it",
      context: { requestHeaders: [], findingId: "preflight-authorization-not-covered-by-wildcard", credentials: false },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) expect(fixes.get(stack)!.code, stack).toContain("authorization");
      },
    },
    {
      name: "Origin: null after a redirect allows the page's real origin (from ACAO), never null",
      context: { origin: "null", actual: "https://app.example.org", expected: "null", findingId: "acao-mismatch-null-expected" },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) {
          expect(names(stack, fixes.get(stack)!.code, "https://app.example.org"), stack).toBe(true);
          expect(fixes.get(stack)!.code, stack).not.toMatch(/["\s]null["\s]/);
        }
        expect(fixes.get("client")!.title).toMatch(/final URL/);
      },
    },
    {
      name: "the null-origin lint allows only the page's origin",
      context: { findingId: "acao-null-trusted" },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) expect(fixes.get(stack)!.code, stack).not.toMatch(/"null"/);
      },
    },
    {
      name: "an http origin on an https API is upgraded to https by the lint's fix",
      context: { findingId: "acao-http-origin-on-https", origin: "http://app.example.com" },
      check: (fixes) => {
        expect(fixes.get("express")!.code).toContain('"https://app.example.com"');
        expect(fixes.get("express")!.code).not.toContain('"http://app.example.com"');
      },
    },
    {
      name: "an unknown id gets the generic configuration for every stack",
      context: { findingId: "some-future-finding" },
      check: (fixes) => {
        for (const stack of SERVER_STACKS) expect(names(stack, fixes.get(stack)!.code, ORIGIN), stack).toBe(true);
        expect(fixes.has("client")).toBe(false);
      },
    },
    {
      name: "client-side causes get a client fix filled with the URL and method",
      context: { findingId: "acao-wildcard-with-credentials" },
      check: (fixes) => {
        const client = fixes.get("client")!;
        expect(client.code).toContain('"https://api.example.com/v1/items"');
        // The query may carry a token and is not what the fix is about.
        expect(client.code).not.toContain("page=2");
        expect(client.code).toContain('method: "PUT"');
        expect(client.code).toContain('credentials: "same-origin"');
        expect(client.title).toMatch(/^Client:/);
      },
    },
    {
      name: "a header the page need not send gets a client fix naming it",
      context: { findingId: "preflight-header-not-allowed" },
      check: (fixes) => expect(fixes.get("client")!.code).toContain("x-api-key"),
    },
  ];
  it.each(rows)("$name", ({ context, check }) => check(byStack(fixesFor({ ...base, ...context }))));

  it("answers preflights before auth and sends headers on errors, in each stack's own terms", () => {
    const fixes = byStack(fixesFor({ ...base, findingId: "preflight-rejected-by-auth" }));
    expect(fixes.get("nginx")!.code).toMatch(/always;/);
    expect(fixes.get("nginx")!.code).not.toMatch(/add_header [^\n]*[^s];\n/);
    expect(fixes.get("apache")!.code).toMatch(/Header always set/);
    expect(fixes.get("apache")!.code).toMatch(/\[R=204,L\]/);
    expect(fixes.get("flask")!.code).toMatch(/def answer_cors_preflight/);
    expect(fixes.get("flask-cors")!.code).toMatch(/def answer_cors_preflight/);
    expect(fixes.get("django")!.code).toMatch(/MIDDLEWARE\.insert\(0, "corsheaders/);
    expect(fixes.get("fastapi")!.code).toMatch(/except Exception/);
    expect(fixes.get("spring")!.code).toMatch(/http\.cors\(/);
    expect(fixes.get("aspnet")!.code.indexOf("UseCors(")).toBeLessThan(fixes.get("aspnet")!.code.indexOf("UseAuthentication"));
    for (const stack of ["spring", "aspnet"]) expect(fixes.get(stack)!.code).toMatch(/Documentation-checked: https:\/\//);
    for (const stack of SERVER_STACKS) expect(fixes.get(stack)!.notes, stack).toBeTruthy();
  });

  it("keeps Access-Control-Max-Age within every browser's cap", () => {
    expect(MAX_AGE).toBeLessThanOrEqual(600); // WebKit 600 s < Chrome 7200 s < Firefox 86400 s
    for (const fix of fixesFor({ ...base, findingId: "max-age-exceeds-cap" })) {
      for (const m of fix.code.matchAll(/max[-_]?age\D{0,40}?(\d+)/gi)) expect(Number(m[1]), fix.stack).toBeLessThanOrEqual(7200);
    }
  });
});

describe("hostile request values stay inside their literals", () => {
  const hostile: FixContext = {
    findingId: "acao-wildcard-with-credentials",
    origin: 'https://a.com"); import os; os.system("id") #\n',
    url: "https://api.example.com/x\"';--\n/*`${process.exit()}`",
    method: 'PUT"; rm -rf /',
    requestHeaders: ['x-a"b', "x-ok", "x-evil\r\nset-cookie: a=b", "x-$dollar", "x-{placeholder}", "x'q`t"],
    credentials: true,
  };

  it("drops what is not an origin or a token, and says so", () => {
    for (const fix of fixesFor(hostile)) {
      expect(fix.code, fix.stack).not.toContain("os.system");
      expect(fix.code, fix.stack).not.toContain("rm -rf");
      expect(fix.code, fix.stack).not.toContain("set-cookie");
      expect(fix.code, fix.stack).not.toMatch(/\r/);
      expect(fix.code, fix.stack).not.toContain("x-$dollar");
      expect(fix.code, fix.stack).not.toContain("{placeholder}");
      if (fix.stack !== "client") {
        expect(names(fix.stack, fix.code, PLACEHOLDER_ORIGIN), fix.stack).toBe(true);
        expect(fix.code, fix.stack).toContain("x-ok");
        expect(fix.notes, fix.stack).toMatch(/placeholder/);
      }
    }
  });

  it("escapes a quote-carrying header name per language", () => {
    const fixes = byStack(fixesFor(hostile));
    expect(fixes.get("express")!.code).toContain(`"x'q\`t"`);
    expect(fixes.get("flask-cors")!.code).toContain(`"x'q\`t"`);
    // The client's URL is one JS string literal that reads back as the URL's origin and path, as the
    // URL parser serialises them (so quotes and newlines arrive percent-encoded).
    const literal = /fetch\(("(?:[^"\\]|\\.)*")/.exec(fixes.get("client")!.code)?.[1];
    const parsed = new URL(hostile.url);
    expect(JSON.parse(literal!)).toBe(parsed.origin + parsed.pathname);
  });

  // Without Debian's python3 this skips, and its title says what to install.
  it.skipIf(!fs.existsSync("/usr/bin/python3"))("Python recipes still parse (compile()) with hostile values (needs python3)", () => {
    const sources = fixesFor(hostile)
      .filter((f) => ["flask-cors", "flask", "django", "fastapi"].includes(f.stack))
      .map((f) => f.code);
    const out = execFileSync(
      "/usr/bin/python3",
      ["-c", "import json,sys\nfor s in json.load(sys.stdin): compile(s, 'recipe', 'exec')\nprint('ok')"],
      {
        input: JSON.stringify(sources),
        timeout: 15_000,
      },
    );
    expect(out.toString().trim()).toBe("ok");
  });

  it("JavaScript recipes still parse as ES modules with hostile values", () => {
    for (const fix of fixesFor(hostile).filter((f) => ["express", "fastify", "hono", "client"].includes(f.stack))) {
      expect(() => transformSync(fix.code, { loader: "ts", format: "esm" }), fix.stack).not.toThrow();
    }
  });

  it("the Go recipe still parses (gofmt -e) with hostile values", () => {
    const gofmt = ["/usr/bin/gofmt", "/usr/lib/go/bin/gofmt"].find((p) => fs.existsSync(p));
    if (!gofmt) return;
    const code = fixesFor(hostile).find((f) => f.stack === "go")!.code;
    expect(() => execFileSync(gofmt, ["-e"], { input: code, timeout: 15_000, stdio: "pipe" })).not.toThrow();
  });
});
