// Types for server.mjs.
export interface ServerLogEntry {
  seq: number;
  time: number;
  server: "page" | "api";
  method: string;
  url: string;
  host: string;
  rawHeaders: string[];
  scenario: string | null;
  hop: boolean;
  sent: { status: number; headersText: string; body: string };
}
export interface MatrixServer {
  pageOrigin: string;
  pageUrl: string;
  apiOrigins: { localhost: string; ip: string };
  log: ServerLogEntry[];
  clearLog(): void;
  close(): Promise<void>;
}
export declare function startMatrixServer(options?: { log?: boolean }): Promise<MatrixServer>;
