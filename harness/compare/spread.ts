// The spread of one metric over repeated runs (n, min, max, median, mean, sd, and the values for the
// rank test), from the shared statistics of harness/metrics; missing values (a metric a run could not
// measure) are left out.
import { describe, type SampleStats } from "../metrics/statistics.ts";

export type Spread = Pick<SampleStats, "n" | "min" | "max" | "median" | "mean" | "sd"> & { values: number[] };

/** Summarises the finite numbers among `values`; null when there are none. */
export function spreadOf(values: readonly (number | null | undefined)[]): Spread | null {
  const xs = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const s = describe(xs);
  return s && { n: s.n, min: s.min, max: s.max, median: s.median, mean: s.mean, sd: s.sd, values: xs };
}
