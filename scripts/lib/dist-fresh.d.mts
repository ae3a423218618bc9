export function assertDistFresh(root: string, browser: "chrome" | "firefox"): void;
