// Generates a large Chrome-like HAR (2-space indent, preflight + fetch pairs, JSON bodies with escapes and
// non-ASCII) for the streaming tests and scripts/stress-har-stream.mjs.
import { createWriteStream } from "node:fs";

/** Writes a HAR of about `bytes` with Chrome's layout (2-space indent) and returns its path. */
export async function generateHar(path: string, bytes: number): Promise<{ path: string; entries: number }> {
  const out = createWriteStream(path);
  const write = (text: string): Promise<void> =>
    out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write(
    '{\n  "log": {\n    "version": "1.2",\n    "creator": { "name": "WebInspector", "version": "537.36" },\n    "pages": [],\n    "entries": [\n',
  );
  const body = JSON.stringify("x".repeat(1500) + '"quoted" \\ back\\slash é 😀 ' + "y".repeat(400));
  let written = 0;
  let i = 0;
  const t0 = Date.parse("2026-01-01T00:00:00Z");
  while (written < bytes) {
    const url = `http://localhost:4000/api/item/${i}?page=${i % 7}`;
    const at = (ms: number) => new Date(t0 + i * 20 + ms).toISOString();
    const preflightEntry = {
      _initiator: { type: "preflight", url: "http://127.0.0.1:3000/app.js", requestId: `${i}.1` },
      _resourceType: "preflight",
      cache: {},
      connection: "1234",
      pageref: "page_1",
      startedDateTime: at(0),
      time: 3.2,
      request: {
        method: "OPTIONS",
        url,
        httpVersion: "HTTP/1.1",
        headers: [
          { name: "Accept", value: "*/*" },
          { name: "Access-Control-Request-Method", value: "PUT" },
          { name: "Access-Control-Request-Headers", value: "content-type,x-foo" },
          { name: "Origin", value: "http://127.0.0.1:3000" },
          {
            name: "User-Agent",
            value: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
          },
        ],
        queryString: [{ name: "page", value: String(i % 7) }],
        cookies: [],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 204,
        statusText: "No Content",
        httpVersion: "HTTP/1.1",
        headers: [
          { name: "Access-Control-Allow-Origin", value: "http://127.0.0.1:3000" },
          { name: "Access-Control-Allow-Methods", value: "GET, PUT" },
          { name: "Access-Control-Allow-Headers", value: "Content-Type" },
          { name: "Vary", value: "Origin" },
        ],
        cookies: [],
        content: { size: 0, mimeType: "x-unknown" },
        redirectURL: "",
        headersSize: -1,
        bodySize: 0,
        _transferSize: 200,
        _error: null,
      },
      serverIPAddress: "127.0.0.1",
      timings: { blocked: 0.5, dns: -1, ssl: -1, connect: -1, send: 0.1, wait: 2.5, receive: 0.1, _blocked_queueing: 0.3 },
    };
    const actualEntry = {
      ...preflightEntry,
      _initiator: {
        type: "script",
        stack: { callFrames: [{ functionName: "go", url: "http://127.0.0.1:3000/app.js", lineNumber: 10, columnNumber: 4 }] },
      },
      _resourceType: "fetch",
      startedDateTime: at(4),
      request: {
        ...preflightEntry.request,
        method: "PUT",
        headers: [
          { name: "Content-Type", value: "application/json" },
          { name: "Origin", value: "http://127.0.0.1:3000" },
          { name: "X-Foo", value: "1" },
        ],
        postData: { mimeType: "application/json", text: '{"a":1}' },
      },
      response: {
        ...preflightEntry.response,
        status: 200,
        statusText: "OK",
        content: { size: 1900, mimeType: "application/json", text: "BODY" },
      },
    };
    const text =
      (i > 0 ? ",\n" : "") +
      JSON.stringify(preflightEntry, null, 2).replace(/^/gm, "      ") +
      ",\n" +
      JSON.stringify(actualEntry, null, 2).replace(/^/gm, "      ").replace('"BODY"', body);
    await write(text);
    written += text.length;
    i++;
  }
  await write("\n    ]\n  }\n}\n");
  await new Promise<void>((r) => out.end(() => r()));
  return { path, entries: i * 2 };
}
