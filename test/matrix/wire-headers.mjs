// The servers' wire log in HAR terms, shared by the matrix recorders (test/matrix, test/matrix2).

/** Node's rawHeaders ([name, value, name, value, …]) as HAR headers. @param {string[]} raw */
export function pairs(raw) {
  /** @type {{ name: string, value: string }[]} */
  const out = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
  return out;
}

/** A response head as sent ("HTTP/1.1 200 OK\r\nName: value…") → HTTP version, status text, headers. @param {string} text */
export function parseSent(text) {
  const lines = text.split("\r\n");
  const m = /^HTTP\/(\S+)\s+(\d+)\s*(.*)$/.exec(lines.shift() ?? "");
  /** @type {{ name: string, value: string }[]} */
  const headers = [];
  for (const l of lines) {
    const i = l.indexOf(":");
    if (i > 0) headers.push({ name: l.slice(0, i), value: l.slice(i + 1).trim() });
  }
  return { httpVersion: m ? `HTTP/${m[1]}` : "HTTP/1.1", statusText: m ? m[3] : "", headers };
}
