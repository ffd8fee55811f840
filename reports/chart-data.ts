// What the HTML report's charts show, taken from results.json: throughput per group, each run's
// phases with its RTO and downtime spans, and RPO against the backup interval when one was swept.
import { HARNESS_PHASES } from "../harness/model/journal-events.ts";
import type { RunResult } from "../harness/model/result.ts";
import { formatDuration, parseDuration } from "../harness/util/units.ts";
import type { RpoPoint } from "./svg/rpo-chart.ts";
import type { ThroughputGroup } from "./svg/throughput-chart.ts";
import type { TimelineRun, TimelineSpan } from "./svg/timeline-chart.ts";

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

export function throughputGroups(results: RunResult[]): ThroughputGroup[] {
  const groups = new Map<string, ThroughputGroup>();
  for (const r of results) {
    const g = groups.get(r.group) ?? { title: r.scenario, subtitle: r.label, backup: [], restore: [] };
    if (isNum(r.metrics.backupThroughputBps)) g.backup.push(r.metrics.backupThroughputBps);
    if (isNum(r.metrics.restoreThroughputBps)) g.restore.push(r.metrics.restoreThroughputBps);
    groups.set(r.group, g);
  }
  return [...groups.values()];
}

/**
 * Where a measured span ends on the run's phase clock: `measuredMs` after `fromMs`, plus the
 * harness's own measuring (manifest, inspect) inside it, which the metric leaves out.
 */
export function spanEnd(r: RunResult, fromMs: number, measuredMs: number): number {
  let to = fromMs + measuredMs;
  for (const p of r.phases) {
    if (!(HARNESS_PHASES as readonly string[]).includes(p.name)) continue;
    if (p.startMs >= fromMs && p.startMs < to) to += p.endMs - p.startMs;
  }
  return to;
}

export function timelineSpans(r: RunResult): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  const fault = r.phases.find((p) => p.name === "fault");
  const { downtimeMs, rtoMs } = r.metrics;
  if (isNum(downtimeMs) && downtimeMs > 0) {
    const down = r.phases.find((p) => p.name === "quiesce" && (!fault || p.startMs < fault.startMs));
    if (down)
      spans.push({
        kind: "downtime",
        label: `down ${formatDuration(downtimeMs)}`,
        fromMs: down.startMs,
        toMs: spanEnd(r, down.startMs, downtimeMs),
      });
  }
  if (fault && isNum(rtoMs))
    spans.push({
      kind: "rto",
      label: `RTO ${formatDuration(rtoMs)}`,
      fromMs: fault.endMs,
      toMs: spanEnd(r, fault.endMs, rtoMs),
    });
  return spans;
}

export function timelineRuns(results: RunResult[]): TimelineRun[] {
  return results.map((r) => ({
    title: `#${r.index + 1} ${r.scenario}${r.repeat > 1 ? ` (${r.repeat})` : ""}`,
    subtitle: r.label,
    phases: r.phases,
    spans: timelineSpans(r),
  }));
}

/** The backup interval a run was made with, when results carry one (`intervalMs`, or `settings.interval`). */
export function intervalOf(r: RunResult): number | null {
  const own = (r as unknown as { intervalMs?: unknown }).intervalMs;
  if (isNum(own)) return own;
  const s = r.settings.intervalMs ?? r.settings.interval;
  if (isNum(s)) return r.settings.intervalMs !== undefined ? s : s * 1000;
  if (typeof s === "string") return parseDuration(s) ?? null;
  return null;
}

export function rpoPoints(results: RunResult[]): RpoPoint[] {
  const points: RpoPoint[] = [];
  for (const r of results) {
    const interval = intervalOf(r);
    if (interval !== null && isNum(r.metrics.rpoMs))
      points.push({ series: r.tool, intervalMs: interval, rpoMs: r.metrics.rpoMs });
  }
  return points;
}
