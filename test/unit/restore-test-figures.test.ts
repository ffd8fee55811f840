// A restore test's figures as pure functions of its journal: the point restored, its age when the
// test started (pointAgeMs), the comparison with production (results[].restoreTest), and report.md's
// "Restore tests" section made from them.
import { describe, expect, it } from "vitest";
import { computeMetrics } from "../../harness/metrics/compute.ts";
import { restoreTest } from "../../harness/metrics/restore-test.ts";
import type { JournalEvent } from "../../harness/model/journal-events.ts";
import type { RunResult } from "../../harness/model/result.ts";
import { renderRestoreTests } from "../../reports/restore-tests-table.ts";

const START = Date.parse("2026-12-06T02:00:00Z");
const TAKEN = Date.parse("2026-12-05T21:00:00Z");

const ev = (type: string, t: number, data: Record<string, unknown>) =>
  ({ type, t, wall: new Date(START + t).toISOString(), run: 0, ...data }) as unknown as JournalEvent;

const events = (compared: boolean): JournalEvent[] => [
  ev("restore-test", 10, {
    source: "repository",
    tool: "restic",
    repository: "/srv/restic",
    points: 2,
    newestAt: new Date(TAKEN).toISOString(),
    startedWallMs: START,
    readOnly: "--no-lock",
    verifies: "restore --verify",
  }),
  ev("tool-call", 900, {
    kind: "restore",
    label: "restic-restore",
    exitCode: 0,
    durationMs: 800,
    peakRssBytes: null,
    cpuMs: null,
  }),
  ev("dataset", 950, { method: "repository", bytes: 4_000_000, files: 12 }),
  ev("restore-check", 990, {
    compareWith: compared ? "/prod" : null,
    restoredFiles: 12,
    restoredBytes: 4_000_000,
    filesChecked: compared ? 10 : 0,
    bytesChecked: compared ? 3_000_000 : 0,
    filesIdentical: compared ? 10 : 0,
    differences: 0,
    changedSince: compared ? 2 : 0,
  }),
  ev("restore-attempt", 1000, {
    asked: "latest",
    attempt: 1,
    backup: 2,
    of: 2,
    kind: "full",
    toolId: "a1b2c3d4",
    takenWallMs: TAKEN,
    verdict: "restored",
    said: null,
    placed: true,
  }),
];

describe("a restore test's figures", () => {
  it("pointAgeMs is the point's age when the test started; the restore's time and rate are the tool's", () => {
    const m = computeMetrics(events(true));
    expect(m.pointAgeMs).toBe(5 * 3_600_000);
    expect(m.restoreMs).toBe(800);
    expect(m.sourceBytes).toBe(4_000_000);
    expect(m.restoreThroughputBps).toBe(5_000_000);
    expect(m.rtoMs).toBeNull();
  });

  it("results[].restoreTest: the point restored, what came back, the comparison with production", () => {
    expect(restoreTest(events(true))).toEqual({
      tool: "restic",
      repository: "/srv/restic",
      readOnly: "--no-lock",
      verifiedBy: "restore --verify",
      startedAt: "2026-12-06T02:00:00.000Z",
      points: 2,
      newestAt: "2026-12-05T21:00:00.000Z",
      point: { toolId: "a1b2c3d4", takenAt: "2026-12-05T21:00:00.000Z" },
      restoredFiles: 12,
      restoredBytes: 4_000_000,
      compareWith: "/prod",
      filesChecked: 10,
      bytesChecked: 3_000_000,
      filesIdentical: 10,
      differences: 0,
      changedSince: 2,
    });
    // Without compareWith nothing was compared: not zero differences, no figures.
    expect(restoreTest(events(false))).toMatchObject({ compareWith: null, filesChecked: null, differences: null });
    expect(restoreTest(events(true).filter((e) => e.type !== "restore-test"))).toBeUndefined();
  });

  it("report.md's Restore tests section", () => {
    const r = {
      index: 0,
      scenario: "nightly",
      label: "restic",
      metrics: computeMetrics(events(true)),
      restoreTest: restoreTest(events(true)),
    } as unknown as RunResult;
    const md = renderRestoreTests([r]).join("\n");
    expect(md).toMatch(/^## Restore tests/);
    expect(md).toContain(
      "| 1 | nightly | restic | /srv/restic | 2 | a1b2c3d4 (2026-12-05T21:00:00.000Z) | 5h 0m | 12 files, 4.00 MB | " +
        "10 files, 3.00 MB | 10 | 0 | 2 |",
    );
    expect(renderRestoreTests([{ ...r, restoreTest: undefined } as RunResult])).toEqual([]);
  });
});
