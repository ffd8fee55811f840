// The comparison of tools and settings as results.json holds it (`comparison`): per scenario and
// tool + settings group, statistics of each compared metric, the ratio to the best, the winners.
import type { MetricKey, MetricUnit } from "./metrics.ts";

export interface SampleStats {
  n: number;
  min: number;
  max: number;
  median: number;
  mean: number;
  /** Sample standard deviation (n - 1); 0 for one value. */
  sd: number;
  /** Median absolute deviation from the median (unscaled). */
  mad: number;
  /** sd / |mean|: the coefficient of variation; 0 when the mean is 0. */
  rsd: number;
  /** (max - min) / |median|; 0 when the median is 0. */
  rangeRatio: number;
  /** Positions in the input of the values whose |modified z-score| exceeds the limit (needs n >= 5). */
  outliers: number[];
}

/** When the spread is "too wide to compare": either limit exceeded (with at least `minN` values). */
export interface SpreadLimits {
  /** Largest coefficient of variation (sd / mean) still comparable; default 0.10 (10 %). */
  maxRsd: number;
  /** Largest (max - min) / median still comparable; default 0.25 (25 %). */
  maxRangeRatio: number;
  /** |0.6745 (x - median) / MAD| above this is an outlier (Iglewicz and Hoaglin; hyperfine): 3.5. */
  outlierZ: number;
  /** ... and only when it differs from the median by more than this share of it; default 0.01 (1 %). */
  minRelativeDeviation: number;
}

/** A metric of the catalogue marked `compared`, or the derived repo / source ratio. */
export type ComparedMetric = MetricKey | "repoRatio";

export interface MetricInfo {
  key: ComparedMetric;
  label: string;
  better: "higher" | "lower";
  unit: MetricUnit;
}

export interface MetricComparison {
  stats: SampleStats | null;
  /** How many times worse the median is than the best group's (1 = best); null when not measured. */
  ratioToBest: number | null;
  winner: boolean;
  /** Indexes of the runs whose value is an outlier (modified z-score). */
  outlierRuns: number[];
  /** Spread and outlier warnings (statistics.ts), each naming the limit it exceeded. */
  warnings: string[];
}

export interface GroupComparison {
  group: string;
  tool: string;
  label: string;
  settings: Record<string, unknown>;
  runs: number;
  passed: number;
  outcomes: Record<string, number>;
  /** Keyed by the compared metrics (the catalogue's COMPARISON_METRICS). */
  metrics: Record<string, MetricComparison>;
}

export interface ScenarioComparison {
  scenario: string;
  groups: GroupComparison[];
  /** Labels of the group(s) with the best median, per metric that at least two groups measured. */
  winners: Partial<Record<ComparedMetric, string[]>>;
  /** True when the winner's min-max range overlaps the runner-up's (both with 2+ runs): not a clear win. */
  withinSpread: Partial<Record<ComparedMetric, boolean>>;
  notes: string[];
}

export interface Comparison {
  metrics: MetricInfo[];
  limits: SpreadLimits;
  scenarios: ScenarioComparison[];
}
