// The private-window cookie tests' two routes (both browsers): a page that keeps calling, with credentials, an API
// that wants a log-in cookie and answers 401 without CORS headers when it is missing.
import type { ServerResponse } from "node:http";

/** Answers `/private-login-page` and `/api/needs-login`; returns false for any other path. */
export function serveLoginRoutes(pathname: string, res: ServerResponse, api: string): boolean {
  if (pathname === "/private-login-page") {
    const target = JSON.stringify(`${api}/api/needs-login`);
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(
      `<!doctype html><title>l</title><script>let n=0;const go=()=>fetch(${target}+"?n="+(n++),{credentials:"include"}).catch(()=>{});go();setInterval(go,300);</script>`,
    );
    return true;
  }
  if (pathname === "/api/needs-login") {
    res.writeHead(401, { "Content-Type": "text/plain" });
    res.end("log in first");
    return true;
  }
  return false;
}
