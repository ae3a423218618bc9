// Whether dist/<browser> was built after the last change to what it is built from. A test or recorder that loads
// dist/ as it is (the page-side observer, the popup, the panel) would otherwise run yesterday's extension after a
// source change made without `npm run build`, and report today's code as failing (or passing) for the wrong reason.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** The newest mtime (ms) of the files under `dir`, recursively; 0 when it does not exist. */
function newest(dir) {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

/**
 * Throws when dist/<browser> is missing or older than src/, extension/ or manifest.json.
 * @param {string} root the repository
 * @param {"chrome" | "firefox"} browser
 */
export function assertDistFresh(root, browser) {
  let built;
  try {
    built = statSync(join(root, "dist", browser, "manifest.json")).mtimeMs;
  } catch {
    throw new Error(`dist/${browser} is not built: run npm run build`);
  }
  const sources = Math.max(newest(join(root, "src")), newest(join(root, "extension")), statSync(join(root, "manifest.json")).mtimeMs);
  if (sources > built) throw new Error(`dist/${browser} is older than the sources: run npm run build`);
}
