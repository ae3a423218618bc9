// Terminal output helpers shared by the CLI commands: colour only when asked for, and untrusted
// text (header values from servers, URLs from HAR files) made printable so it cannot drive the terminal.

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
 * Escapes control characters (ESC sequences could rewrite the terminal) and bidirectional overrides
 * (which could disguise a value) as \uXXXX; very long values are cut with a note.
 */
export function printable(text: string, max = 2000): string {
  const escaped = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return escaped.length > max ? `${escaped.slice(0, max)}… (${escaped.length - max} more characters)` : escaped;
}
