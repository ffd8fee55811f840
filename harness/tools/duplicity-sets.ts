// duplicity's backup sets as its repository names them: `duplicity-full.<T>.manifest[.gpg]` and
// `duplicity-inc.<A>.to.<T>.manifest[.gpg]`, T a UTC time to the second (20261201T100005Z).
import type { DatedBackup } from "./pick-backup.ts";

export interface DuplicitySet extends DatedBackup {
  kind: "full" | "incremental";
}

const MANIFEST = /^duplicity-(?:full\.(\d{8}T\d{6}Z)|inc\.\d{8}T\d{6}Z\.to\.(\d{8}T\d{6}Z))\.manifest(?:\.gpg)?$/;

function utcMs(t: string): number {
  return Date.UTC(
    +t.slice(0, 4),
    +t.slice(4, 6) - 1,
    +t.slice(6, 8),
    +t.slice(9, 11),
    +t.slice(11, 13),
    +t.slice(13, 15),
  );
}

/** The sets among the lines of `ls -1 REPO`, oldest first; the id is the set's time, as `--time` takes it. */
export function parseDuplicitySets(ls: string): DuplicitySet[] {
  const out: DuplicitySet[] = [];
  for (const line of ls.split("\n")) {
    const m = MANIFEST.exec(line.trim());
    if (!m) continue;
    const t = (m[1] ?? m[2])!;
    out.push({ id: t, timeMs: utcMs(t), kind: m[1] ? "full" : "incremental" });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}
