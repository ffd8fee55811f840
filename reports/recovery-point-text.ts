// The recovery point of a run in words, shared by report.md, index.html and junit.xml: the backup
// restored, its age at the disaster, the writes lost, the share restored byte-identical, the points
// a fallback tried. Results written before recovery points existed have none: "-".
import type { RecoveryPoint, RestoreAttempt } from "../harness/model/recovery-point.ts";
import { formatDuration } from "../harness/util/units.ts";

export function pointText(rp: RecoveryPoint | undefined): string {
  if (!rp?.backup) return rp?.attempts.length ? "none restored" : "-";
  const b = rp.backup;
  return `backup ${b.number} of ${b.of} (${b.kind}${b.toolId ? `, ${b.toolId}` : ""})`;
}

/** How the point was chosen, when not simply the latest: newest-restorable, the random seed, the time asked. */
export function askedText(rp: RecoveryPoint | undefined): string {
  if (!rp?.asked) return "-";
  return rp.random ? `${rp.asked} (seed ${rp.random.seed}, among backups ${rp.random.among.join(", ")})` : rp.asked;
}

export function writesLostText(rp: RecoveryPoint | undefined): string {
  if (!rp) return "-";
  if (rp.writesLost === null) return `unknown (${rp.writesLostUnknown ?? "not measured"})`;
  const from = rp.newestWriteAtDisaster;
  const to = rp.newestWriteSurviving;
  return (
    `${rp.writesLost}` +
    `${from ? ` (newest at the disaster #${from.seq}, newest restored ${to ? `#${to.seq}` : "none"})` : ""}`
  );
}

export function identicalText(rp: RecoveryPoint | undefined): string {
  if (!rp || rp.identicalShare === null) return "-";
  return (
    `${(rp.identicalShare * 100).toFixed(rp.identicalShare === 1 ? 0 : 1)} % (${rp.filesIdentical} of ` +
    `${rp.filesChecked} files)`
  );
}

export function ageText(rp: RecoveryPoint | undefined): string {
  return formatDuration(rp?.ageAtDisasterMs ?? null);
}

/** "backup 4 failed, restored from 3 (+1.2 s of RPO)", or "" when nothing fell back. */
export function fallbackText(rp: RecoveryPoint | undefined): string {
  if (!rp?.fallback || !rp.backup) return "";
  const f = rp.fallback;
  return (
    `backup ${f.failedPoints.join(", ")} failed; restored from ${rp.backup.number} (+` +
    `${formatDuration(f.extraRpoMs)} of RPO)`
  );
}

export function attemptText(a: RestoreAttempt): string {
  const what = `backup ${a.backup ?? "?"}${a.toolId ? ` (${a.toolId})` : ""}${a.takenAt ? ` taken ${a.takenAt}` : ""}`;
  return `${what}: ${a.verdict}${a.placed ? ", put in place" : ""}${a.said ? ` — ${a.said}` : ""}`;
}
