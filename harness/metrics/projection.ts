// RTO at production size: restore time, backup time and repository size of a size sweep, fitted
// against the data's bytes (least squares, linear with an intercept) and projected to a named size.
import type { LinearFit, Projection } from "../model/projection.ts";
import type { RunResult } from "../model/result.ts";

export type { LinearFit, Projection };

/** Ordinary least squares of y on x; null when x does not vary (fewer than 2 distinct x). */
export function fitLine(points: readonly { x: number; y: number }[]): LinearFit | null {
  const n = points.length;
  if (n < 2 || new Set(points.map((p) => p.x)).size < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
    syy += (p.y - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = points.reduce((s, p) => s + (p.y - (intercept + slope * p.x)) ** 2, 0);
  const r2 = n >= 3 && syy > 0 ? 1 - ssr / syy : null;
  const maxRelResidual = Math.max(
    ...points.map((p) => (p.y !== 0 ? Math.abs(p.y - (intercept + slope * p.x)) / Math.abs(p.y) : 0)),
  );
  return { intercept, slope, r2, maxRelResidual, points: n };
}

type Key = "restoreMs" | "backupMs" | "repoBytes";

/** Projections for every scenario that set `project` (its target size in bytes), per tool + settings. */
export function projectRuns(results: readonly RunResult[], projectTo: Record<string, number>): Projection[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    if (projectTo[r.scenario] === undefined || !r.dataset) continue;
    const key = `${r.scenario}\u0000${r.tool}\u0000${JSON.stringify(r.settings)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out: Projection[] = [];
  for (const runs of groups.values()) {
    const first = runs[0]!;
    const atBytes = projectTo[first.scenario]!;
    const points = runs.map((r) => ({
      bytes: r.dataset!.bytes,
      restoreMs: (r.metrics.restoreMs as number | null | undefined) ?? null,
      backupMs: (r.metrics.backupMs as number | null | undefined) ?? null,
      repoBytes: (r.metrics.repoBytes as number | null | undefined) ?? null,
    }));
    const fitOf = (k: Key) =>
      fitLine(points.filter((p) => typeof p[k] === "number").map((p) => ({ x: p.bytes, y: p[k] as number })));
    const fit = { restoreMs: fitOf("restoreMs"), backupMs: fitOf("backupMs"), repoBytes: fitOf("repoBytes") };
    const at = (f: LinearFit | null) => (f ? Math.round(f.intercept + f.slope * atBytes) : null);
    const sizes = new Set(points.map((p) => p.bytes)).size;
    out.push({
      scenario: first.scenario,
      tool: first.tool,
      settings: first.settings,
      atBytes,
      restoreMs: at(fit.restoreMs),
      backupMs: at(fit.backupMs),
      repoBytes: at(fit.repoBytes),
      model: `linear in bytes: y = a + b * bytes, least squares over ${points.length} run(s) at ${sizes} size(s)`,
      fit,
      points,
    });
  }
  return out;
}
