// The HTML report's "tools and settings compared" tables, from results.json's `comparison`: per
// scenario with two or more groups, each metric's median, spread, ratio to the best and the winner.
import type { Comparison } from "../harness/metrics/comparison.ts";
import { formatMetricValue } from "../harness/model/metrics.ts";

export interface ToolsTableCell {
  text: string;
  spread: string;
  /** "best", or how many times worse than the best ("×1.42"). */
  rank: string;
  best: boolean;
  warnings: string;
}

export interface ToolsTable {
  scenario: string;
  columns: string[];
  rows: { label: string; runs: string; cells: ToolsTableCell[] }[];
  notes: string[];
}

export function toolsTables(comparison: Comparison | undefined): ToolsTable[] {
  if (!comparison) return [];
  return comparison.scenarios
    .filter((s) => s.groups.length >= 2)
    .map((s) => {
      const metrics = comparison.metrics.filter((m) => s.groups.some((g) => g.metrics[m.key]?.stats));
      return {
        scenario: s.scenario,
        columns: metrics.map((m) => m.label),
        rows: s.groups.map((g) => ({
          label: g.label,
          runs: `${g.passed}/${g.runs} passed`,
          cells: metrics.map((m) => {
            const c = g.metrics[m.key];
            if (!c?.stats) return { text: "–", spread: "", rank: "", best: false, warnings: "" };
            const ratio = c.ratioToBest;
            return {
              text: formatMetricValue(m.unit, c.stats.median),
              spread: c.stats.n >= 2 ? `±${formatMetricValue(m.unit, c.stats.sd)}` : "",
              rank: c.winner ? "best" : ratio !== null && ratio !== 1 ? `×${ratio.toFixed(2)}` : "",
              best: c.winner,
              warnings: c.warnings.join("; "),
            };
          }),
        })),
        notes: s.notes,
      };
    });
}
