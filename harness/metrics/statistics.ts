// Statistics of repeated measurements, as hyperfine reports them: median, mean, min, max, standard
// deviation, outliers by modified z-score (MAD), and a warning when the spread is too wide to compare.

import type { SampleStats, SpreadLimits } from "../model/comparison.ts";

export type { SampleStats, SpreadLimits };

/** Fewer runs than this flag no outliers: with 3 or 4, one slow run is as likely the rule as the exception. */
export const MIN_OUTLIER_RUNS = 5;

export const DEFAULT_LIMITS: SpreadLimits = {
  maxRsd: 0.1,
  maxRangeRatio: 0.25,
  outlierZ: 3.5,
  minRelativeDeviation: 0.01,
};

const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort();

function middle(s: Float64Array): number {
  if (s.length === 0) return Number.NaN;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function median(xs: readonly number[]): number {
  return middle(sorted(xs));
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (divides by n - 1), 0 for fewer than two values. */
export function standardDeviation(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Median and MAD with one sort each. */
function centre(xs: readonly number[]): { med: number; mad: number } {
  const med = median(xs);
  return { med, mad: median(xs.map((x) => Math.abs(x - med))) };
}

export function medianAbsoluteDeviation(xs: readonly number[]): number {
  return centre(xs).mad;
}

function zScores(xs: readonly number[], med: number, mad: number): number[] {
  if (mad > 0) return xs.map((x) => (0.6745 * (x - med)) / mad);
  const meanAd = mean(xs.map((x) => Math.abs(x - med)));
  return xs.map((x) => (meanAd === 0 ? 0 : (x - med) / (1.253314 * meanAd)));
}

/**
 * Modified z-scores 0.6745 (x - median) / MAD (Iglewicz and Hoaglin, as hyperfine). When MAD is 0 (more
 * than half the values equal), hyperfine divides by zero; here the mean absolute deviation stands in,
 * scaled to match: (x - median) / (1.253314 MeanAD), the usual fallback. All values equal: all 0.
 */
export function modifiedZScores(xs: readonly number[]): number[] {
  const { med, mad } = centre(xs);
  return zScores(xs, med, mad);
}

function outliersOf(xs: readonly number[], med: number, mad: number, limit: number, minRelative: number): number[] {
  return zScores(xs, med, mad).flatMap((z, i) =>
    Math.abs(z) > limit && Math.abs(xs[i]! - med) > minRelative * Math.abs(med) ? [i] : [],
  );
}

/**
 * Values whose |modified z-score| exceeds `limit`, unless they differ from the median by less than
 * `minRelative` of it (a repository a few bytes larger is not an outlier, however tight the rest).
 */
export function outlierIndices(
  xs: readonly number[],
  limit = DEFAULT_LIMITS.outlierZ,
  minRelative = DEFAULT_LIMITS.minRelativeDeviation,
): number[] {
  const { med, mad } = centre(xs);
  return outliersOf(xs, med, mad, limit, minRelative);
}

/** All statistics of a sample; null for an empty one. Non-finite values are ignored. */
export function describe(values: readonly number[], limits: SpreadLimits = DEFAULT_LIMITS): SampleStats | null {
  const at = values.flatMap((v, i) => (Number.isFinite(v) ? [i] : []));
  const xs = at.map((i) => values[i]!);
  if (xs.length === 0) return null;
  const s = sorted(xs);
  const med = middle(s);
  const mad = median(xs.map((x) => Math.abs(x - med)));
  const avg = mean(xs);
  const sd = standardDeviation(xs);
  const min = s[0]!;
  const max = s[s.length - 1]!;
  return {
    n: xs.length,
    min,
    max,
    median: med,
    mean: avg,
    sd,
    mad,
    rsd: avg === 0 ? 0 : sd / Math.abs(avg),
    rangeRatio: med === 0 ? 0 : (max - min) / Math.abs(med),
    outliers:
      xs.length >= MIN_OUTLIER_RUNS
        ? outliersOf(xs, med, mad, limits.outlierZ, limits.minRelativeDeviation).map((i) => at[i]!)
        : [],
  };
}

/**
 * What a reader should be told before trusting a comparison of this sample, hyperfine-style, each
 * naming the measure and the limit that tripped. Empty when nothing is wrong (or n < 2: no spread).
 */
export function spreadWarnings(st: SampleStats | null, limits: SpreadLimits = DEFAULT_LIMITS): string[] {
  if (!st) return [];
  const out: string[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)} %`;
  if (st.outliers.length > 0) {
    out.push(`${st.outliers.length} outlier(s) by modified z-score > ${limits.outlierZ}`);
  }
  if (st.n >= 2 && st.rsd > limits.maxRsd)
    out.push(`relative standard deviation ${pct(st.rsd)} > ${pct(limits.maxRsd)}: too wide to compare`);
  if (st.n >= 2 && st.rangeRatio > limits.maxRangeRatio)
    out.push(`(max - min) / median ${pct(st.rangeRatio)} > ${pct(limits.maxRangeRatio)}: too wide to compare`);
  return out;
}
