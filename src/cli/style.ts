// Terminal output helpers shared by the CLI commands: colour only when asked for, and untrusted
// text (header values from servers, URLs from HAR files) made printable so it cannot drive the terminal.
// Two layers, like the panel's (src/panel/text.ts): `printable` where a value is put into a line, and
// `terminalSafe` at the edge, on every chunk written to stdout or stderr.

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export function makeStyle(color: boolean): Style {
  if (!color) {
    const id = (text: string) => text;
    return { bold: id, dim: id, red: id, green: id, yellow: id };
  }
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}

/**
 * Characters that must never reach a terminal from data: C0 controls (a newline or carriage return forges
 * a line, ESC rewrites the screen), DEL and C1 controls (8-bit CSI), and the invisible formatting characters
 * that reorder or hide text: bidi embeddings, overrides and isolates, zero-width characters, the soft
 * hyphen, line/paragraph separators, the byte-order mark.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/**
 * A value from outside made printable on one line: every character of UNSAFE as \uXXXX, newlines
 * included (a header value with a line break must not print as two lines); very long values are cut.
 */
export function printable(text: string, max = 2000): string {
  const escaped = text.replace(UNSAFE, escapeChar);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${escaped.length - max} more characters)` : escaped;
}

/**
 * At the edge: the CLI's own escape sequences (the SGR codes of `makeStyle`, clearing a line), or one unsafe
 * character other than the newline (the CLI's layout).
 */
// eslint-disable-next-line no-control-regex
const EDGE =
  /\u001b\[(?:(?:22|31|32|33|39|1|2)m|[02]?K)|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;
const EDGE_ONE = new RegExp(EDGE.source);

export interface EdgeOptions {
  /** Our own colour codes may pass (only when the stream is a colour terminal). */
  style: boolean;
  /** `\r` may pass: a progress line redraws itself on stderr. */
  redraw: boolean;
}

/**
 * The terminal edge: every chunk the CLI writes. Line breaks are the CLI's layout and stay; our own colour
 * and line-clearing sequences stay when allowed; anything else in UNSAFE is escaped as \uXXXX. In JSON the
 * same \uXXXX is a valid escape with the same meaning, so `--json` stays exact and is safe to print too.
 */
export function terminalSafe(text: string, options: EdgeOptions): string {
  if (!EDGE_ONE.test(text)) return text;
  return text.replace(EDGE, (match) => {
    if (match.length > 1) return options.style ? match : escapeChar(match[0]!) + match.slice(1);
    if (match === "\r" && options.redraw) return match;
    return escapeChar(match);
  });
}
