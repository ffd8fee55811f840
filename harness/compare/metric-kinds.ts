// The metrics `drdrill compare` weighs, from the metric catalogue: which way is better, how to print
// them, and whether the timing-noise floor applies (to times, and to rates through the time they stand for).
import { formatMetricValue, RUN_METRICS, type MetricKey } from "../model/metrics.ts";

export type MetricName = MetricKey;

export interface MetricKind {
  name: MetricName;
  label: string;
  better: "lower" | "higher";
  unit: "ms" | "bytes" | "rate";
  format(v: number): string;
}

/** In the catalogue's order; sourceBytes is the input, not a result, so it is not judged. */
export const COMPARED_METRICS: MetricKind[] = RUN_METRICS.filter((m) => m.judged && m.better !== null).map((m) => ({
  name: m.key,
  label: m.label,
  better: m.better!,
  unit: m.unit === "Bps" ? "rate" : m.unit === "ms" ? "ms" : "bytes",
  format: (v: number) => formatMetricValue(m.unit, v),
}));
