// The Mann-Whitney U test (Wilcoxon rank-sum) of two samples: whether one tends to be larger than the
// other, from ranks alone (no normality assumed, one wild run moves it little). Exact p-values by
// counting every split of the pooled ranks (ties included, as midranks) up to 40 values; the normal
// approximation with tie and continuity corrections beyond. Pure.

export interface RankTest {
  /** Mann-Whitney U of the first sample: pairs (a, b) with a > b, ties counting one half. */
  u: number;
  /** Two-sided p-value: how often a split as extreme as this one comes by chance. */
  p: number;
  method: "exact" | "normal";
}

/** Largest pooled sample counted exactly (C(40, 20) splits fit a double exactly). */
const EXACT_MAX = 40;

/** Ranks 1..N of the pooled values, doubled (ties take their midrank, so doubled ranks stay integers). */
function doubledRanks(pooled: readonly number[]): number[] {
  const order = pooled.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(pooled.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = i + 1 + (j + 1); // 2 x midrank of positions i+1..j+1
    i = j + 1;
  }
  return out;
}

/** How many ways to choose n of `ranks` give each doubled rank sum: counts[s]. */
function rankSumCounts(ranks: readonly number[], n: number): Float64Array[] {
  const total = ranks.reduce((a, b) => a + b, 0);
  // dp[k][s]: subsets of size k with doubled rank sum s
  const dp = Array.from({ length: n + 1 }, () => new Float64Array(total + 1));
  dp[0]![0] = 1;
  for (const r of ranks) {
    for (let k = n; k >= 1; k--) {
      const to = dp[k]!;
      const from = dp[k - 1]!;
      for (let s = total; s >= r; s--) if (from[s - r]! > 0) to[s]! += from[s - r]!;
    }
  }
  return dp;
}

/** The Mann-Whitney U test of `a` against `b`; null when either sample is empty. */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest | null {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return null;
  const ranks = doubledRanks([...a, ...b]);
  const w2 = ranks.slice(0, n).reduce((s, r) => s + r, 0);
  const u = w2 / 2 - (n * (n + 1)) / 2;
  const mean2 = n * (n + m + 1); // E[2W]
  const dev = Math.abs(w2 - mean2);
  if (n + m <= EXACT_MAX) {
    const counts = rankSumCounts(ranks, n)[n]!;
    let extreme = 0;
    let all = 0;
    for (let s = 0; s < counts.length; s++) {
      const c = counts[s]!;
      if (c === 0) continue;
      all += c;
      if (Math.abs(s - mean2) >= dev - 1e-9) extreme += c;
    }
    return { u, p: Math.min(1, extreme / all), method: "exact" };
  }
  // Normal approximation: variance with the tie correction, 0.5 continuity correction on U.
  const N = n + m;
  const ties = new Map<number, number>();
  for (const r of ranks) ties.set(r, (ties.get(r) ?? 0) + 1);
  const tieSum = [...ties.values()].reduce((s, t) => s + (t ** 3 - t), 0);
  const variance = ((n * m) / 12) * (N + 1 - tieSum / (N * (N - 1)));
  if (variance <= 0) return { u, p: 1, method: "normal" };
  const z = Math.max(0, Math.abs(u - (n * m) / 2) - 0.5) / Math.sqrt(variance);
  return { u, p: Math.min(1, 2 * (1 - normalCdf(z))), method: "normal" };
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 through erf; error below 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}

/** The smallest two-sided p-value samples of n and m distinct values can reach (complete separation). */
export function smallestP(n: number, m: number): number {
  return n === 0 || m === 0 ? 1 : Math.min(1, 2 / choose(n + m, n));
}

/** Runs a side needs (the same on both) before the test can reach `alpha` at all. */
export function runsNeeded(alpha: number): number {
  let k = 1;
  while (smallestP(k, k) >= alpha && k < 100) k++;
  return k;
}
