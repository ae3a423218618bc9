// How every script and test starts the system Chromium (browser-recipes §1): Debian's build, and the
// flags that keep it quiet on a machine whose only network is loopback (without them Chromium keeps
// trying to reach Google's services, and each refused connection costs time).
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
]);

/** Flags that load one unpacked extension (absolute path) and no other. */
export function extensionArgs(dir) {
  return [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`];
}
