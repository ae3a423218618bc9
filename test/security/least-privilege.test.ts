// Least privilege, checked on the built extensions (dist/, made by `npm run build`): only the
// permissions the features need, a strict CSP for extension pages, no remote code, no eval.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { HOST_ORIGINS } from "../../src/shared/permissions";

const BROWSERS = ["chrome", "firefox"] as const;
const manifestOf = (browser: string) => JSON.parse(fs.readFileSync(path.join("dist", browser, "manifest.json"), "utf8"));

describe.each(BROWSERS)("dist/%s", (browser) => {
  const dir = path.join("dist", browser);

  test("asks only for webRequest, storage, scripting (the page observer of armed tabs) and cookies (read for a 401/403); debugger only as an optional permission in Chrome (precise mode, asked when turned on); no blocking", () => {
    const m = manifestOf(browser);
    expect([...m.permissions].sort()).toEqual(["cookies", "scripting", "storage", "webRequest"]);
    expect(m.optional_permissions ?? []).toEqual(browser === "chrome" ? ["debugger"] : []);
    // CORS governs http(s) only: no <all_urls> (file:, ws:, ftp:…), and the popup asks for the same list.
    expect(m.host_permissions).toEqual([...HOST_ORIGINS]);
    expect(m.host_permissions).toEqual(["http://*/*", "https://*/*"]);
    expect(m.content_scripts).toBeUndefined();
    expect(m.externally_connectable).toBeUndefined();
    expect(m.web_accessible_resources).toBeUndefined();
  });

  test("private windows: Chrome splits them into their own instance; Firefox (no split mode) keeps spanning", () => {
    // Firefox installs a "split" extension as "not_allowed"; src/background/private.ts keeps its private tabs in memory.
    expect(manifestOf(browser).incognito).toBe(browser === "chrome" ? "split" : undefined);
  });

  test("extension pages run under a strict CSP", () => {
    const csp: string = manifestOf(browser).content_security_policy.extension_pages;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)|wasm-unsafe-eval|https?:/);
    // Extension pages (panel, popup, the import worker) need no network at all: fetch/XHR/WebSocket refused.
    const directives = new Map(
      csp
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!, values]),
    );
    expect(directives.get("connect-src")).toEqual(["'none'"]);
    expect(directives.get("base-uri")).toEqual(["'none'"]);
    // Workers load from the extension only (worker-src falls back to script-src 'self').
    expect(directives.get("worker-src") ?? directives.get("script-src")).toEqual(["'self'"]);
  });

  test("pages load only their own scripts: no inline script, no remote source", () => {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".html"))) {
      const html = fs.readFileSync(path.join(dir, file), "utf8");
      for (const [, attrs, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(body!.trim(), `${file}: inline script`).toBe("");
        expect(attrs, `${file}: remote script`).not.toMatch(/src=["']?(https?:)?\/\//);
      }
      expect(html, `${file}: inline event handler`).not.toMatch(/\son[a-z]+=/i);
      expect(html, `${file}: remote stylesheet`).not.toMatch(/<link[^>]+href=["']?(https?:)?\/\//);
    }
  });

  test("bundles contain no eval, no new Function, no remote URL to load code from", () => {
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
      const js = fs.readFileSync(path.join(dir, file), "utf8");
      expect(js, `${file}: eval`).not.toMatch(/\beval\s*\(/);
      expect(js, `${file}: new Function`).not.toMatch(/new\s+Function\s*\(/);
      expect(js, `${file}: importScripts`).not.toMatch(/importScripts\s*\(/);
      expect(js, `${file}: dynamic import of a URL`).not.toMatch(/import\s*\(\s*["'`]https?:/);
    }
  });
});

test("the cookie store is only read: no source file writes, removes or watches cookies", () => {
  const files = fs.readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const text = fs.readFileSync(path.join("src", file), "utf8");
    expect(text, file).not.toMatch(/cookies\s*\.\s*(set|remove|onChanged)\b/);
  }
  // The one reader, and what it asks for.
  expect(fs.readFileSync("src/background/cookie-jar.ts", "utf8")).toMatch(/cookies\.getAll\(/);
});
