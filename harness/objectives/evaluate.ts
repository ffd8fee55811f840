// Evaluates thresholds against measured values: pure functions, no I/O.
import { OBJECTIVE_METRICS } from "../model/metrics.ts";
import type { ObjectiveResult } from "../model/result.ts";
import type { Comparator, Threshold } from "./parse.ts";

export function compare(a: number, op: Comparator, b: number): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

/** Nearest-rank percentile of a non-empty sample. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((x, y) => x - y);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1]!;
}

export function aggregate(values: number[], agg: Threshold["aggregate"]): number | null {
  if (values.length === 0) return null;
  switch (agg) {
    case "each":
    case "max":
      return Math.max(...values);
    case "min":
      return Math.min(...values);
    case "mean":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "median":
      return percentile(values, 50);
    default:
      return percentile(values, Number(agg.slice(1)));
  }
}

/**
 * Evaluates one threshold over the values of a metric across repeats. "each" (no aggregate) must
 * hold for every run; a missing value (the metric could not be measured) fails the objective.
 */
export function evaluateThreshold(t: Threshold, values: (number | null | undefined)[]): ObjectiveResult {
  const field = OBJECTIVE_METRICS[t.metric]!.key;
  const present = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (present.length < values.length || present.length === 0) {
    return { metric: field, threshold: t.source, value: null, passed: false };
  }
  if (t.aggregate === "each") {
    // Report the worst value: the one that decides.
    const worst = present.reduce((w, v) => (compare(v, t.op, t.value) ? w : v), present[0]!);
    const failing = present.find((v) => !compare(v, t.op, t.value));
    return { metric: field, threshold: t.source, value: failing ?? worst, passed: failing === undefined };
  }
  const v = aggregate(present, t.aggregate)!;
  return { metric: field, threshold: t.source, value: v, passed: compare(v, t.op, t.value) };
}
