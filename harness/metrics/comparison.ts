// The comparison of tools and settings: per scenario and (tool + settings) group, the statistics of each
// metric over the counted runs, its ratio to the best group's median, and the winner per metric. Pure.
import type {
  Comparison,
  ComparedMetric,
  GroupComparison,
  MetricComparison,
  MetricInfo,
  ScenarioComparison,
} from "../model/comparison.ts";
import { COMPARISON_METRICS, type Metrics } from "../model/metrics.ts";
import { DEFAULT_LIMITS, describe, spreadWarnings, type SpreadLimits } from "./statistics.ts";

export type { Comparison, ComparedMetric, GroupComparison, MetricComparison, MetricInfo, ScenarioComparison };

/** What the comparison reads of a run (a RunResult has all of it). */
export interface ComparableRun {
  /** The run's index in the invocation (the report numbers runs index + 1). */
  index: number;
  scenario: string;
  group: string;
  tool: string;
  label: string;
  settings: Record<string, unknown>;
  outcome: string;
  passed: boolean;
  metrics: Metrics;
  /** cold or hot: a hot drill's load writer runs during its backups. */
  mode?: string;
  /** Scheduled backups (a schedule step, or a swept interval): the load writer runs between and during them. */
  scheduleEveryMs?: number;
  intervalMs?: number;
}

/**
 * Whether a load writer ran during the scenario's backups (hot drills, schedules): only then is RPO a
 * property of the tool. In a cold drill it is the time from the backup to the disaster, set by the
 * scenario's own pauses: not ranked.
 */
export function rpoRanked(runs: readonly ComparableRun[]): boolean {
  return runs.some((r) => r.mode === "hot" || r.scheduleEveryMs !== undefined || r.intervalMs !== undefined);
}

/** The catalogue's COMPARISON_METRICS as results.json's `comparison.metrics` describes them. */
const METRICS: MetricInfo[] = COMPARISON_METRICS.map((m) => ({
  key: m.key as ComparedMetric,
  label: m.label,
  better: m.better as "lower" | "higher",
  unit: m.unit,
}));

function value(r: ComparableRun, key: ComparedMetric): number | null {
  if (key !== "repoRatio") return r.metrics[key] ?? null;
  const { repoBytes, sourceBytes } = r.metrics;
  return repoBytes !== null && sourceBytes ? repoBytes / sourceBytes : null;
}

/** Times worse than the best: lower-is-better value / best, higher-is-better best / value (both >= 1). */
export function ratioToBest(median: number, best: number, better: "higher" | "lower"): number | null {
  if (median === best) return 1;
  const [num, den] = better === "lower" ? [median, best] : [best, median];
  return den > 0 && num >= 0 ? num / den : null;
}

const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

function compareScenario(scenario: string, runs: ComparableRun[], limits: SpreadLimits): ScenarioComparison {
  const byGroup = new Map<string, ComparableRun[]>();
  for (const r of runs) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r]);
  const groups: GroupComparison[] = [...byGroup.entries()].map(([group, rs]) => {
    const outcomes: Record<string, number> = {};
    for (const r of rs) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    const metrics = Object.fromEntries(
      METRICS.map((m) => {
        const stats = describe(
          rs.map((r) => value(r, m.key) ?? Number.NaN),
          limits,
        );
        const outlierRuns = (stats?.outliers ?? []).map((i) => rs[i]!.index);
        return [
          m.key,
          { stats, ratioToBest: null, winner: false, outlierRuns, warnings: spreadWarnings(stats, limits) },
        ];
      }),
    ) as Record<ComparedMetric, MetricComparison>;
    return {
      group,
      tool: rs[0]!.tool,
      label: rs[0]!.label,
      settings: rs[0]!.settings,
      runs: rs.length,
      passed: rs.filter((r) => r.passed).length,
      outcomes,
      metrics,
    };
  });

  const winners: ScenarioComparison["winners"] = {};
  const withinSpread: ScenarioComparison["withinSpread"] = {};
  const isRanked = (key: ComparedMetric) => key !== "rpoMs" || rpoRanked(runs);
  for (const m of METRICS) {
    if (!isRanked(m.key)) continue;
    const measured = groups.filter((g) => g.metrics[m.key].stats);
    if (measured.length === 0) continue;
    const med = (g: GroupComparison) => g.metrics[m.key].stats!.median;
    const ranked = [...measured].sort((a, b) => (m.better === "lower" ? med(a) - med(b) : med(b) - med(a)));
    const best = med(ranked[0]!);
    for (const g of measured) g.metrics[m.key].ratioToBest = ratioToBest(med(g), best, m.better);
    if (measured.length < 2) continue;
    const top = ranked.filter((g) => same(med(g), best));
    for (const g of top) g.metrics[m.key].winner = true;
    winners[m.key] = top.map((g) => g.label);
    const w = ranked[0]!.metrics[m.key].stats!;
    const next = ranked[top.length]?.metrics[m.key].stats;
    if (next && w.n >= 2 && next.n >= 2) withinSpread[m.key] = w.min <= next.max && next.min <= w.max;
  }

  const notes: string[] = [];
  const fewest = Math.min(...groups.map((g) => g.runs));
  if (fewest < 3)
    notes.push(
      `${fewest === 1 ? "one run" : `${fewest} runs`} per group at the least: medians without a spread worth ` +
        `judging; use --repeat 3 or more`,
    );
  if (!isRanked("rpoMs") && groups.length > 1 && groups.some((g) => g.metrics.rpoMs.stats))
    notes.push(
      "RPO not ranked: no load writer ran during the backups (cold drills), so RPO is the time from the backup " +
        "to the disaster that the scenario sets, not the tool's; rank it with mode: hot or a schedule",
    );
  const unclear = Object.entries(withinSpread)
    .filter(([, v]) => v)
    .map(([k]) => METRICS.find((m) => m.key === k)!.label);
  if (unclear.length > 0) notes.push(`no clear winner (best and runner-up ranges overlap) for: ${unclear.join(", ")}`);
  return { scenario, groups, winners, withinSpread, notes };
}

/** The comparison of every scenario's groups, in the order the runs appear. */
export function compareRuns(runs: readonly ComparableRun[], limits: SpreadLimits = DEFAULT_LIMITS): Comparison {
  const byScenario = new Map<string, ComparableRun[]>();
  for (const r of runs) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  return {
    metrics: [...METRICS],
    limits,
    scenarios: [...byScenario.entries()].map(([s, rs]) => compareScenario(s, rs, limits)),
  };
}
