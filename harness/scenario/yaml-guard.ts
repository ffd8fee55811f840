// What a scenario file is refused for before it is parsed: too big (a 50 MB file took 1.7 GB to
// validate), not UTF-8 (decoding would silently replace the bytes), nested deeper than any scenario
// is (the parser would run out of stack). Each with the line and column it is found at.
import type { InputIssue } from "../model/errors.ts";

export const MAX_FILE_BYTES = 1_000_000;
export const MAX_DEPTH = 64;

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const x = b[i]!;
    const n = x < 0x80 ? 0 : x >= 0xc2 && x <= 0xdf ? 1 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xf0 && x <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    // The second byte's range rules out overlong forms, surrogates and code points past U+10FFFF.
    const lo = x === 0xe0 ? 0xa0 : x === 0xf0 ? 0x90 : 0x80;
    const hi = x === 0xed ? 0x9f : x === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= n; k++) {
      const c = b[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** The file's text, or the issue that refuses it (too big, not UTF-8). */
export function decodeScenario(file: string, bytes: Uint8Array): { text: string } | { issue: InputIssue } {
  if (bytes.length > MAX_FILE_BYTES) return { issue: tooBig(file, bytes.length) };
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { text: new TextDecoder("utf-8").decode(bytes) };
  const lineStart = bytes.lastIndexOf(0x0a, bad - 1) + 1;
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const column = [...new TextDecoder("utf-8").decode(bytes.subarray(lineStart, bad))].length + 1;
  const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, "0");
  return {
    issue: {
      file,
      line,
      column,
      path: "",
      message: `byte 0x${hex} is not UTF-8 here: a scenario file is UTF-8 text (save it as UTF-8)`,
    },
  };
}

export function tooBig(file: string, bytes: number): InputIssue {
  return {
    file,
    line: 1,
    column: 1,
    path: "",
    message: `is ${bytes} bytes: a scenario file is at most ${MAX_FILE_BYTES} bytes (1 MB)`,
  };
}

/**
 * Offset where the text nests deeper than `max` levels (block indentation, `- ` items, `[` and `{`),
 * or -1. A lexical reckoning, near the parser's: a scenario nests about six levels deep.
 */
export function tooDeepAt(text: string, max = MAX_DEPTH): number {
  let flow = 0;
  const indents: number[] = [];
  let scalarOver: number | null = null; // inside a block scalar (| or >): its lines are text
  for (let start = 0; start < text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    let col = 0;
    while (line[col] === " ") col++;
    const blank = col >= line.trimEnd().length || line[col] === "#";
    if (scalarOver !== null && (blank || col > scalarOver)) {
      start = end + 1;
      continue;
    }
    scalarOver = null;
    if (blank) {
      start = end + 1;
      continue;
    }
    if (flow === 0) {
      while (indents.length > 0 && indents.at(-1)! >= col) indents.pop();
      indents.push(col);
    }
    let dashes = 0;
    let valueStart = true;
    let quote: string | null = null;
    for (let c = col; c < line.length; c++) {
      const ch = line[c]!;
      if (quote) {
        if (ch === "\\" && quote === '"') c++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === "#" && (c === 0 || line[c - 1] === " ")) break;
      if (ch === " " || ch === "\t") continue;
      const spaced = c + 1 === line.length || line[c + 1] === " ";
      if (valueStart && (ch === '"' || ch === "'")) quote = ch;
      else if (valueStart && flow === 0 && ch === "-" && spaced) dashes++;
      else if (valueStart && flow === 0 && (ch === "|" || ch === ">")) {
        scalarOver = col;
        break;
      } else if ((valueStart || flow > 0) && (ch === "[" || ch === "{")) flow++;
      else if (flow > 0 && (ch === "]" || ch === "}")) flow--;
      valueStart = (ch === ":" && spaced) || (ch === "-" && spaced && flow === 0) || (flow > 0 && ",[{".includes(ch));
      if (indents.length + dashes + flow > max) return start + c;
    }
    start = end + 1;
  }
  return -1;
}
