// The check-coverage matrix (drdrill coverage): archive faults x each tool's ways of checking, built
// from a run's journal and results, and rendered as Markdown and as one self-contained HTML page.
import type { JournalEvent } from "../harness/model/journal-events.ts";

/** One way a tool checks its backups: light, a sampled read, deep, or a restore to a scratch folder. */
export type CheckWay = "light" | "sample" | "deep" | "restore";
export const CHECK_WAYS: readonly CheckWay[] = ["light", "sample", "deep", "restore"];

export interface CoverageCell {
  /** caught: the check failed (or said so before it hung); missed: it passed; n/a: it does not apply. */
  verdict: "caught" | "missed" | "n/a";
  /** Wall time of the check's tool calls (a restic retry after `unlock` included). */
  ms?: number;
  /** Bytes its process tree read (rchar); null: the executor cannot say. */
  readBytes?: number | null;
  /** The commands, as run. */
  commands?: string[];
  /** The tool's own words when it caught the damage, or why the cell is n/a. */
  said?: string;
  /** A restore the tool called a success whose files drdrill's comparison found wrong. */
  mismatches?: number;
}

export interface CoverageRow {
  tool: string;
  fault: string;
  /** The fault damages the repository (its only expected outcome is detected): it counts for the cheapest check. */
  damage: boolean;
  cells: Partial<Record<CheckWay, CoverageCell>>;
}

export interface CoverageMatrix {
  generatedAt: string;
  datasetBytes: number;
  samplePercent: number;
  tools: string[];
  faults: string[];
  rows: CoverageRow[];
  /** Per tool: the cheapest way (by measured time) that caught every damage fault, or null and why. */
  cheapest: Record<string, { way: CheckWay | null; ms?: number; readBytes?: number | null; why: string }>;
}

type Ev = JournalEvent;
type ToolCall = Extract<Ev, { type: "tool-call" }>;

/** The check phases of one run, in order: their detail (light, deep, sample N%) and tool calls; then the restore. */
export function cellsOfRun(events: Ev[], mismatches: number): Partial<Record<CheckWay, CoverageCell>> {
  const cells: Partial<Record<CheckWay, CoverageCell>> = {};
  let open: { way: CheckWay; calls: ToolCall[] } | null = null;
  const close = () => {
    if (!open || open.calls.length === 0) return void (open = null);
    const last = open.calls[open.calls.length - 1]!;
    const failed = last.timedOut || last.exitCode !== 0;
    const bytes = open.calls.map((c) => c.readBytes);
    const cell: CoverageCell = {
      verdict: failed ? "caught" : "missed",
      ms: Math.round(open.calls.reduce((n, c) => n + c.durationMs, 0)),
      readBytes: bytes.every((b) => typeof b === "number") ? bytes.reduce((n, b) => n + b!, 0) : null,
      commands: open.calls.map((c) => c.command),
      ...(failed && last.message ? { said: last.message } : {}),
    };
    if (open.way === "restore" && !failed && mismatches > 0) cell.mismatches = mismatches;
    cells[open.way] = cell;
    open = null;
  };
  for (const e of events) {
    if (e.type === "phase-start" && (e.phase === "check" || e.phase === "restore")) {
      close();
      const d = e.detail ?? "";
      const way: CheckWay =
        e.phase === "restore" ? "restore" : d.startsWith("sample") ? "sample" : d === "deep" ? "deep" : "light";
      open = { way, calls: [] };
    } else if (e.type === "tool-call" && open && (e.kind === "check" || e.kind === "restore")) {
      open.calls.push(e);
    } else if (e.type === "phase-end" && open && (e.phase === "check" || e.phase === "restore")) {
      close();
    }
  }
  close();
  return cells;
}

function missedText(candidates: { way: CheckWay; misses: string[] }[]): string {
  return candidates.map((c) => `${c.way} missed ${c.misses.join(", ")}`).join("; ");
}

/** The cheapest way per tool that caught every damage fault the tool was drilled with. */
export function cheapestWays(rows: CoverageRow[], tools: string[]): CoverageMatrix["cheapest"] {
  const out: CoverageMatrix["cheapest"] = {};
  for (const tool of tools) {
    const mine = rows.filter(
      (r) => r.tool === tool && r.damage && Object.values(r.cells).some((c) => c?.verdict !== "n/a"),
    );
    const candidates = CHECK_WAYS.map((way) => {
      const cells = mine.map((r) => r.cells[way]).filter((c): c is CoverageCell => !!c && c.verdict !== "n/a");
      const misses = mine.filter((r) => r.cells[way]?.verdict === "missed").map((r) => r.fault);
      const ms = cells.reduce((n, c) => n + (c.ms ?? 0), 0) / Math.max(1, cells.length);
      const rb = cells.map((c) => c.readBytes);
      const readBytes = rb.every((b) => typeof b === "number")
        ? Math.round(rb.reduce((n, b) => n + b!, 0) / Math.max(1, rb.length))
        : null;
      return { way, ran: cells.length, misses, ms, readBytes };
    }).filter((c) => c.ran > 0);
    const catching = candidates.filter((c) => c.misses.length === 0).sort((a, b) => a.ms - b.ms);
    const best = catching[0];
    if (best)
      out[tool] = {
        way: best.way,
        ms: Math.round(best.ms),
        readBytes: best.readBytes,
        why: `caught all ${mine.length} damage fault(s); mean ${Math.round(best.ms)} ms per check`,
      };
    else
      out[tool] = {
        way: null,
        why:
          candidates.length === 0
            ? "no damage fault applied"
            : `no single way caught every damage fault (${missedText(candidates)})`,
      };
  }
  return out;
}

function mib(b: number | null | undefined): string {
  if (b === undefined || b === null) return "unknown";
  return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${Math.round(b / 1024)} KiB`;
}

/** A cell as one short text: "caught 1.2 s, 8.1 MiB" / "missed ..." / "n/a". */
export function cellText(c: CoverageCell | undefined): string {
  if (!c) return "-";
  if (c.verdict === "n/a") return "n/a";
  const cost = `${((c.ms ?? 0) / 1000).toFixed(1)} s, ${mib(c.readBytes)} read`;
  const silent = c.mismatches ? `; ${c.mismatches} file(s) wrong, tool said ok` : "";
  return `${c.verdict.toUpperCase()} (${cost}${silent})`;
}

function wayName(way: CheckWay, samplePercent: number): string {
  return way === "sample" ? `sample ${samplePercent}%` : way;
}

export function coverageMarkdown(m: CoverageMatrix): string {
  const lines = [
    "# Check coverage",
    "",
    `Each archive fault was injected into a fresh backup of a ${mib(m.datasetBytes)} generated dataset; then each of ` +
      "the tool's checks ran on the damaged repository, and a restore into a scratch folder. caught: the check " +
      "failed (or printed its error and hung); missed: it passed. Time is the check's wall time; bytes read are " +
      "its process tree's rchar (page cache included). Timings are from one run on a shared machine: noisy.",
    "",
  ];
  for (const tool of m.tools) {
    const rows = m.rows.filter((r) => r.tool === tool);
    const ways = CHECK_WAYS.filter((w) => rows.some((r) => r.cells[w] && r.cells[w]!.verdict !== "n/a"));
    lines.push(`## ${tool}`, "");
    lines.push(`| fault | ${ways.map((w) => wayName(w, m.samplePercent)).join(" | ")} |`);
    lines.push(`|---|${ways.map(() => "---").join("|")}|`);
    for (const r of rows) {
      const na = Object.values(r.cells).every((c) => c?.verdict === "n/a");
      const name = r.damage ? r.fault : `${r.fault} (not damage)`;
      if (na) lines.push(`| ${name} | ${ways.map(() => "n/a").join(" | ")} |`);
      else lines.push(`| ${name} | ${ways.map((w) => cellText(r.cells[w])).join(" | ")} |`);
    }
    const c = m.cheapest[tool];
    lines.push(
      "",
      c?.way
        ? `Cheapest check that caught every damage fault: **${wayName(c.way, m.samplePercent)}** (${c.why}).`
        : `Cheapest check: none (${c?.why ?? "not run"}).`,
      "",
    );
    const nas = rows.filter((r) => Object.values(r.cells).some((x) => x?.verdict === "n/a" && x.said));
    for (const r of nas) lines.push(`- ${r.fault}: n/a: ${Object.values(r.cells).find((x) => x?.said)?.said}`);
    if (nas.length > 0) lines.push("");
  }
  return lines.join("\n");
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]!);

export function coverageHtml(m: CoverageMatrix): string {
  const color = { caught: "#d7f5dd", missed: "#fbd5d5", "n/a": "#eee" } as const;
  const parts: string[] = [];
  for (const tool of m.tools) {
    const rows = m.rows.filter((r) => r.tool === tool);
    const ways = CHECK_WAYS.filter((w) => rows.some((r) => r.cells[w] && r.cells[w]!.verdict !== "n/a"));
    const head = `<tr><th>fault</th>${ways.map((w) => `<th>${esc(wayName(w, m.samplePercent))}</th>`).join("")}</tr>`;
    const body = rows
      .map((r) => {
        const tds = ways.map((w) => {
          const c = r.cells[w] ?? Object.values(r.cells).find((x) => x?.verdict === "n/a");
          const v = c?.verdict ?? "n/a";
          const title = c?.said ?? c?.commands?.join("\n") ?? "";
          return `<td style="background:${color[v]}" title="${esc(title)}">${esc(cellText(c))}</td>`;
        });
        return `<tr><td>${esc(r.damage ? r.fault : `${r.fault} (not damage)`)}</td>${tds.join("")}</tr>`;
      })
      .join("\n");
    const c = m.cheapest[tool];
    const verdict = c?.way
      ? `Cheapest check that caught every damage fault: <b>${esc(wayName(c.way, m.samplePercent))}</b> (${esc(c.why)}).`
      : `Cheapest check: none (${esc(c?.why ?? "not run")}).`;
    parts.push(`<h2>${esc(tool)}</h2>\n<table>${head}\n${body}</table>\n<p>${verdict}</p>`);
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>drdrill: check coverage</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
td,th{border:1px solid #999;padding:4px 8px;font-size:90%}</style>
</head><body><h1>Check coverage</h1>
<p>Archive faults x each tool's checks on a ${esc(mib(m.datasetBytes))} generated dataset: caught or missed,
wall time, bytes read (rchar of the check's processes). One run on a shared machine: timings are noisy.</p>
${parts.join("\n")}
</body></html>
`;
}
