// The metrics `drdrill compare` weighs: which way is better, how to print them, and whether the
// timing-noise floor applies (it does to times, and to rates through the time they stand for).
import type { Metrics } from "../metrics/compute.ts";
import { formatBytes, formatDuration, formatRate } from "../util/units.ts";

export type MetricName = keyof Metrics;

export interface MetricKind {
  name: MetricName;
  label: string;
  better: "lower" | "higher";
  unit: "ms" | "bytes" | "rate";
  format(v: number): string;
}

const time = (name: MetricName, label: string): MetricKind => ({ name, label, better: "lower", unit: "ms", format: formatDuration });
const bytes = (name: MetricName, label: string): MetricKind => ({ name, label, better: "lower", unit: "bytes", format: formatBytes });
const rate = (name: MetricName, label: string): MetricKind => ({ name, label, better: "higher", unit: "rate", format: formatRate });

/** In the order a reader looks for them; sourceBytes is the input, not a result, so it is not judged. */
export const COMPARED_METRICS: MetricKind[] = [
  time("rtoMs", "RTO"),
  time("rpoMs", "RPO"),
  time("downtimeMs", "downtime"),
  rate("backupThroughputBps", "backup rate"),
  rate("restoreThroughputBps", "restore rate"),
  time("backupMs", "backup time"),
  time("restoreMs", "restore time"),
  bytes("repoBytes", "repo size"),
  bytes("peakRssBytes", "peak RSS"),
  time("cpuMs", "CPU time"),
];
