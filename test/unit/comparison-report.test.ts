// The "Comparison" section of report.md, rendered from a hand-built comparison.
import { describe, expect, it } from "vitest";
import { compareRuns, type ComparableRun } from "../../harness/metrics/comparison.ts";
import type { Metrics } from "../../harness/metrics/compute.ts";
import { renderComparison } from "../../reports/comparison.ts";

const NONE: Metrics = {
  rtoMs: null,
  rpoMs: null,
  pointAgeMs: null,
  writesLost: null,
  downtimeMs: null,
  backupMs: null,
  restoreMs: null,
  sourceBytes: 50e6,
  repoBytes: null,
  backupThroughputBps: null,
  restoreThroughputBps: null,
  peakRssBytes: null,
  cpuMs: null,
};
const run = (index: number, label: string, m: Partial<Metrics>): ComparableRun => ({
  index,
  scenario: "compare-tools",
  group: `compare-tools :: ${label}`,
  tool: label.split(" ")[0]!,
  label,
  settings: {},
  outcome: "recovered",
  passed: true,
  metrics: { ...NONE, ...m },
});

describe("renderComparison", () => {
  it("a table per scenario: medians, spread, ratio to the best, the winner, warnings", () => {
    const text = renderComparison(
      compareRuns([
        run(0, "tar-zstd level=3", { backupThroughputBps: 60e6, rtoMs: 700 }),
        run(1, "tar-zstd level=3", { backupThroughputBps: 58e6, rtoMs: 720 }),
        run(2, "tar-zstd level=3", { backupThroughputBps: 20e6, rtoMs: 710 }),
        run(3, "restic compression=auto", { backupThroughputBps: 20e6, rtoMs: 4000 }),
        run(4, "restic compression=auto", { backupThroughputBps: 21e6, rtoMs: 4100 }),
        run(5, "restic compression=auto", { backupThroughputBps: 20.5e6, rtoMs: 4050 }),
      ]),
      [{ index: 100_000, group: "compare-tools :: tar-zstd level=3", outcome: "recovered", reason: "" }],
    ).join("\n");
    expect(text).toContain("## Comparison");
    expect(text).toContain("Warm-up runs, not counted: compare-tools :: tar-zstd level=3: recovered (logs/run-100001)");
    expect(text).toContain(
      "| tool / settings | runs | outcomes | RTO (lower is better) | backup rate (higher is better) |",
    );
    expect(text).toMatch(
      new RegExp(
        String.raw`\| tar-zstd level=3 \| 3 \| 3 recovered \| \*\*710 ms\*\* ±10 ms \*\*best\*\* \| ` +
          String.raw`\*\*58\.0 MB\/s\*\* ±[\d.]+ MB\/s \*\*best\*\* \(!\) \|`,
      ),
    );
    expect(text).toMatch(
      new RegExp(
        String.raw`\| restic compression=auto \| 3 \| 3 recovered \| 4\.05 s ±50 ms ×5\.70 \| 20\.5 ` +
          String.raw`MB\/s ±[\d.]+ KB\/s ×2\.83 \|`,
      ),
    );
    expect(text).toContain("RTO: tar-zstd level=3");
    // three runs flag no outlier (that takes five), but the spread is too wide to rank
    expect(text).toMatch(/- \(!\) tar-zstd level=3, backup rate: relative standard deviation \d+ % > 10 %/);
    expect(text).not.toContain("outliers: run");
    expect(text).not.toContain("restore rate"); // nobody measured it
  });

  it("nothing to compare: one tool, one run", () => {
    expect(renderComparison(compareRuns([run(0, "duplicity", { rtoMs: 1 })]))).toEqual([]);
  });
});
