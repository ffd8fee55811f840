// Escaping text for SVG/HTML built as strings (the charts are inlined into index.html).

const ENTITIES: Record<string, string> = { "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&#39;" };

export function esc(text: string | number): string {
  return String(text).replace(/[<>&"']/g, (c) => ENTITIES[c]!);
}

/** Rounds a coordinate to one decimal so the SVG stays small and stable. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** Shortens a label to `max` characters, ending with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}
