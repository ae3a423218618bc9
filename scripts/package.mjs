#!/usr/bin/env node
// `npm run package`: store-ready, reproducible zips in artifacts/.
//   cors-doctor-chrome-<version>.zip   dist/chrome, for the Chrome Web Store
//   cors-doctor-firefox-<version>.zip  `web-ext build` of dist/firefox, for addons.mozilla.org
//   cors-doctor-source-<version>.zip   the committed sources (HEAD) + SOURCE-README.md (AMO asks for the source of
//                                      bundled code, with the exact steps to rebuild it)
// Reproducible: entries in byte order of their paths, every timestamp fixed, fixed attributes, deflate at a
// fixed level, so two runs on the same tree give byte-identical zips. Refuses a dirty tree (a zip must be
// rebuildable from a commit) unless --allow-dirty. `web-ext lint` must report 0 errors and 0 warnings.
// Refuses a version CHANGELOG.md lists as released, or one without a section there (its "Version policy").
// Flags: --allow-dirty, --no-build, --out DIR (default artifacts/), --dist DIR (default dist/; for tests),
// --source-ref REF (the commit for the source zip, default HEAD), --skip-lint (tests of the zip format only:
// the result is then not store-ready).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WEB_EXT = join(root, "node_modules/web-ext/bin/web-ext.js");

// ---- a small, deterministic zip writer and reader (no system `zip`) ----

/** 1980-01-01 00:00:00, the earliest DOS date: the same on every machine and in every time zone. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * @param {{ name: string, data: Buffer }[]} files
 * @returns {Buffer}
 */
export function zipFiles(files) {
  const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  /** @type {Buffer[]} */
  const locals = [];
  /** @type {Buffer[]} */
  const centrals = [];
  let offset = 0;
  for (const { name, data } of sorted) {
    const nameBytes = Buffer.from(name, "utf8");
    const compressed = deflateRawSync(data, { level: 9 });
    const stored = compressed.length >= data.length;
    const body = stored ? data : compressed;
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below is read)
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * Reads a zip (stored or deflated entries, no zip64): enough for web-ext's output and for the tests.
 * @param {Buffer} zip
 * @returns {{ name: string, data: Buffer }[]}
 */
export function unzipFiles(zip) {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("not a zip file (no end of central directory)");
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + size);
    if (name.endsWith("/")) continue; // directory entries carry no content
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
  }
  return out;
}

/** @param {string} dir @returns {{ name: string, data: Buffer }[]} */
function filesOf(dir) {
  /** @type {{ name: string, data: Buffer }[]} */
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push({ name: relative(dir, full).split(sep).join("/"), data: readFileSync(full) });
    }
  };
  walk(dir);
  return out;
}

// ---- the version policy (CHANGELOG.md "Version policy") ----

/**
 * Why `version` must not be packaged, or null. A section `## [X] - YYYY-MM-DD` means X is released: its zips
 * exist, and a store rejects the same version twice. `## [X] - Unreleased` is the version being prepared.
 * @param {{ version: string, manifestVersion: string, changelog: string }} facts
 * @returns {string | null}
 */
export function releaseProblem({ version, manifestVersion, changelog }) {
  if (manifestVersion !== version) {
    return `manifest.json says ${manifestVersion} but package.json says ${version}: they must agree (CHANGELOG.md, Version policy)`;
  }
  const heading = changelog.split("\n").find((line) => new RegExp(`^## \\[${version.replace(/[.+]/g, "\\$&")}\\]`).test(line));
  if (!heading) {
    return `CHANGELOG.md has no section for ${version}: add "## [${version}] - Unreleased" with what changed`;
  }
  const date = /\]\s*-\s*(\d{4}-\d{2}-\d{2})\b/.exec(heading);
  if (date) {
    return `${version} is already released (CHANGELOG.md: ${heading.trim()}): bump the version in package.json and manifest.json and add an "Unreleased" section first`;
  }
  return null;
}

// ---- the steps ----

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  return result;
}

/**
 * The committed sources of `commit` (HEAD by default), read from git rather than from the working tree: on a
 * clean tree they are the same, and reading the commit keeps the archive identical while anything else edits
 * the checkout.
 * @param {string} commit
 * @returns {{ name: string, data: Buffer }[]}
 */
function committedFiles(commit) {
  const listed = run("git", ["ls-tree", "-r", "-z", "--full-tree", commit]);
  if (listed.status !== 0) throw new Error(`git ls-tree failed: ${listed.stderr.trim()}`);
  const blobs = listed.stdout
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split("\t");
      const [mode, type, sha] = meta.split(" ");
      return { mode, type, sha, name };
    })
    .filter((b) => b.type === "blob" && b.mode !== "120000"); // no symlinks or submodules
  const batch = spawnSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: blobs.map((b) => b.sha).join("\n") + "\n",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (batch.status !== 0) throw new Error(`git cat-file failed: ${batch.stderr.toString().trim()}`);
  const out = batch.stdout;
  const files = [];
  let at = 0;
  for (const blob of blobs) {
    const headerEnd = out.indexOf(10, at);
    const size = Number(out.toString("latin1", at, headerEnd).split(" ")[2]);
    files.push({ name: blob.name, data: Buffer.from(out.subarray(headerEnd + 1, headerEnd + 1 + size)) });
    at = headerEnd + 1 + size + 1;
  }
  return files;
}

function dirtyFiles() {
  const status = run("git", ["status", "--porcelain", "--untracked-files=normal"]);
  if (status.status !== 0) throw new Error(`git status failed: ${status.stderr.trim()}`);
  return status.stdout.split("\n").filter(Boolean);
}

/** `web-ext lint`: the Firefox build must be clean (0 errors, 0 warnings), as AMO's validator will see it. */
export function lintFirefox(dir) {
  const result = run(process.execPath, [WEB_EXT, "lint", "--source-dir", dir, "--output", "json", "--no-config-discovery"]);
  let report;
  try {
    report = JSON.parse(result.stdout.slice(result.stdout.indexOf("{")));
  } catch {
    throw new Error(`web-ext lint gave no JSON report:\n${result.stdout}${result.stderr}`);
  }
  const problems = [...report.errors, ...report.warnings].map(
    (p) => `${p._type} ${p.code}${p.file ? ` in ${p.file}${p.line ? `:${p.line}` : ""}` : ""}: ${p.message}`,
  );
  return { errors: report.summary.errors, warnings: report.summary.warnings, problems };
}

/** `web-ext build` of dist/firefox, then re-packed deterministically (web-ext keeps the files' mtimes). */
function webExtBuild(dir, version) {
  const out = mkdtempSync(join(tmpdir(), "cors-doctor-web-ext-"));
  try {
    const result = run(process.execPath, [
      WEB_EXT,
      "build",
      "--source-dir",
      dir,
      "--artifacts-dir",
      out,
      "--filename",
      `firefox-${version}.zip`,
      "--overwrite-dest",
      "--no-config-discovery",
    ]);
    const built = join(out, `firefox-${version}.zip`);
    if (result.status !== 0 || !existsSync(built)) throw new Error(`web-ext build failed:\n${result.stdout}${result.stderr}`);
    return zipFiles(unzipFiles(readFileSync(built)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function sourceReadme(version, commit) {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return `# CORS Doctor ${version}: source code for review

This archive holds every file of the CORS Doctor repository at commit ${commit}, the one the add-on was built from.
The add-on's JavaScript is bundled (not minified) by esbuild from the TypeScript in src/.

## Build environment

- Linux or macOS, Node.js ${process.versions.node.split(".")[0]} (tested with ${process.version}; package.json requires ${pkg.engines?.node ?? "a recent Node"}) and npm ${run("npm", ["--version"]).stdout.trim() || "10+"}
- No other tool is needed: all build dependencies are npm packages pinned in package-lock.json.

## Exact steps

\`\`\`sh
npm ci
npm run build
\`\`\`

The Firefox add-on is then in \`dist/firefox/\`; its content is identical to the submitted
\`cors-doctor-firefox-${version}.zip\`. (\`npm run package -- --allow-dirty\` rebuilds that zip byte for byte.)
The build script is \`scripts/build.mjs\` (esbuild, one IIFE bundle per entry point: background, devtools,
panel, popup; static files from \`extension/\`; \`manifest.json\` reduced to the keys Firefox reads).
`;
}

async function main(argv) {
  const allowDirty = argv.includes("--allow-dirty");
  const outIndex = argv.indexOf("--out");
  const outDir = resolve(outIndex >= 0 ? argv[outIndex + 1] : join(root, "artifacts"));
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const refused = releaseProblem({
    version,
    manifestVersion: JSON.parse(readFileSync(join(root, "manifest.json"), "utf8")).version,
    changelog: existsSync(join(root, "CHANGELOG.md")) ? readFileSync(join(root, "CHANGELOG.md"), "utf8") : "",
  });
  if (refused) {
    console.error(`npm run package: ${refused}`);
    return 1;
  }
  const refIndex = argv.indexOf("--source-ref");
  const revParsed = run("git", ["rev-parse", "--verify", `${refIndex >= 0 ? argv[refIndex + 1] : "HEAD"}^{commit}`]);
  if (revParsed.status !== 0) throw new Error(`git rev-parse failed: ${revParsed.stderr.trim()}`);
  const commit = revParsed.stdout.trim();

  const dirty = dirtyFiles();
  if (dirty.length) {
    const list =
      dirty
        .slice(0, 10)
        .map((l) => `    ${l}`)
        .join("\n") + (dirty.length > 10 ? `\n    … and ${dirty.length - 10} more` : "");
    if (!allowDirty) {
      console.error(
        `npm run package: the working tree is not clean, so the zips could not be rebuilt from a commit:\n${list}\nCommit or stash first, or pass --allow-dirty for a local, non-release package.`,
      );
      return 1;
    }
    console.warn(
      `warning: packaging a dirty tree (--allow-dirty); not for a store release (the source zip holds the commit, HEAD, without these changes):\n${list}`,
    );
  }

  if (!argv.includes("--no-build")) {
    const built = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
    if (built.status !== 0) {
      console.error("npm run package: the build failed");
      return 1;
    }
  }

  const distIndex = argv.indexOf("--dist");
  const dist = resolve(distIndex >= 0 ? argv[distIndex + 1] : join(root, "dist"));
  const lint = argv.includes("--skip-lint") ? null : lintFirefox(join(dist, "firefox"));
  if (!lint) {
    console.warn("warning: web-ext lint skipped (--skip-lint): these zips are not store-ready");
  } else if (lint.errors || lint.warnings) {
    console.error(
      `npm run package: web-ext lint found ${lint.errors} error(s) and ${lint.warnings} warning(s) in dist/firefox (0 and 0 required):\n  ${lint.problems.join("\n  ")}`,
    );
    return 1;
  } else {
    console.log("web-ext lint: 0 errors, 0 warnings");
  }

  mkdirSync(outDir, { recursive: true });
  const outputs = {
    [`cors-doctor-chrome-${version}.zip`]: zipFiles(filesOf(join(dist, "chrome"))),
    [`cors-doctor-firefox-${version}.zip`]: webExtBuild(join(dist, "firefox"), version),
    [`cors-doctor-source-${version}.zip`]: zipFiles([
      ...committedFiles(commit),
      { name: "SOURCE-README.md", data: Buffer.from(sourceReadme(version, commit)) },
    ]),
  };
  for (const [name, data] of Object.entries(outputs)) {
    writeFileSync(join(outDir, name), data);
    console.log(`${relative(process.cwd(), join(outDir, name)) || name}  ${(data.length / 1024).toFixed(1)} KiB`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
