// String literals for each language a recipe is written in. Every value that came from the request
// (Origin, method, header names, URL) goes through one of these, so a hostile value stays inside its
// literal: quotes, backslashes, newlines and other control characters are escaped the way that
// language's lexer reads them back. The policy (policy.ts) has already refused values that are not
// real origins / HTTP tokens; this is the second line of defence.

function codePoints(s: string): number[] {
  return Array.from(s, (ch) => ch.codePointAt(0) as number);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

const printableAscii = (cp: number) => cp >= 0x20 && cp < 0x7f;

/** Python str literal: `\xNN` for control characters, `\uXXXX` / `\UXXXXXXXX` beyond ASCII. */
export function pyString(s: string): string {
  let out = "";
  for (const cp of codePoints(s)) {
    if (cp === 0x5c) out += "\\\\";
    else if (cp === 0x22) out += '\\"';
    else if (cp === 0x0a) out += "\\n";
    else if (cp === 0x0d) out += "\\r";
    else if (cp === 0x09) out += "\\t";
    else if (printableAscii(cp)) out += String.fromCodePoint(cp);
    else if (cp < 0x100) out += "\\x" + hex(cp, 2);
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return `"${out}"`;
}

/** JavaScript/TypeScript string literal (double quotes; `\uXXXX` per UTF-16 unit, so U+2028 is escaped too). */
export function jsString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    if (cu === 0x5c) out += "\\\\";
    else if (cu === 0x22) out += '\\"';
    else if (cu === 0x0a) out += "\\n";
    else if (cu === 0x0d) out += "\\r";
    else if (cu === 0x09) out += "\\t";
    else if (printableAscii(cu)) out += s[i];
    else out += "\\u" + hex(cu, 4);
  }
  return `"${out}"`;
}

/** Go interpreted string literal: `\u` / `\U` for code points (a `\x` escape would be a raw byte). */
export function goString(s: string): string {
  let out = "";
  for (const cp of codePoints(s)) {
    if (cp === 0x5c) out += "\\\\";
    else if (cp === 0x22) out += '\\"';
    else if (cp === 0x0a) out += "\\n";
    else if (cp === 0x0d) out += "\\r";
    else if (cp === 0x09) out += "\\t";
    else if (printableAscii(cp)) out += String.fromCodePoint(cp);
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += "\\ufffd"; // a lone surrogate is not a valid Go rune
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return `"${out}"`;
}

/**
 * Java string literal. Java translates `\uXXXX` before lexing (JLS 3.3), so `\u0022` would close the
 * string: quotes, backslashes and control characters use the simple and octal escapes instead, and
 * `\uXXXX` is used only beyond ASCII, where no code unit is Java syntax.
 */
export function javaString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    if (cu === 0x5c) out += "\\\\";
    else if (cu === 0x22) out += '\\"';
    else if (cu === 0x0a) out += "\\n";
    else if (cu === 0x0d) out += "\\r";
    else if (cu === 0x09) out += "\\t";
    else if (printableAscii(cu)) out += s[i];
    else if (cu < 0x80) out += "\\" + cu.toString(8).padStart(3, "0");
    else out += "\\u" + hex(cu, 4);
  }
  return `"${out}"`;
}

/** C# regular string literal (`\x` is variable-length in C#, so only fixed `\uXXXX`). */
export function csString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const cu = s.charCodeAt(i);
    if (cu === 0x5c) out += "\\\\";
    else if (cu === 0x22) out += '\\"';
    else if (cu === 0x0a) out += "\\n";
    else if (cu === 0x0d) out += "\\r";
    else if (cu === 0x09) out += "\\t";
    else if (printableAscii(cu)) out += s[i];
    else out += "\\u" + hex(cu, 4);
  }
  return `"${out}"`;
}

/** Drops everything but printable ASCII: config files and header values have no escape for the rest. */
function printableOnly(s: string): string {
  return Array.from(s)
    .filter((ch) => printableAscii(ch.codePointAt(0) as number))
    .join("");
}

/**
 * nginx quoted string. nginx has no escape for `$` (variable interpolation), so a `$` is dropped;
 * the policy never lets one through in the first place.
 */
export function nginxString(s: string): string {
  return `"${printableOnly(s)
    .replace(/[$]/g, "")
    .replace(/[\\"]/g, (c) => "\\" + c)}"`;
}

/** Apache quoted argument for `Header` values: `%` starts a mod_headers format specifier, so `%%`. */
export function apacheHeaderValue(s: string): string {
  return `"${printableOnly(s)
    .replace(/[\\"]/g, (c) => "\\" + c)
    .replace(/%/g, "%%")}"`;
}

/** Apache quoted PCRE that matches exactly `s` (anchored, metacharacters escaped). */
export function apacheExactRegex(s: string): string {
  const re = printableOnly(s).replace(/[.*+?^${}()|[\]\\/-]/g, (c) => "\\" + c);
  return `"^${re.replace(/"/g, '\\"')}$"`;
}

/** Caddyfile quoted token: `\"` for quotes, `\{` so a value is never read as a placeholder. */
export function caddyString(s: string): string {
  return `"${printableOnly(s).replace(/["{}]/g, (c) => "\\" + c)}"`;
}

/** A raw HTTP header value: CR/LF and other controls removed (they would start a new header line). */
export function httpValue(s: string): string {
  return printableOnly(s);
}

/** Text safe inside a one-line comment of any language here: no newline, no comment terminators. */
export function commentText(s: string): string {
  return printableOnly(s).replace(/\*\//g, "* /").replace(/-->/g, "-- >");
}
