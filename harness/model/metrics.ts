// The one catalogue of what drdrill measures: each metric's results.json name, label, unit, which
// way is better, its objective name, and whether the tools comparison and `drdrill compare` weigh it.
// Results, objectives, the comparison, compare and the reports all derive from this list.
import { formatBytes, formatDuration, formatRate } from "../util/units.ts";

export type MetricUnit = "ms" | "bytes" | "Bps" | "ratio" | "count";

/**
 * How `drdrill compare` judges a metric: times, rates and memory vary from run to run and are judged
 * against their measured noise; sizes (bytes) are judged by their change alone.
 */
export type EffectKind = "time" | "rate" | "bytes" | "memory";

export const EFFECT_KINDS: readonly EffectKind[] = ["time", "rate", "bytes", "memory"];

/** The kinds whose values vary from run to run: judged against the noise measured on both sides. */
export const NOISY_EFFECTS: readonly EffectKind[] = ["time", "rate", "memory"];

export interface MetricDef<K extends string = string> {
  key: K;
  label: string;
  /** A shorter heading for narrow tables; default the label. */
  short?: string;
  /** One line for tooltips and the README. */
  title: string;
  unit: MetricUnit;
  /** null: an input of the run (the data's size), never judged. */
  better: "lower" | "higher" | null;
  /** The name a scenario's `objectives` use, when it can have one. */
  objective?: string;
  /** In the tools comparison (per tool and settings: median, spread, ratio to the best). */
  compared: boolean;
  /** Weighed by `drdrill compare` for regressions. */
  judged: boolean;
  /** What kind of quantity `drdrill compare` judges it as (its noise and its minimum effect): judged metrics only. */
  effect?: EffectKind;
  /** The report tables that show it as a column (in the catalogue's order); see METRIC_TABLES. */
  tables: readonly MetricTable[];
}

/** The tables whose metric columns come from this catalogue. */
export const METRIC_TABLES = {
  runs: "the runs table of report.md and index.html",
  summary: "the console's line per run at the end of `drdrill run`",
  evidence: "the evidence bundle's SUMMARY.md",
  faults: "report.md's faults table",
  site: "report.md's secondary-site table",
} as const;

export type MetricTable = keyof typeof METRIC_TABLES;

const def = <K extends string>(d: MetricDef<K>) => d;

/** Metrics measured for every run (results[].metrics), in the order a reader looks for them. */
export const RUN_METRICS = [
  def({
    key: "rtoMs",
    label: "RTO",
    title: "fault to first passing health check after restore and the fix-up `run` steps after it",
    unit: "ms",
    better: "lower",
    objective: "rto",
    compared: true,
    judged: true,
    effect: "time",
    tables: ["runs", "summary", "evidence", "faults"],
  }),
  def({
    key: "rpoMs",
    label: "RPO",
    title: "fault back to the newest write that survived",
    unit: "ms",
    better: "lower",
    objective: "rpo",
    compared: true,
    judged: true,
    effect: "time",
    tables: ["runs", "summary", "evidence", "faults"],
  }),
  def({
    key: "pointAgeMs",
    label: "point age",
    title: "age of the restored backup when the disaster struck (a restore test: when the test started)",
    unit: "ms",
    better: "lower",
    objective: "pointAge",
    compared: false,
    judged: false,
    tables: [],
  }),
  def({
    key: "writesLost",
    label: "writes lost",
    title: "load-writer records written after the restored backup and before the disaster (counted)",
    unit: "count",
    better: "lower",
    objective: "writesLost",
    compared: false,
    judged: false,
    tables: ["runs"],
  }),
  def({
    key: "downtimeMs",
    label: "downtime",
    title: "services down for backups",
    unit: "ms",
    better: "lower",
    objective: "downtime",
    compared: false,
    judged: true,
    effect: "time",
    tables: ["runs", "evidence"],
  }),
  def({
    key: "backupThroughputBps",
    label: "backup rate",
    title: "source bytes / backup wall time",
    unit: "Bps",
    better: "higher",
    objective: "backupThroughput",
    compared: true,
    judged: true,
    effect: "rate",
    tables: ["runs", "summary", "evidence"],
  }),
  def({
    key: "restoreThroughputBps",
    label: "restore rate",
    title: "source bytes / restore wall time",
    unit: "Bps",
    better: "higher",
    objective: "restoreThroughput",
    compared: true,
    judged: true,
    effect: "rate",
    tables: ["runs", "summary", "evidence"],
  }),
  def({
    key: "backupMs",
    label: "backup time",
    title: "wall time of the (full) backup command",
    unit: "ms",
    better: "lower",
    objective: "backupTime",
    compared: true,
    judged: true,
    effect: "time",
    tables: ["runs", "site"],
  }),
  def({
    key: "restoreMs",
    label: "restore time",
    title: "wall time of the restore command",
    unit: "ms",
    better: "lower",
    objective: "restoreTime",
    compared: true,
    judged: true,
    effect: "time",
    tables: ["runs", "site"],
  }),
  def({
    key: "sourceBytes",
    label: "source",
    title: "size of the protected data",
    unit: "bytes",
    better: null,
    compared: false,
    judged: false,
    tables: ["runs", "evidence"],
  }),
  def({
    key: "repoBytes",
    label: "repository",
    short: "repo",
    title: "size of the backup repository",
    unit: "bytes",
    better: "lower",
    objective: "repoSize",
    compared: true,
    judged: true,
    effect: "bytes",
    tables: ["runs", "summary", "evidence"],
  }),
  def({
    key: "peakRssBytes",
    label: "peak RSS",
    title: "peak resident memory of the tool's process tree",
    unit: "bytes",
    better: "lower",
    objective: "peakRss",
    compared: true,
    judged: true,
    effect: "memory",
    tables: ["runs"],
  }),
  def({
    key: "siteBytesSent",
    label: "bytes to site",
    title: "bytes the secondary site received during backups (its interface's counter)",
    unit: "bytes",
    better: "lower",
    objective: "bytesToSite",
    compared: true,
    judged: true,
    effect: "bytes",
    tables: ["site"],
  }),
  def({
    key: "siteBytesRestored",
    label: "bytes from site",
    title: "bytes the secondary site sent during restores",
    unit: "bytes",
    better: "lower",
    compared: false,
    judged: false,
    tables: ["site"],
  }),
  def({
    key: "replicationLagMs",
    label: "replication lag",
    title: "median lag of the replica behind the primary while it replicated (what replication products call RPO)",
    unit: "ms",
    better: "lower",
    objective: "replicationLag",
    compared: true,
    judged: true,
    effect: "time",
    tables: [],
  }),
  def({
    key: "replicationLagMaxMs",
    label: "max replication lag",
    title: "the largest lag sampled",
    unit: "ms",
    better: "lower",
    compared: false,
    judged: false,
    tables: [],
  }),
  def({
    key: "cpuMs",
    label: "CPU time",
    short: "CPU",
    title: "CPU time of the tool's process tree",
    unit: "ms",
    better: "lower",
    objective: "cpu",
    compared: true,
    judged: true,
    effect: "time",
    tables: ["runs"],
  }),
] as const;

export type MetricKey = (typeof RUN_METRICS)[number]["key"];

/** Metrics added after results.json's first version: absent from older files (read them as not measured). */
export type AddedMetricKey = "siteBytesSent" | "siteBytesRestored" | "replicationLagMs" | "replicationLagMaxMs";

/** One run's metrics (results[].metrics): null where a metric could not be measured. */
export type Metrics = Record<Exclude<MetricKey, AddedMetricKey>, number | null> &
  Partial<Record<AddedMetricKey, number | null>>;

/** Derived from two metrics for the comparison only: repository size per source byte. */
export const REPO_RATIO = def({
  key: "repoRatio",
  label: "repo / source",
  title: "repository bytes per source byte",
  unit: "ratio",
  better: "lower",
  compared: true,
  judged: false,
  tables: [],
});

export function formatMetricValue(unit: MetricUnit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "-";
  if (unit === "Bps") return formatRate(v);
  if (unit === "bytes") return formatBytes(v);
  if (unit === "ms") return formatDuration(v);
  if (unit === "count") return String(Math.round(v));
  return v.toFixed(2);
}

export function metricDef(key: string): MetricDef | undefined {
  return [...RUN_METRICS, REPO_RATIO].find((m) => m.key === key);
}

/** The metric columns of one report table, in the catalogue's order. */
export function metricsIn(table: MetricTable): MetricDef<MetricKey>[] {
  return RUN_METRICS.filter((m) => (m.tables as readonly MetricTable[]).includes(table));
}

/** A metric's column heading: its short name where it has one. */
export const metricHeading = (m: MetricDef): string => m.short ?? m.label;

/** The metrics the tools comparison weighs (results.json's `comparison`): those marked `compared`, and repo/source. */
export const COMPARISON_METRICS: MetricDef[] = [...RUN_METRICS.filter((m) => m.compared), REPO_RATIO];

/** The metrics `drdrill compare` judges for regressions: those marked `judged`. */
export const JUDGED_METRICS: MetricDef<MetricKey>[] = RUN_METRICS.filter((m) => m.judged && m.better !== null);

/** The objectives a scenario can set: objective name -> metric. */
export const OBJECTIVE_METRICS: Record<string, MetricDef<MetricKey>> = Object.fromEntries(
  RUN_METRICS.filter((m) => "objective" in m && m.objective).map((m) => [
    (m as MetricDef).objective!,
    m as MetricDef<MetricKey>,
  ]),
);

export const OBJECTIVE_NAMES = Object.keys(OBJECTIVE_METRICS);

/** A value named by its metric key or objective name (an objective's result), in that metric's unit. */
export function formatNamedMetric(name: string, v: number | null): string {
  if (v === null) return "not measured";
  const unit = (metricDef(name) ?? OBJECTIVE_METRICS[name])?.unit;
  if (unit) return formatMetricValue(unit, v);
  // Not in this catalogue (a results.json from another version): the name's suffix tells.
  if (name.endsWith("Bps")) return formatRate(v);
  if (name.endsWith("Bytes")) return formatBytes(v);
  return formatDuration(v);
}
