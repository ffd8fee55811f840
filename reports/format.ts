// Shared formatting for reports: metric columns from the catalogue, outcome marks, run labels.
import {
  formatMetricValue,
  metricHeading,
  metricsIn,
  type MetricDef,
  type MetricKey,
  type MetricTable,
} from "../harness/model/metrics.ts";
import type { RunResult } from "../harness/model/result.ts";
import { runVerdict } from "../harness/model/verdict.ts";
export { formatBytes, formatDuration, formatRate } from "../harness/util/units.ts";

export const OUTCOME_MARK: Record<string, string> = {
  recovered: "recovered",
  detected: "detected",
  "silent-corruption": "SILENT CORRUPTION",
  failed: "failed",
  error: "error",
};

export function runName(r: RunResult): string {
  return `${r.scenario} · ${r.label}${r.repeat > 1 ? ` #${r.repeat}` : ""}`;
}

export function escapeMd(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A run's verdict in a Markdown cell (model/verdict.ts): plain when it passed, bold when not. */
export function verdictCell(r: RunResult): string {
  const v = runVerdict(r);
  return v.kind === "passed" ? v.words : `**${v.words}**`;
}

/** Why a run did not pass, in one line: its verdict's words, why, and for a failed expectation the reason. */
export function verdictLine(r: RunResult): string {
  const v = runVerdict(r);
  if (v.kind === "passed") return v.words;
  return `${v.words}: ${v.why}${v.kind === "failed-expectation" ? `; ${r.reason}` : ""}`;
}

export interface MetricColumns {
  metrics: MetricDef<MetricKey>[];
  headings: string[];
  /** One run's values, formatted in each metric's unit ("-" where not measured). */
  cells(r: Pick<RunResult, "metrics">): string[];
}

/** The metric columns of one table, as the catalogue lists them (harness/model/metrics.ts). */
export function metricColumns(table: MetricTable): MetricColumns {
  const metrics = metricsIn(table);
  return {
    metrics,
    headings: metrics.map(metricHeading),
    cells: (r) => metrics.map((m) => formatMetricValue(m.unit, r.metrics[m.key] ?? null)),
  };
}
