export interface Playground {
  pageUrl: string;
  pageOrigin: string;
  secondOrigin: string;
  apis: import("./public/scenarios.mjs").ApiOrigins;
  hits: { method: string; host: string; path: string; origin: string | null }[];
  close(): Promise<void>;
}
export function startPlayground(options?: { port?: number; apiPort?: number; log?: (line: string) => void }): Promise<Playground>;
