// Whether one metric's change between two sets of runs is a regression, an improvement or noise:
// it must be worse (better) by more than the threshold, by more than the timing floor, and
// outside both runs' min-max, or it is called noise. Pure function.
import type { MetricDef, MetricKey } from "../model/metrics.ts";
import type { Spread } from "./spread.ts";

/** A metric `drdrill compare` judges (the catalogue's JUDGED_METRICS): it has a better direction. */
export type MetricKind = MetricDef<MetricKey>;

export interface JudgeOptions {
  /** Relative change that counts, in percent (e.g. 10). */
  thresholdPct: number;
  /** Absolute change in time below which a difference is timing noise (ms). */
  minChangeMs: number;
}

export type ChangeVerdict = "regression" | "improvement" | "noise" | "unchanged" | "not-compared";

export interface Judgement {
  verdict: ChangeVerdict;
  /** Signed relative change of the median, in percent; null when there is no base to divide by. */
  changePct: number | null;
  /** Why the verdict: the gate that held a change back, or what it exceeded. */
  why: string;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

/**
 * `sourceBytes` (the medians of both sides) lets a rate's change be read as the time it stands for,
 * so that the timing floor applies to rates too.
 */
export function judgeChange(
  kind: MetricKind,
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
  const diff = next.median - base.median;
  const changePct = base.median !== 0 ? (diff / Math.abs(base.median)) * 100 : diff === 0 ? 0 : null;
  if (diff === 0 && base.min === next.min && base.max === next.max)
    return { verdict: "unchanged", changePct: 0, why: "same values" };
  const worse = kind.better === "lower" ? diff > 0 : diff < 0;
  const direction = worse ? "worse" : "better";
  // Outside both runs' min-max: the new runs' best is beyond the base runs' worst (or the reverse).
  const disjoint =
    kind.better === "lower"
      ? worse
        ? next.min > base.max
        : next.max < base.min
      : worse
        ? next.max < base.min
        : next.min > base.max;
  if (!disjoint) return { verdict: "noise", changePct, why: `${direction}, but within the runs' min–max` };
  if (changePct !== null && Math.abs(changePct) <= opts.thresholdPct)
    return {
      verdict: "noise",
      changePct,
      why: `${direction} by ${Math.abs(changePct).toFixed(1)}%, within the ${opts.thresholdPct}% threshold`,
    };
  let deltaMs: number | null = null;
  if (kind.unit === "ms") deltaMs = Math.abs(diff);
  if (kind.unit === "Bps" && sourceBytes && base.median > 0 && next.median > 0) {
    deltaMs = Math.abs((sourceBytes.next / next.median - sourceBytes.base / base.median) * 1000);
  }
  if (deltaMs !== null && deltaMs < opts.minChangeMs)
    return {
      verdict: "noise",
      changePct,
      why: `${direction} by ${fmtMs(deltaMs)}, under the ${fmtMs(opts.minChangeMs)} timing floor`,
    };
  const by = changePct === null ? "from zero" : `${Math.abs(changePct).toFixed(1)}%`;
  return worse
    ? {
        verdict: "regression",
        changePct,
        why: `worse by ${by}, outside both runs' min–max${deltaMs !== null ? ` (${fmtMs(deltaMs)})` : ""}`,
      }
    : {
        verdict: "improvement",
        changePct,
        why: `better by ${by}, outside both runs' min–max${deltaMs !== null ? ` (${fmtMs(deltaMs)})` : ""}`,
      };
}
