// Builds the extension for Chrome (dist/chrome) and Firefox (dist/firefox), and the CLI (dist/cli).
// One manifest.json serves both browsers; each build keeps only the keys its browser reads, so that
// Chrome shows no "unrecognised key" warning and `web-ext lint` reports nothing for Firefox.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));

/** Extension entry points: source file → bundle name. */
const extensionEntries = {
  background: "src/background/index.ts",
  devtools: "src/devtools/index.ts",
  panel: "src/panel/index.tsx",
  // HAR import runs off the panel's thread (src/panel/import-client.ts starts it as `new Worker("import-worker.js")`).
  "import-worker": "src/panel/import-worker.ts",
  popup: "src/popup/index.tsx",
  "page-world": "src/content/page-world.ts",
  relay: "src/content/relay.ts",
};

/**
 * CORS Doctor renders every server-controlled string as text. Preact still ships the one HTML sink of
 * its API (dangerouslySetInnerHTML → element.innerHTML); we cut it out of the bundle, so even a future
 * mistake cannot turn a header value into markup. (It is also what AMO's linter flags.)
 */
const preactWithoutHtmlSink = {
  name: "preact-without-html-sink",
  setup(b) {
    b.onLoad({ filter: /[\\/]preact[\\/]dist[\\/]preact\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const sink = "(t.innerHTML=h.__html)";
      if (!source.includes(sink)) throw new Error("preact-without-html-sink: Preact's innerHTML assignment not found (Preact changed?)");
      const patched = source.replace(
        sink,
        '(()=>{throw new Error("CORS Doctor renders text only: dangerouslySetInnerHTML is disabled")})()',
      );
      return { contents: patched, loader: "js" };
    });
  },
};

export function manifestFor(browser) {
  const m = structuredClone(manifest);
  m.version = pkg.version;
  if (browser === "chrome") {
    delete m.browser_specific_settings;
    m.background = { service_worker: m.background.service_worker };
  } else {
    m.background = { scripts: m.background.scripts };
    // Precise mode is Chromium's (chrome.debugger; src/background/precise.ts): Firefox has no such permission.
    delete m.optional_permissions;
    // Firefox has no split mode and installs a "split" extension as "not_allowed" (no private windows at all):
    // it keeps the default, spanning, and src/background/private.ts keeps private tabs in memory only.
    delete m.incognito;
  }
  return m;
}

async function buildExtension(browser) {
  const out = join(root, "dist", browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, "extension"), out, { recursive: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifestFor(browser), null, 2) + "\n");
  const entryPoints = Object.fromEntries(Object.entries(extensionEntries).filter(([, file]) => existsSync(join(root, file))));
  await build({
    entryPoints,
    outdir: out,
    bundle: true,
    format: "iife",
    target: browser === "chrome" ? "chrome120" : "firefox128",
    jsx: "automatic",
    jsxImportSource: "preact",
    legalComments: "none",
    minify: false,
    sourcemap: false,
    plugins: [preactWithoutHtmlSink],
    logLevel: "warning",
    // __TEST__ stays false in every shipped build: test-only hooks are compiled out.
    define: { __BROWSER__: JSON.stringify(browser), __VERSION__: JSON.stringify(pkg.version), __TEST__: "false" },
  });
}

async function buildCli() {
  const outfile = join(root, pkg.bin["cors-doctor"]);
  await build({
    entryPoints: [join(root, "src/cli/main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    banner: { js: "#!/usr/bin/env node" },
    legalComments: "none",
    logLevel: "warning",
    define: { __VERSION__: JSON.stringify(pkg.version), __BROWSER__: JSON.stringify("node") },
  });
  chmodSync(outfile, 0o755);
}

const only = process.argv[2];
if (!only || only === "chrome") await buildExtension("chrome");
if (!only || only === "firefox") await buildExtension("firefox");
if (!only || only === "cli") await buildCli();
