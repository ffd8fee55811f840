// Applies a scenario's objectives to its runs (aggregates across repeats of one tool/settings group)
// and decides whether each run passed.
import { evaluateThreshold } from "../objectives/evaluate.ts";
import { OBJECTIVE_METRICS } from "../model/metrics.ts";
import type { Threshold } from "../objectives/parse.ts";
import type { Metrics } from "../metrics/compute.ts";
import type { RunResult } from "../model/result.ts";

export function applyObjectives(results: RunResult[], thresholdsOf: (r: RunResult) => Threshold[]): void {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) groups.set(r.group, [...(groups.get(r.group) ?? []), r]);
  for (const r of results) {
    const group = groups.get(r.group)!;
    r.objectives = thresholdsOf(r).map((t) => {
      const field = OBJECTIVE_METRICS[t.metric]!.key as keyof Metrics;
      const values = t.aggregate === "each" ? [r.metrics[field]] : group.map((g) => g.metrics[field]);
      return evaluateThreshold(t, values);
    });
    r.passed =
      r.expected.includes(r.outcome) && r.outcome !== "silent-corruption" && r.objectives.every((o) => o.passed);
  }
}
