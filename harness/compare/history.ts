// `drdrill history`'s model: the runs of many run folders, one series per scenario in time order
// (outcome, RTO, RPO, restore time, point age), with the latest breach of each objective marked.
import type { ResultsFile } from "../model/results-file.ts";

/** The metrics a history follows; pointAgeMs is absent from runs that did not measure it. */
export const HISTORY_METRICS = ["rtoMs", "rpoMs", "restoreMs", "pointAgeMs"] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

export interface HistoryRow {
  /** When the run folder's invocation started (ISO). */
  startedAt: string;
  runId: string;
  /** The folder the results.json was read from. */
  folder: string;
  tool: string;
  label: string;
  outcome: string;
  passed: boolean;
  values: Record<HistoryMetric, number | null>;
  /** Metrics whose objective this run missed. */
  breached: string[];
  /** Metrics whose latest breach (in this scenario's history) is this run. */
  latestBreach: string[];
}

export interface ScenarioHistory {
  scenario: string;
  rows: HistoryRow[];
}

export interface HistoryInput {
  dir: string;
  results: ResultsFile;
}

function metricValue(metrics: unknown, key: string): number | null {
  const v = (metrics as Record<string, unknown> | undefined)?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function buildHistory(folders: HistoryInput[]): ScenarioHistory[] {
  const byScenario = new Map<string, HistoryRow[]>();
  for (const { dir, results } of folders) {
    for (const r of results.results) {
      const values = Object.fromEntries(HISTORY_METRICS.map((m) => [m, metricValue(r.metrics, m)])) as Record<
        HistoryMetric,
        number | null
      >;
      const row: HistoryRow = {
        startedAt: results.startedAt,
        runId: results.runId,
        folder: dir,
        tool: r.tool,
        label: r.label,
        outcome: r.outcome,
        passed: r.passed,
        values,
        breached: (r.objectives ?? []).filter((o) => !o.passed).map((o) => o.metric),
        latestBreach: [],
      };
      const rows = byScenario.get(r.scenario) ?? [];
      rows.push(row);
      byScenario.set(r.scenario, rows);
    }
  }
  const out: ScenarioHistory[] = [];
  for (const [scenario, rows] of [...byScenario].sort(([a], [b]) => a.localeCompare(b))) {
    rows.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const marked = new Set<string>();
    for (let i = rows.length - 1; i >= 0; i--) {
      for (const metric of rows[i]!.breached) {
        if (marked.has(metric)) continue;
        marked.add(metric);
        rows[i]!.latestBreach.push(metric);
      }
    }
    out.push({ scenario, rows });
  }
  return out;
}
