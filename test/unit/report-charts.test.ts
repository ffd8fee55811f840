// The report's chart helpers and the numbers they are drawn from: scales, spans on the phase
// clock, throughput groups, and charts left out when there is nothing to draw.
import { describe, expect, it } from "vitest";
import { spanEnd, throughputGroups, timelineSpans } from "../../reports/chart-data.ts";
import { buildReportModel } from "../../reports/model.ts";
import { linearScale, niceStep, timeScale, timeTick } from "../../reports/svg/scale.ts";
import { throughputChart } from "../../reports/svg/throughput-chart.ts";
import { timelineChart } from "../../reports/svg/timeline-chart.ts";
import { verdictOf } from "../../harness/model/verdict.ts";
import { repeats, resultsFile, run } from "./report-fixture.ts";

describe("scales", () => {
  it("picks round steps and covers the maximum", () => {
    expect(niceStep(44_337_420)).toBe(1e7);
    expect(niceStep(8977, 8)).toBe(2000);
    const s = linearScale(44_337_420, 0, 100);
    expect(s.ticks).toEqual([0, 1e7, 2e7, 3e7, 4e7, 5e7]);
    expect(s(5e7)).toBe(100);
    expect(linearScale(0, 0, 100).ticks).toEqual([0, 1]);
  });

  it("puts time axes' ticks on round durations", () => {
    expect(timeScale(8977, 0, 100, 8).ticks).toEqual([0, 2000, 4000, 6000, 8000, 10_000]);
    expect(timeScale(16 * 60_000, 0, 100).ticks).toEqual([0, 300_000, 600_000, 900_000, 1_200_000]);
    expect([0, 500, 2000, 90_000, 300_000, 7_200_000].map(timeTick)).toEqual([
      "0",
      "500ms",
      "2s",
      "1m 30s",
      "5m",
      "2h",
    ]);
  });
});

describe("what the charts are drawn from", () => {
  it("places RTO and downtime on the phase clock, adding back the harness's own measuring", () => {
    const r = run();
    // RTO 1676.1 from the fault's end (7029.4), plus inspect (211.4) inside it
    expect(spanEnd(r, 7029.4, 1676.1)).toBeCloseTo(7029.4 + 1676.1 + 211.4, 5);
    const spans = timelineSpans(r);
    expect(spans.map((s) => [s.kind, s.label])).toEqual([
      ["downtime", "down 2.83 s"],
      ["rto", "RTO 1.68 s"],
    ]);
    expect(spans[0]!.fromMs).toBe(953.1);
    // downtime's span holds the manifest (182.9 ms) it does not count
    expect(spans[0]!.toMs).toBeCloseTo(953.1 + 2833.7 + 182.9, 5);
  });

  it("groups throughput by tool and settings, keeping every repeat", () => {
    const g = throughputGroups([
      ...repeats([1, 2]),
      run({ index: 2, group: "other", label: "restic", metrics: { backupThroughputBps: null } }),
    ]);
    expect(g).toHaveLength(2);
    expect(g[0]!.backup).toHaveLength(2);
    expect(g[1]).toMatchObject({ subtitle: "restic", backup: [] });
  });

  it("leaves a chart out when there is nothing to draw", () => {
    expect(throughputChart([{ title: "s", subtitle: "t", backup: [], restore: [] }])).toBeNull();
    expect(timelineChart([{ title: "s", subtitle: "t", phases: [], spans: [] }])).toBeNull();
    const m = buildReportModel(
      resultsFile([run({ phases: [], metrics: { backupThroughputBps: null, restoreThroughputBps: null } })]),
    );
    expect(m.charts).toEqual({ settings: [], throughput: null, timeline: null, rpo: null, bandwidth: null });
  });

  it("marks a failed phase and names it in the tooltip", () => {
    const svg = timelineChart([
      { title: "#1", subtitle: "t", phases: [{ name: "restore", startMs: 0, endMs: 1000, ok: false }], spans: [] },
    ])!;
    expect(svg).toContain('class="phase phase-restore failed"');
    expect(svg).toContain("<title>restore: 1.00 s, failed</title>");
  });
});

describe("the verdict", () => {
  it("counts errors apart from failed expectations and objectives", () => {
    const v = verdictOf(resultsFile([run({ index: 0, outcome: "error", passed: false }), run({ index: 1 })]));
    expect(v).toMatchObject({ status: "error", errors: 1, failedExpectations: 0, failedObjectives: 0 });
    expect(v.detail).toBe("1 of 2 run(s) did not pass: 1 could not run (environment).");
  });

  it("pairs each fault with the restore and check calls made after it", () => {
    const m = buildReportModel(resultsFile([run()]));
    expect(m.runs[0]!.faults[0]!.response.map((c) => c.label)).toEqual(["duplicity-restore"]);
  });
});
