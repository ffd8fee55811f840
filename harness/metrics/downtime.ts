// Downtime for backups: how long the services were down before the fault (cold backups stop them),
// less the harness's own measuring while they were down.
import { HARNESS_PHASES, type JournalEvent } from "../model/journal-events.ts";
import { disaster } from "./disaster.ts";
import { round, timeIn } from "./phases.ts";

export function downtimeMs(events: JournalEvent[]): number {
  const fault = disaster(events);
  const limit = fault?.t ?? Infinity;
  let total = 0;
  let downAt: number | null = null;
  for (const e of events) {
    if (e.t > limit) break;
    if (e.type === "services-down" && downAt === null) downAt = e.t;
    if (e.type === "services-up" && downAt !== null) {
      total += e.t - downAt - timeIn(events, HARNESS_PHASES, downAt, e.t);
      downAt = null;
    }
  }
  return round(total);
}
