// The part of variants.mjs the tests read (test/bench/floors.test.ts): the floors' request types and text.
export const CD_TYPES: string[];
export function writeVariant(name: string): { dir: string; dispose(): void };
