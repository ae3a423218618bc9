// Build-time constants injected by esbuild `define` (scripts/build.mjs).
declare const __BROWSER__: "chrome" | "firefox" | "node";
declare const __VERSION__: string;
