// The "Comparison" section of report.md: per scenario, one row per tool + settings with each metric's
// median, spread, ratio to the best and the winner; then the warnings about spread and outliers.
import type { Comparison, GroupComparison, MetricInfo, ScenarioComparison } from "../harness/metrics/comparison.ts";
import type { WarmupRun } from "../harness/model/results-file.ts";
import { formatMetricValue } from "../harness/model/metrics.ts";
import { escapeMd } from "./format.ts";

function cell(g: GroupComparison, m: MetricInfo): string {
  const c = g.metrics[m.key];
  if (!c.stats) return "-";
  const sd = c.stats.n >= 2 ? ` ±${formatMetricValue(m.unit, c.stats.sd)}` : "";
  const rank = c.winner
    ? " **best**"
    : c.ratioToBest !== null && c.ratioToBest !== 1
      ? ` ×${c.ratioToBest.toFixed(2)}`
      : "";
  const warn = c.warnings.length > 0 ? " (!)" : "";
  const median = formatMetricValue(m.unit, c.stats.median);
  return `${c.winner ? `**${median}**` : median}${sd}${rank}${warn}`;
}

function outcomes(g: GroupComparison): string {
  return Object.entries(g.outcomes)
    .map(([o, n]) => `${n} ${o}`)
    .join(", ");
}

function scenarioSection(s: ScenarioComparison, metrics: MetricInfo[]): string[] {
  const shown = metrics.filter((m) => s.groups.some((g) => g.metrics[m.key].stats));
  const out = [
    `### ${s.scenario}`,
    "",
    `| tool / settings | runs | outcomes | ${shown.map((m) => `${m.label} (${m.better} is better)`).join(" | ")} |`,
    `|---|---|---|${"---|".repeat(shown.length)}`,
    ...s.groups.map(
      (g) => `| ${escapeMd(g.label)} | ${g.runs} | ${outcomes(g)} | ${shown.map((m) => cell(g, m)).join(" | ")} |`,
    ),
    "",
  ];
  const won = shown
    .filter((m) => s.winners[m.key])
    .map(
      (m) =>
        `${m.label}: ${s.winners[m.key]!.map(escapeMd).join(", ")}` +
        `${s.withinSpread[m.key] ? " (within the spread)" : ""}`,
    );
  if (won.length > 0) out.push(`Best per metric: ${won.join("; ")}.`, "");
  const warnings = s.groups.flatMap((g) =>
    shown.flatMap((m) => {
      const c = g.metrics[m.key];
      const runs =
        c.outlierRuns.length > 0 ? ` (outliers: run ${c.outlierRuns.map((i) => `#${i + 1}`).join(", ")})` : "";
      return c.warnings.length > 0 ? [`- (!) ${escapeMd(g.label)}, ${m.label}: ${c.warnings.join("; ")}${runs}`] : [];
    }),
  );
  for (const n of s.notes) out.push(`- Note: ${n}.`);
  out.push(...warnings);
  if (s.notes.length + warnings.length > 0) out.push("");
  return out;
}

/** Lines of the section; empty when there is nothing to compare (one group with one run per scenario). */
export function renderComparison(c: Comparison, warmups: readonly WarmupRun[] = []): string[] {
  const worth = c.scenarios.filter((s) => s.groups.length > 1 || s.groups.some((g) => g.runs > 1));
  if (worth.length === 0) return [];
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  const warm = warmups.map((w) => `${escapeMd(w.group)}: ${w.outcome} (logs/run-${w.index + 1})`);
  return [
    "## Comparison",
    "",
    `Medians over the counted runs of each tool and settings (warm-up runs are not counted); ±: sample ` +
      `standard deviation; ×N: N times worse than the best median; **best**: the winner per metric. (!): spread ` +
      `wider than ${pct(c.limits.maxRsd)} relative standard deviation or ${pct(c.limits.maxRangeRatio)} (max - ` +
      `min) / median, or an outlier by modified z-score > ${c.limits.outlierZ}: too noisy to rank; try --warmup, ` +
      `more repeats, or a quieter machine.`,
    "",
    ...(warm.length > 0 ? [`Warm-up runs, not counted: ${warm.join("; ")}.`, ""] : []),
    ...worth.flatMap((s) => scenarioSection(s, c.metrics)),
  ];
}
