// A linear scale with "nice" round ticks, for the axes of the report's charts.

export interface LinearScale {
  (value: number): number;
  ticks: number[];
  domainMax: number;
}

/** A step of 1, 2 or 5 times a power of ten that gives about `count` ticks up to `max`. */
export function niceStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
}

/** Maps [0, max rounded up to a tick] onto [from, to] pixels. */
export function linearScale(max: number, from: number, to: number, count = 5): LinearScale {
  const step = niceStep(max, count);
  const domainMax = max > 0 ? Math.ceil(max / step - 1e-9) * step : step;
  const ticks: number[] = [];
  for (let v = 0; v <= domainMax + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  const scale = ((v: number) => from + (v / domainMax) * (to - from)) as LinearScale;
  scale.ticks = ticks;
  scale.domainMax = domainMax;
  return scale;
}

const TIME_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** A linear scale over durations whose ticks fall on round times (1 s, 30 s, 5 min, 1 h ...). */
export function timeScale(maxMs: number, from: number, to: number, count = 5): LinearScale {
  const raw = maxMs > 0 ? maxMs / count : 1000;
  const step = TIME_STEPS_MS.find((s) => s >= raw) ?? niceStep(maxMs, count);
  const domainMax = maxMs > 0 ? Math.ceil(maxMs / step - 1e-9) * step : step;
  const ticks: number[] = [];
  for (let v = 0; v <= domainMax + step / 2; v += step) ticks.push(v);
  const scale = ((v: number) => from + (v / domainMax) * (to - from)) as LinearScale;
  scale.ticks = ticks;
  scale.domainMax = domainMax;
  return scale;
}

/** A short tick label for a duration: "0", "500ms", "30s", "1m 30s", "5m", "2h". */
export function timeTick(ms: number): string {
  if (ms === 0) return "0";
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms - m * 60_000) / 1000);
  return s === 0 ? `${m}m` : `${m}m ${s}s`;
}
