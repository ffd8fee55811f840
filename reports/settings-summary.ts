// The comparison of tools and settings as hyperfine ends its output: per scenario that compares two
// or more, each metric's median ± standard deviation per setting, then how many times faster (or
// smaller) the best one is than each other, with the spread of that ratio. Pure, from results.json.
import type { ComparedMetric, GroupComparison, ScenarioComparison } from "../harness/model/comparison.ts";
import type { ResultsFile } from "../harness/model/results-file.ts";
import { formatMetricValue, type MetricUnit } from "../harness/model/metrics.ts";

/** What the summary shows, in its order, and how a win reads: "{best} {verb} N times {than} {other}". */
export const SUMMARY_METRICS: { key: ComparedMetric; label: string; verb: string; than: string; unit: MetricUnit }[] = [
  { key: "backupMs", label: "backup time", verb: "backed up", than: "faster than", unit: "ms" },
  { key: "restoreMs", label: "restore time", verb: "restored", than: "faster than", unit: "ms" },
  { key: "rtoMs", label: "RTO", verb: "recovered (RTO)", than: "sooner than", unit: "ms" },
  { key: "rpoMs", label: "RPO", verb: "had an RPO", than: "shorter than", unit: "ms" },
  { key: "repoBytes", label: "repository", verb: "stored a repository", than: "smaller than", unit: "bytes" },
  { key: "peakRssBytes", label: "peak RSS", verb: "used", than: "less memory than", unit: "bytes" },
];

/** best's advantage over other: other / best for lower-is-better medians, with the propagated relative sd. */
export function speedup(
  best: { median: number; sd: number; n: number },
  other: { median: number; sd: number; n: number },
) {
  if (!(best.median > 0)) return null;
  const ratio = other.median / best.median;
  const rel = (s: { median: number; sd: number }) => (s.median > 0 ? s.sd / s.median : 0);
  const spread = best.n > 1 && other.n > 1 ? ratio * Math.sqrt(rel(best) ** 2 + rel(other) ** 2) : null;
  return { ratio, spread };
}

const stat = (g: GroupComparison, key: ComparedMetric) => g.metrics[key]?.stats ?? null;

function ratioText(r: { ratio: number; spread: number | null }): string {
  return r.spread === null ? r.ratio.toFixed(2) : `${r.ratio.toFixed(2)} ± ${r.spread.toFixed(2)}`;
}

function scenarioLines(s: ScenarioComparison): string[] {
  const counts = [...new Set(s.groups.map((g) => g.runs))];
  const runs = counts.length === 1 ? `${counts[0]} run${counts[0] === 1 ? "" : "s"} each` : "runs per setting vary";
  const out = [`Comparison of ${s.scenario} (median ± σ, ${runs})`];
  const width = Math.max(...s.groups.map((g) => g.label.length));
  // RPO is left out where it was not ranked (cold drills: no load writer during the backups).
  const ranked = (key: ComparedMetric) => s.groups.some((g) => (g.metrics[key]?.ratioToBest ?? null) !== null);
  const shown = SUMMARY_METRICS.filter((m) => s.groups.filter((g) => stat(g, m.key)).length >= 2 && ranked(m.key));
  const labelW = Math.max(...shown.map((m) => m.label.length));
  for (const m of shown) {
    const measured = s.groups.filter((g) => stat(g, m.key));
    measured.forEach((g, i) => {
      const st = stat(g, m.key)!;
      const value = formatMetricValue(m.unit, st.median);
      const sd = st.n > 1 && st.sd > 0 ? ` ± ${formatMetricValue(m.unit, st.sd)}` : "";
      out.push(`  ${(i === 0 ? m.label : "").padEnd(labelW)}  ${g.label.padEnd(width)}  ${value}${sd}`);
    });
  }
  for (const m of shown) {
    const winners = s.winners[m.key];
    if (!winners) continue;
    // A shared win (equal medians) reads "A and B restored ..."
    const best = s.groups.find((g) => g.label === winners[0])!;
    const others = s.groups.filter((g) => !winners.includes(g.label) && stat(g, m.key));
    const lines = others.flatMap((g) => {
      const r = speedup(stat(best, m.key)!, stat(g, m.key)!);
      return r ? [`    ${ratioText(r)} times ${m.than} ${g.label}`] : [];
    });
    if (lines.length === 0) continue;
    const unclear = s.withinSpread[m.key] ? " (the runner-up's range overlaps: within the spread)" : "";
    out.push(`  ${winners.join(" and ")} ${m.verb}${unclear}`, ...lines);
  }
  if (s.groups.some((g) => g.runs === 1)) out.push("  (single runs: no spread; repeat with --repeat 5 for one)");
  return out;
}

/** The lines for every scenario that compares two or more tools or settings; empty when none does. */
export function renderSettingsSummary(results: Pick<ResultsFile, "comparison">): string[] {
  const scenarios = (results.comparison?.scenarios ?? []).filter((s) => s.groups.length >= 2);
  return scenarios.flatMap((s, i) => [...(i > 0 ? [""] : []), ...scenarioLines(s)]);
}
