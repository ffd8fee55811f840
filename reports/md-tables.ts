// Turns the simple Markdown that a report section writes (headings, tables, bullets, paragraphs)
// into escaped HTML blocks, so report.md and index.html show one section from one source.
import { esc } from "./svg/escape.ts";

export interface HtmlBlock {
  kind: "h" | "table" | "ul" | "p";
  text?: string;
  head?: string[];
  rows?: string[][];
  items?: string[];
}

const cells = (line: string) =>
  line
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim().replace(/\\\|/g, "|"));
// Cells may hold line breaks (<br>): kept as such, everything else escaped.
const plain = (s: string) => esc(s.replace(/\*\*/g, "").replace(/`/g, "")).replace(/&lt;br&gt;/g, "<br>");

export function markdownBlocks(lines: string[]): HtmlBlock[] {
  const out: HtmlBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith("#")) out.push({ kind: "h", text: plain(l.replace(/^#+\s*/, "")) });
    else if (l.startsWith("|") && lines[i + 1]?.startsWith("|---")) {
      const head = cells(l).map(plain);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.startsWith("|"); i++) rows.push(cells(lines[i]!).map(plain));
      i--;
      out.push({ kind: "table", head, rows });
    } else if (l.startsWith("- ")) {
      const items: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith("- "); i++) items.push(plain(lines[i]!.slice(2)));
      i--;
      out.push({ kind: "ul", items });
    } else if (l.trim()) out.push({ kind: "p", text: plain(l) });
  }
  return out;
}
