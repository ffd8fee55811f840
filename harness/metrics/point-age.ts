// A restore test's point age: how old the point it restored (else the one it tried first) was when
// the test started. That is the recovery point the organisation holds right now.
import type { JournalEvent } from "../model/journal-events.ts";

export function pointAgeAtTestMs(events: JournalEvent[]): number | null {
  const test = events.find((e) => e.type === "restore-test");
  if (test?.type !== "restore-test") return null;
  const attempts = events.filter((e) => e.type === "restore-attempt");
  const chosen = attempts.find((a) => a.type === "restore-attempt" && a.placed) ?? attempts[0];
  if (chosen?.type !== "restore-attempt" || chosen.takenWallMs === null) return null;
  return Math.max(0, test.startedWallMs - chosen.takenWallMs);
}
