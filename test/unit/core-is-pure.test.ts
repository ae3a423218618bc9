// src/core serves the background worker, the panel and the Node CLI alike: no browser, DOM or Node APIs.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";

function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []));
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ["chrome.* API", /\bchrome\.[a-z]/],
  ["browser.* API", /\bbrowser\.(runtime|tabs|webRequest|storage|devtools|action|permissions)\b/],
  ["webextension-polyfill", /webextension-polyfill/],
  ["DOM", /\b(document|window|navigator|localStorage)\.[a-zA-Z]/],
  ["Node module", /from\s+["'](node:|fs["']|path["']|http["']|https["']|child_process["'])/],
  ["Node global", /\b(process\.(env|argv|exit)|Buffer\.|require\()/],
];

test.each(sources("src/core"))("%s uses no browser, DOM or Node API", (file) => {
  const text = fs
    .readFileSync(file, "utf8")
    .replace(/\/\/.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, "");
  for (const [what, pattern] of FORBIDDEN) expect(pattern.test(text), `${what} in ${file}`).toBe(false);
});
