// The recovery point of a run, a pure function of its journal: the restore attempts after the
// disaster, the newest load-writer record as the disaster struck, the one that survived, and what
// the comparison of the restored tree with its manifest found.
import type { JournalEvent } from "../model/journal-events.ts";
import type { RecoveryPoint, RestoreAttempt } from "../model/recovery-point.ts";
import { disaster } from "./disaster.ts";

type AttemptEvent = Extract<JournalEvent, { type: "restore-attempt" }>;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const record = (seq: number | null | undefined, wallMs: number | null | undefined) =>
  seq == null || wallMs == null ? null : { seq, wallMs };

/** The attempts of the restore step `placed` belongs to that came before it (newer points that failed). */
function triedBefore(attempts: AttemptEvent[], placed: AttemptEvent): AttemptEvent[] {
  const i = attempts.indexOf(placed);
  const out: AttemptEvent[] = [];
  for (let j = i - 1; j >= 0 && attempts[j]!.attempt < attempts[j + 1]!.attempt; j--) out.unshift(attempts[j]!);
  return out;
}

export function recoveryPoint(events: JournalEvent[]): RecoveryPoint {
  const fault = disaster(events);
  const attempts = events.filter((e): e is AttemptEvent => e.type === "restore-attempt" && (!fault || e.t >= fault.t));
  const placed = attempts.find((a) => a.placed);
  const first = attempts[0];
  const disasterMs = fault ? Date.parse(fault.wall) : null;
  const newest = record(fault?.newestWrite?.seq, fault?.newestWrite?.wallMs);
  const survivorEvent = placed ? events.findLast((e) => e.type === "load-survivor" && e.t >= placed.t) : undefined;
  const survivor =
    survivorEvent?.type === "load-survivor" ? record(survivorEvent.newestSeq, survivorEvent.newestWallMs) : null;
  const verification = placed ? events.findLast((e) => e.type === "verification" && e.t <= placed.t) : undefined;

  let writesLost: number | null = null;
  let writesLostUnknown: string | undefined;
  if (!fault) writesLostUnknown = "no fault struck: there was no disaster to lose writes to";
  else if (!placed) writesLostUnknown = "nothing was restored";
  else if (!fault.newestWrite) writesLostUnknown = "the newest write at the disaster was not read";
  else if (!newest)
    writesLostUnknown = "the target has no load writer, or it had written nothing when the disaster struck";
  else if (!survivorEvent) writesLostUnknown = "the surviving writes were not read after the restore";
  // Records are numbered from 1 without gaps: none surviving means all of them were lost.
  else writesLost = Math.max(0, newest.seq - (survivor?.seq ?? 0));

  const before = placed ? triedBefore(attempts, placed).filter((a) => a.verdict === "damaged") : [];
  const filesChecked = verification?.type === "verification" ? verification.filesChecked : null;
  const filesIdentical = verification?.type === "verification" ? (verification.filesIdentical ?? null) : null;
  return {
    asked: first?.asked ?? null,
    backup:
      placed && placed.backup !== null && placed.takenWallMs !== null
        ? {
            number: placed.backup,
            of: placed.of,
            kind: placed.kind ?? "full",
            toolId: placed.toolId,
            takenAt: iso(placed.takenWallMs)!,
          }
        : null,
    ...(first?.random ? { random: first.random } : {}),
    disasterAt: fault?.wall ?? null,
    ageAtDisasterMs:
      placed?.takenWallMs != null && disasterMs !== null ? Math.max(0, disasterMs - placed.takenWallMs) : null,
    writesLost,
    ...(writesLostUnknown ? { writesLostUnknown } : {}),
    newestWriteAtDisaster: newest,
    newestWriteSurviving: survivor,
    filesChecked,
    filesIdentical,
    identicalShare:
      filesChecked === null || filesIdentical === null ? null : filesChecked === 0 ? 1 : filesIdentical / filesChecked,
    attempts: attempts.map((a): RestoreAttempt => ({
      attempt: a.attempt,
      backup: a.backup,
      toolId: a.toolId,
      takenAt: iso(a.takenWallMs),
      verdict: a.verdict,
      said: a.said,
      placed: a.placed,
    })),
    fallback:
      placed && before.length > 0 && before[0]!.takenWallMs !== null && placed.takenWallMs !== null
        ? {
            failedPoints: before.map((a) => a.backup!).filter((n) => n !== null),
            extraRpoMs: Math.max(0, before[0]!.takenWallMs - placed.takenWallMs),
          }
        : null,
  };
}
