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

/** `collection-status`'s set lines: "  Full  Sun Dec  6 01:52:05 2026  1" (a ctime in the local time zone). */
const STATUS_SET = /^\s*(Full|Incremental)\s+(\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4})\s+\d+\s*$/;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The sets `duplicity collection-status` lists (every chain's, primary and secondary), oldest first; the
 * id is the set's time in ISO 8601 (UTC, to the second), as `--time` takes it.
 */
export function parseDuplicityStatus(stdout: string): DuplicitySet[] {
  const out: DuplicitySet[] = [];
  for (const line of stdout.split("\n")) {
    const m = STATUS_SET.exec(line);
    if (!m) continue;
    const [, mon, day, hms, year] = /^\w{3} (\w{3}) +(\d+) (\S+) (\d{4})$/.exec(m[2]!)!;
    const [h, mi, s] = hms!.split(":").map(Number);
    const timeMs = new Date(Number(year), MONTHS.indexOf(mon!), Number(day), h, mi, s).getTime();
    const id = new Date(timeMs).toISOString().replace(/\.000Z$/, "Z");
    out.push({ id, timeMs, kind: m[1] === "Full" ? "full" : "incremental" });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
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
