// The disaster a drill recovers from: the last fault injected before the first restore after a fault.
// (A fault armed for a backup strikes earlier; the data is lost later, when the last fault hits.)
import type { JournalEvent } from "../model/journal-events.ts";

export type FaultEvent = Extract<JournalEvent, { type: "fault-injected" }>;

export function disaster(events: JournalEvent[]): FaultEvent | null {
  let last: FaultEvent | null = null;
  for (const e of events) {
    // A network fault destroys nothing: it is never the disaster.
    if (e.type === "fault-injected" && !e.transient) last = e;
    if (e.type === "tool-call" && e.kind === "restore" && last) return last;
  }
  return last;
}
