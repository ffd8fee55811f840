// A restore test's entry in results.json (`restoreTest`), a pure function of its journal: the
// repository read, its points, the point restored, and what the comparison with production found.
import type { JournalEvent } from "../model/journal-events.ts";
import type { RestoreTestResult } from "../model/result.ts";

export function restoreTest(events: JournalEvent[]): RestoreTestResult | undefined {
  const test = events.find((e) => e.type === "restore-test");
  if (test?.type !== "restore-test") return undefined;
  const attempts = events.filter((e) => e.type === "restore-attempt");
  const chosen = attempts.find((a) => a.type === "restore-attempt" && a.placed) ?? attempts[0];
  const check = events.findLast((e) => e.type === "restore-check");
  const c = check?.type === "restore-check" ? check : null;
  const compared = c?.compareWith ? c : null;
  return {
    tool: test.tool,
    repository: test.repository,
    readOnly: test.readOnly,
    verifiedBy: test.verifies,
    startedAt: new Date(test.startedWallMs).toISOString(),
    points: test.points,
    newestAt: test.newestAt,
    point:
      chosen?.type === "restore-attempt" && chosen.toolId !== null
        ? {
            toolId: chosen.toolId,
            takenAt: chosen.takenWallMs === null ? null : new Date(chosen.takenWallMs).toISOString(),
          }
        : null,
    restoredFiles: c?.restoredFiles ?? null,
    restoredBytes: c?.restoredBytes ?? null,
    compareWith: compared?.compareWith ?? null,
    filesChecked: compared?.filesChecked ?? null,
    bytesChecked: compared?.bytesChecked ?? null,
    filesIdentical: compared?.filesIdentical ?? null,
    differences: compared?.differences ?? null,
    changedSince: compared?.changedSince ?? null,
  };
}
