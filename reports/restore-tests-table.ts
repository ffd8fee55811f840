// The "Restore tests" section of report.md: per restore test of an existing repository, the point
// restored (the tool's id and time), its age when the test started, what came back, and what the
// comparison with production found. The repository and production were only read.
import type { RunResult } from "../harness/model/result.ts";
import { escapeMd, formatBytes, formatDuration } from "./format.ts";

const count = (v: number | null) => (v === null ? "-" : String(v));

export function renderRestoreTests(results: RunResult[]): string[] {
  const rows = results.filter((r) => r.restoreTest);
  if (rows.length === 0) return [];
  return [
    "## Restore tests",
    "",
    "| # | scenario | tool | repository | points | point restored | point age | restored | " +
      "checked against production | identical | differences | changed since |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const t = r.restoreTest!;
      const point = t.point ? `${t.point.toolId ?? "?"} (${t.point.takenAt ?? "?"})` : "none";
      const restored = t.restoredFiles === null ? "-" : `${t.restoredFiles} files, ${formatBytes(t.restoredBytes)}`;
      const checked =
        t.compareWith === null
          ? "- (no compareWith)"
          : `${count(t.filesChecked)} files, ${formatBytes(t.bytesChecked)}`;
      return (
        `| ${r.index + 1} | ${r.scenario} | ${escapeMd(r.label)} | ${escapeMd(t.repository)} | ${t.points} | ` +
        `${escapeMd(point)} | ${formatDuration(r.metrics.pointAgeMs)} | ${restored} | ${escapeMd(checked)} | ` +
        `${count(t.filesIdentical)} | ${count(t.differences)} | ${count(t.changedSince)} |`
      );
    }),
    "",
    "A restore test reads an existing repository and never writes to it; the point's age is measured to the " +
      "test's start. The tool checked every byte it restored; production (compareWith) was only read: its files " +
      "older than the point must match, newer ones are counted as changed since.",
    "",
  ];
}
