// The threshold grammar, k6-style: "[aggregate] op value[unit]", e.g. "< 10m", "p95 < 5m", ">= 20MB/s".
import { parseDuration, parseRate, parseSize } from "../util/units.ts";
import { OBJECTIVE_METRICS } from "../model/metrics.ts";

export type Comparator = "<" | "<=" | ">" | ">=" | "==" | "!=";
export type Aggregate = "each" | "min" | "max" | "mean" | "median" | `p${number}`;

export interface Threshold {
  /** The objective name (rto, rpo, backupThroughput...). */
  metric: string;
  /** The text as written in the scenario. */
  source: string;
  aggregate: Aggregate;
  op: Comparator;
  /** In the metric's base unit: ms, bytes, bytes per second. */
  value: number;
}

const GRAMMAR = /^\s*(?:(p\d{1,2}(?:\.\d+)?|min|max|avg|mean|med|median)\s*)?(<=|>=|==|!=|<|>)\s*(.+?)\s*$/;

export function parseThreshold(metric: string, source: string): Threshold | string {
  const def = OBJECTIVE_METRICS[metric];
  if (!def) return `"${metric}" is not an objective (known: ${Object.keys(OBJECTIVE_METRICS).join(", ")})`;
  const m = GRAMMAR.exec(source);
  if (!m) return `"${source}" is not a threshold; write e.g. "< 10m", "p95 <= 5m" or ">= 20MB/s"`;
  const kind = def.unit === "ms" ? "duration" : def.unit === "Bps" ? "rate" : def.unit === "count" ? "count" : "size";
  const raw = m[3]!;
  const value =
    kind === "duration"
      ? parseDuration(raw)
      : kind === "rate"
        ? parseRate(raw)
        : kind === "count"
          ? /^\d+$/.test(raw)
            ? Number(raw)
            : undefined
          : parseSize(raw);
  if (value === undefined) {
    const hint =
      kind === "duration"
        ? "a duration such as 90s, 10m, 1.5h"
        : kind === "rate"
          ? "a rate such as 20MB/s"
          : kind === "count"
            ? "a whole number such as 100"
            : "a size such as 500MB";
    return `"${raw}" is not ${hint} (in "${source}")`;
  }
  // Every metric is 0 or more: a bound below that never holds, one at it always does; neither tests anything.
  const op = m[2] as Comparator;
  if ((op === "<" && value <= 0) || (op === "<=" && value < 0))
    return `"${source}" can never hold: ${metric} is never below 0; give a bound a run can meet`;
  if ((op === ">=" && value <= 0) || (op === ">" && value < 0))
    return `"${source}" always holds: ${metric} is never below 0; give a bound a run can miss`;
  let aggregate = (m[1] ?? "each") as Aggregate;
  if (aggregate === ("avg" as Aggregate)) aggregate = "mean";
  if (aggregate === ("med" as Aggregate) || aggregate === "p50") aggregate = "median";
  if (/^p/.test(aggregate) && Number(aggregate.slice(1)) > 100) return `"${m[1]}" is not a percentile`;
  return { metric, source, aggregate, op, value };
}
