export function zipFiles(files: { name: string; data: Buffer }[]): Buffer;
export function unzipFiles(zip: Buffer): { name: string; data: Buffer }[];
export function lintFirefox(dir: string): { errors: number; warnings: number; problems: string[] };
export function releaseProblem(facts: { version: string; manifestVersion: string; changelog: string }): string | null;
