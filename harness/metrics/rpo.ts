// Achieved RPO: from the disaster (the fault that destroyed the data) back to the newest load-writer record
// that survived the restore (wall clock, as the records carry it).
import type { JournalEvent } from "../model/journal-events.ts";
import { disaster } from "./disaster.ts";

export function rpoMs(events: JournalEvent[]): number | null {
  const fault = disaster(events);
  const survivor = events.findLast((e) => e.type === "load-survivor");
  if (!fault || !survivor || survivor.type !== "load-survivor" || survivor.newestWallMs === null) return null;
  return Math.max(0, Date.parse(fault.wall) - survivor.newestWallMs);
}
