// Achieved RTO: from the disaster (the fault that destroyed the data) to the first passing health check after a
// restore, less the harness's own measuring (manifest hashing) in between. A person's fix-ups after the
// restore are part of the recovery: with `run` steps between the restore and the verification, RTO ends
// at the first passing health check after the last of them, or at its end when no health check follows.
import { HARNESS_PHASES, type JournalEvent } from "../model/journal-events.ts";
import { disaster } from "./disaster.ts";
import { round, timeIn } from "./phases.ts";

interface Span {
  start: number;
  end: number;
  ok: boolean;
}

/** The `run` phases (the runbook's own steps) of a run, on the journal's clock. */
function runPhases(events: JournalEvent[]): Span[] {
  const out: Span[] = [];
  let open: number | null = null;
  for (const e of events) {
    if (e.type === "phase-start" && e.phase === "run") open = e.t;
    if (e.type === "phase-end" && e.phase === "run" && open !== null) {
      out.push({ start: open, end: e.t, ok: e.ok });
      open = null;
    }
  }
  return out;
}

/**
 * When the service was back after a restore that ended at `restoredT`: the first passing health check
 * after it, or after the fix-ups (run phases begun before the first verification after the restore).
 * null: it was not back (no passing check; a fix-up that failed).
 */
export function recoveredAt(events: JournalEvent[], restoredT: number): number | null {
  const verifyT =
    events.find((e) => e.type === "phase-start" && e.phase === "verify" && e.t >= restoredT)?.t ?? Infinity;
  const fixUp = runPhases(events)
    .filter((p) => p.start >= restoredT && p.start < verifyT)
    .at(-1);
  if (fixUp && !fixUp.ok) return null;
  const from = fixUp?.end ?? restoredT;
  const checks = events.filter((e) => e.type === "health" && e.t >= from);
  if (checks.length === 0) return fixUp ? fixUp.end : null;
  return checks.find((e) => e.type === "health" && e.ok)?.t ?? null;
}

export function rtoMs(events: JournalEvent[]): number | null {
  const fault = disaster(events);
  if (!fault) return null;
  const restore = events.find(
    (e) => e.type === "tool-call" && e.kind === "restore" && e.t >= fault.t && e.exitCode === 0,
  );
  if (!restore) return null;
  const end = recoveredAt(events, restore.t);
  if (end === null) return null;
  return round(end - fault.t - timeIn(events, HARNESS_PHASES, fault.t, end));
}
