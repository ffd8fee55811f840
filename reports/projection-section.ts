// The report's "Projection" section: a size sweep's points, its fit and the values it projects to the
// size the scenario names (results.json's `projection`).
import type { LinearFit, Projection } from "../harness/model/projection.ts";
import { formatBytes, formatDuration } from "../harness/util/units.ts";

function fitText(f: LinearFit | null, unit: "ms" | "bytes"): string {
  if (!f) return "-";
  const per = unit === "ms" ? `${(f.slope * 1e6).toFixed(2)} ms/MB` : `${f.slope.toFixed(3)} B/B`;
  const a = unit === "ms" ? formatDuration(f.intercept) : formatBytes(f.intercept);
  const r2 = f.r2 === null ? "R² n/a" : `R² ${f.r2.toFixed(3)}`;
  return `${a} + ${per} (${r2}, residuals up to ${(f.maxRelResidual * 100).toFixed(0)} %)`;
}

export function renderProjection(projection: readonly Projection[] | undefined): string[] {
  if (!projection || projection.length === 0) return [];
  const lines = [
    "## Projection",
    "",
    "Restore time, backup time and repository size fitted against the data's size (least squares, linear in " +
      "bytes with an intercept) over the swept sizes, and projected to the size the scenario names. A fit is " +
      "only as good as its points: a machine busy during the sweep widens the residuals.",
    "",
    "| scenario | tool | at | restore | backup | repository | restore fit | points (size: restore) |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const p of projection) {
    const pts = p.points.map((x) => `${formatBytes(x.bytes)}: ${formatDuration(x.restoreMs)}`).join(", ");
    lines.push(
      `| ${p.scenario} | ${p.tool} | ${formatBytes(p.atBytes)} | ${formatDuration(p.restoreMs)} | ` +
        `${formatDuration(p.backupMs)} | ${formatBytes(p.repoBytes)} | ${fitText(p.fit.restoreMs, "ms")} | ${pts} |`,
    );
  }
  lines.push("");
  return lines;
}
