// Server-controlled strings are shown as text, and made visible: control characters become their Unicode
// "control picture" (U+2400…), and invisible formatting characters that reorder or hide text (bidi overrides,
// zero-width characters) are shown as \uXXXX, so a header value cannot disguise itself in the panel.
// Very long values are cut before any work is done on them, so a 1 MB header never freezes the panel.

/** How many characters of a value are shown before the "show all" expander. */
export const PREVIEW_CHARS = 2000;

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** `keepNewlines` is for text we produced ourselves (a curl command): its line breaks are layout, not data. */
export function visibleText(value: string, keepNewlines = false): string {
  return value.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    if (keepNewlines && code === 0x0a) return ch;
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return "\u2421";
    return "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
  });
}

export interface Preview {
  text: string;
  truncated: boolean;
  /** Length of the full value, in characters. */
  length: number;
}

export function preview(value: string, limit = PREVIEW_CHARS, keepNewlines = false): Preview {
  if (value.length <= limit) return { text: visibleText(value, keepNewlines), truncated: false, length: value.length };
  return { text: visibleText(value.slice(0, limit), keepNewlines), truncated: true, length: value.length };
}

export function formatSize(chars: number): string {
  if (chars < 1024) return `${chars} characters`;
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(1)} K characters`;
  return `${(chars / 1024 / 1024).toFixed(1)} M characters`;
}
