// A minimal Chrome-style HAR entry for tests that read HAR files (the CLI, the panel's import).
export function harEntry(
  url: string,
  method: string,
  reqHeaders: Record<string, string>,
  status: number,
  resHeaders: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  const list = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
  return {
    startedDateTime: "2026-11-21T10:00:00.000Z",
    time: 1,
    request: {
      method,
      url,
      httpVersion: "HTTP/1.1",
      headers: list(reqHeaders),
      cookies: [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
    },
    response: {
      status,
      statusText: "",
      httpVersion: "HTTP/1.1",
      headers: list(resHeaders),
      cookies: [],
      content: { size: 0, mimeType: "text/plain" },
      redirectURL: "",
      headersSize: -1,
      bodySize: 0,
    },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
    ...extra,
  };
}
