// Whether one metric's change between two sets of runs is a regression, an improvement or noise.
// A change counts only when it exceeds the minimum effect of its kind (relative and absolute), and,
// for times, rates and memory, when the runs on both sides tell it from noise: a Mann-Whitney U test
// at the stated confidence. Too few runs for that test: not judged (--strict: the minimum effect and
// both runs' min-max decide). Sizes are judged by their change alone. Pure function.
import { NOISY_EFFECTS, type EffectKind, type MetricDef, type MetricKey } from "../model/metrics.ts";
import { mannWhitney, runsNeeded, smallestP } from "../metrics/mann-whitney.ts";
import { formatBytes } from "../util/units.ts";
import type { Spread } from "./spread.ts";

/** A metric `drdrill compare` judges (the catalogue's JUDGED_METRICS): it has a better direction and an effect kind. */
export type JudgedMetric = MetricDef<MetricKey>;

/** The smallest change that counts: both the relative and the absolute one must be exceeded. */
export interface MinEffect {
  /** Percent of the base median. */
  pct: number;
  /** Time (ms) for times and rates (the time a rate stands for, over the data's size); bytes for sizes and memory. */
  abs: number;
}

export interface JudgeOptions {
  minEffect: Record<EffectKind, MinEffect>;
  /** Confidence of the rank test, between 0 and 1 (0.99: p below 0.01). */
  confidence: number;
  /** Judge times, rates and memory of too few runs by the minimum effect and both runs' min-max alone. */
  strict: boolean;
}

export const DEFAULT_MIN_EFFECT: Record<EffectKind, MinEffect> = {
  time: { pct: 10, abs: 1000 },
  rate: { pct: 10, abs: 1000 },
  bytes: { pct: 10, abs: 1_000_000 },
  memory: { pct: 10, abs: 8_000_000 },
};

export const DEFAULT_CONFIDENCE = 0.99;

/** What `drdrill compare` judges by when no option says otherwise. */
export const DEFAULT_JUDGE: JudgeOptions = {
  minEffect: DEFAULT_MIN_EFFECT,
  confidence: DEFAULT_CONFIDENCE,
  strict: false,
};

export type ChangeVerdict = "regression" | "improvement" | "noise" | "unchanged" | "not-judged" | "not-compared";

export interface Judgement {
  verdict: ChangeVerdict;
  /** Signed relative change of the median, in percent; null when there is no base to divide by. */
  changePct: number | null;
  /** Why the verdict: the gate that held a change back, or what it exceeded. */
  why: string;
  /** The rank test, when it was run. */
  test?: { method: "Mann-Whitney U"; p: number; runs: [number, number] };
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

const pct = (x: number) => `${Math.round(x * 10) / 10}%`;

/** The minimum effect in words: "10% and 1 s". */
export function minEffectText(kind: EffectKind, m: MinEffect): string {
  const abs = kind === "time" || kind === "rate" ? fmtMs(m.abs) : formatBytes(m.abs);
  return `${m.pct}% and ${abs}${kind === "rate" ? " of the time it stands for" : ""}`;
}

/** The change in absolute terms, in the unit the minimum effect is stated in; null when it cannot be told. */
function absoluteChange(
  kind: EffectKind,
  base: Spread,
  next: Spread,
  sourceBytes?: { base: number; next: number },
): number | null {
  if (kind !== "rate") return Math.abs(next.median - base.median);
  if (!sourceBytes || base.median <= 0 || next.median <= 0) return null;
  return Math.abs((sourceBytes.next / next.median - sourceBytes.base / base.median) * 1000);
}

function absText(kind: EffectKind, amount: number): string {
  return kind === "time" ? fmtMs(amount) : kind === "rate" ? `${fmtMs(amount)} in time` : formatBytes(amount);
}

/** Outside both runs' min-max: the worse side's best is beyond the other side's worst. */
function disjoint(better: "lower" | "higher", worse: boolean, base: Spread, next: Spread): boolean {
  const nextHigher = next.min > base.max;
  const nextLower = next.max < base.min;
  return better === "lower" ? (worse ? nextHigher : nextLower) : worse ? nextLower : nextHigher;
}

/**
 * `sourceBytes` (the medians of both sides) lets a rate's change be read as the time it stands for,
 * so that the absolute minimum effect of rates is a time.
 */
export function judgeChange(
  metric: JudgedMetric,
  base: Spread | null,
  next: Spread | null,
  opts: JudgeOptions,
  sourceBytes?: { base: number; next: number },
): Judgement {
  if (!base || !next)
    return {
      verdict: "not-compared",
      changePct: null,
      why: !base && !next ? "not measured" : !base ? "not measured in base" : "not measured in new",
    };
  const kind: EffectKind = metric.effect ?? "time";
  const diff = next.median - base.median;
  const changePct = base.median !== 0 ? (diff / Math.abs(base.median)) * 100 : diff === 0 ? 0 : null;
  if (diff === 0 && base.min === next.min && base.max === next.max)
    return { verdict: "unchanged", changePct: 0, why: "same values" };
  const worse = metric.better === "lower" ? diff > 0 : diff < 0;
  const direction = worse ? "worse" : "better";
  const amount = absoluteChange(kind, base, next, sourceBytes);
  const relative = changePct === null ? "from zero" : pct(Math.abs(changePct));
  const by = `${direction} by ${relative}${amount !== null ? ` (${absText(kind, amount)})` : ""}`;
  const min = opts.minEffect[kind];
  const big = (changePct === null || Math.abs(changePct) > min.pct) && (amount === null || amount >= min.abs);
  const under = `${by}: under the minimum effect (${minEffectText(kind, min)})`;
  const counted = (why: string): Judgement => ({ verdict: worse ? "regression" : "improvement", changePct, why });
  const within = (why: string): Judgement => ({ verdict: "noise", changePct, why });

  if (!NOISY_EFFECTS.includes(kind)) {
    if (!big) return within(under);
    if (base.n > 1 && next.n > 1 && !disjoint(metric.better!, worse, base, next))
      return within(`${by}, but within the runs' min–max`);
    return counted(by);
  }
  const alpha = 1 - opts.confidence;
  if (smallestP(base.n, next.n) >= alpha) {
    const few =
      `${base.n} vs ${next.n} run${next.n === 1 ? "" : "s"}: too few to tell from noise at ` +
      `${pct(opts.confidence * 100)} confidence (${runsNeeded(alpha)} a side needed)`;
    if (!opts.strict) return { verdict: "not-judged", changePct, why: `${by}; ${few}` };
    if (!big) return within(`${under} (--strict)`);
    if (base.n > 1 && next.n > 1 && !disjoint(metric.better!, worse, base, next))
      return within(`${by}, but within the runs' min–max (--strict; ${few})`);
    return counted(`${by}, beyond the minimum effect (--strict; ${few})`);
  }
  if (!big) return within(under);
  const t = mannWhitney(base.values, next.values)!;
  const test = { method: "Mann-Whitney U" as const, p: t.p, runs: [base.n, next.n] as [number, number] };
  const p = `p = ${t.p < 0.001 ? t.p.toExponential(1) : t.p.toFixed(3)}`;
  const a = Number(alpha.toPrecision(3));
  if (t.p >= alpha) return { ...within(`${by}, but ${p} ≥ ${a}: within noise`), test };
  return { ...counted(`${by}, beyond noise: ${p} < ${a}`), test };
}
