// Achieved RTO: from the disaster (the fault that destroyed the data) to the first passing health check after a
// restore, less the harness's own measuring (manifest hashing) in between.
import { HARNESS_PHASES, type JournalEvent } from "../model/journal-events.ts";
import { disaster } from "./disaster.ts";
import { round, timeIn } from "./phases.ts";

export function rtoMs(events: JournalEvent[]): number | null {
  const fault = disaster(events);
  if (!fault) return null;
  const restore = events.find(
    (e) => e.type === "tool-call" && e.kind === "restore" && e.t >= fault.t && e.exitCode === 0,
  );
  if (!restore) return null;
  const healthy = events.find((e) => e.type === "health" && e.ok && e.t >= restore.t);
  if (!healthy) return null;
  return round(healthy.t - fault.t - timeIn(events, HARNESS_PHASES, fault.t, healthy.t));
}
