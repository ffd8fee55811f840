// The comparison model on hand-built runs: medians per group, ratios to the best, winners, spread notes.
import { describe, expect, it } from "vitest";
import { compareRuns, ratioToBest, type ComparableRun } from "../../harness/metrics/comparison.ts";
import type { Metrics } from "../../harness/metrics/compute.ts";

const NONE: Metrics = {
  rtoMs: null,
  rpoMs: null,
  pointAgeMs: null,
  writesLost: null,
  downtimeMs: null,
  backupMs: null,
  restoreMs: null,
  sourceBytes: null,
  repoBytes: null,
  backupThroughputBps: null,
  restoreThroughputBps: null,
  peakRssBytes: null,
  cpuMs: null,
};

let index = 0;
function run(label: string, m: Partial<Metrics>, extra: Partial<ComparableRun> = {}): ComparableRun {
  const tool = label.split(" ")[0]!;
  return {
    index: index++,
    scenario: "cmp",
    group: `cmp :: ${label}`,
    tool,
    label,
    settings: {},
    outcome: "recovered",
    passed: true,
    metrics: { ...NONE, sourceBytes: 100e6, ...m },
    ...extra,
  };
}

describe("ratioToBest", () => {
  it("is 1 for the best and grows the worse a value is, in both directions", () => {
    expect(ratioToBest(10, 10, "lower")).toBe(1);
    expect(ratioToBest(30, 10, "lower")).toBe(3);
    expect(ratioToBest(50, 200, "higher")).toBe(4);
    expect(ratioToBest(0, 200, "higher")).toBeNull(); // nothing moved: no finite ratio
  });
});

describe("compareRuns", () => {
  index = 0;
  const runs = [
    run("restic", {
      backupThroughputBps: 140e6,
      restoreThroughputBps: 300e6,
      repoBytes: 60e6,
      rtoMs: 6000,
      cpuMs: 14_000,
    }),
    run("restic", {
      backupThroughputBps: 150e6,
      restoreThroughputBps: 320e6,
      repoBytes: 60e6,
      rtoMs: 5800,
      cpuMs: 13_000,
    }),
    run("restic", {
      backupThroughputBps: 145e6,
      restoreThroughputBps: 310e6,
      repoBytes: 60e6,
      rtoMs: 5900,
      cpuMs: 13_500,
    }),
    run("borg compression=lz4", {
      backupThroughputBps: 160e6,
      restoreThroughputBps: 290e6,
      repoBytes: 75e6,
      rtoMs: 6500,
      cpuMs: 8000,
    }),
    run("borg compression=lz4", {
      backupThroughputBps: 170e6,
      restoreThroughputBps: 295e6,
      repoBytes: 75e6,
      rtoMs: 6400,
      cpuMs: 8200,
    }),
    run("borg compression=lz4", {
      backupThroughputBps: 30e6,
      restoreThroughputBps: 293e6,
      repoBytes: 75e6,
      rtoMs: 6450,
      cpuMs: 8100,
    }),
    run(
      "duplicity",
      { backupThroughputBps: 37e6, restoreThroughputBps: null, repoBytes: 65e6, rtoMs: null },
      { outcome: "failed", passed: false },
    ),
  ];
  const c = compareRuns(runs);
  const s = c.scenarios[0]!;
  const g = (label: string) => s.groups.find((x) => x.label === label)!;

  it("makes one group per tool and settings, with outcomes and counts", () => {
    expect(c.scenarios).toHaveLength(1);
    expect(s.groups.map((x) => [x.label, x.runs, x.passed])).toEqual([
      ["restic", 3, 3],
      ["borg compression=lz4", 3, 3],
      ["duplicity", 1, 0],
    ]);
    expect(g("duplicity").outcomes).toEqual({ failed: 1 });
  });

  it("takes medians, so one slow borg backup does not decide", () => {
    const b = g("borg compression=lz4").metrics.backupThroughputBps;
    expect(b.stats!.median).toBe(160e6);
    expect(b.winner).toBe(true);
    // three runs flag no outlier (five do, below), but the spread is too wide to rank
    expect(b.outlierRuns).toEqual([]);
    expect(b.warnings.join(" ")).toMatch(/relative standard deviation/);
    expect(g("restic").metrics.backupThroughputBps.ratioToBest).toBeCloseTo(160 / 145, 9);
    expect(g("duplicity").metrics.backupThroughputBps.ratioToBest).toBeCloseTo(160 / 37, 9);
  });

  it("marks the winner of each metric in its direction", () => {
    expect(s.winners).toMatchObject({
      backupThroughputBps: ["borg compression=lz4"],
      restoreThroughputBps: ["restic"],
      repoBytes: ["restic"],
      repoRatio: ["restic"],
      rtoMs: ["restic"],
      cpuMs: ["borg compression=lz4"],
    });
    expect(g("restic").metrics.repoRatio.stats!.median).toBeCloseTo(0.6, 9);
    expect(g("borg compression=lz4").metrics.repoBytes.ratioToBest).toBe(1.25);
  });

  it("skips what was not measured and metrics nobody measured", () => {
    expect(g("duplicity").metrics.rtoMs).toMatchObject({ stats: null, ratioToBest: null, winner: false });
    expect(s.winners.peakRssBytes).toBeUndefined();
  });

  it("says when the best and the runner-up overlap, and when groups have too few runs", () => {
    // borg's backup rates span 30-170 MB/s, restic's 140-150: no clear winner
    expect(s.withinSpread.backupThroughputBps).toBe(true);
    expect(s.withinSpread.restoreThroughputBps).toBe(false);
    expect(s.notes.join("\n")).toMatch(/one run per group at the least/);
    expect(s.notes.join("\n")).toMatch(/no clear winner .* backup rate/);
  });

  it("flags an outlier run only with five runs or more", () => {
    const rates = [100, 101, 99, 102, 40];
    const group = (n: number) =>
      compareRuns(
        rates.slice(rates.length - n).map((v, i) => run("tar-zstd", { backupThroughputBps: v * 1e6 }, { index: i })),
      ).scenarios[0]!.groups[0]!.metrics.backupThroughputBps;
    expect(group(5).outlierRuns).toEqual([4]);
    expect(group(4).outlierRuns).toEqual([]);
  });

  it("ranks RPO only where a load writer ran during the backups (hot drills, schedules)", () => {
    const rpo = (extra: Partial<ComparableRun>) =>
      compareRuns([run("a", { rpoMs: 5000 }, extra), run("b", { rpoMs: 9000 }, extra)]).scenarios[0]!;
    const cold = rpo({ mode: "cold" });
    expect(cold.winners.rpoMs).toBeUndefined();
    expect(cold.groups.map((g) => g.metrics.rpoMs.ratioToBest)).toEqual([null, null]);
    expect(cold.notes.join("\n")).toMatch(/RPO not ranked: no load writer ran during the backups/);
    expect(rpo({ mode: "hot" }).winners.rpoMs).toEqual(["a"]);
    expect(rpo({ mode: "cold", scheduleEveryMs: 5000 }).groups[1]!.metrics.rpoMs.ratioToBest).toBe(1.8);
  });

  it("shares a win on equal medians and keeps scenarios apart", () => {
    const two = compareRuns([
      run("a", { repoBytes: 10 }, { scenario: "x", group: "x :: a" }),
      run("b", { repoBytes: 10 }, { scenario: "x", group: "x :: b" }),
      run("a", { repoBytes: 5 }, { scenario: "y", group: "y :: a" }),
    ]);
    expect(two.scenarios.map((x) => x.scenario)).toEqual(["x", "y"]);
    expect(two.scenarios[0]!.winners.repoBytes).toEqual(["a", "b"]);
    // a single group: ratios, but no winner to declare
    expect(two.scenarios[1]!.winners.repoBytes).toBeUndefined();
    expect(two.scenarios[1]!.groups[0]!.metrics.repoBytes.ratioToBest).toBe(1);
  });
});
