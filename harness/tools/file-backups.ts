// The baselines' repository layout: one entry per backup named `<epoch ms>-<full|incremental><suffix>`,
// found with `ls` and chained (a full, then its incrementals) for a restore.
import { pickBackup, type DatedBackup } from "./pick-backup.ts";

export interface FileBackup extends DatedBackup {
  kind: "full" | "incremental";
}

export function backupName(kind: "full" | "incremental", timeMs: number, suffix: string): string {
  return `${String(timeMs).padStart(13, "0")}-${kind}${suffix}`;
}

/** The backups among the lines of `ls -1 REPO` (parts of unfinished backups and other files are ignored). */
export function parseBackupNames(ls: string, suffix: string): FileBackup[] {
  const re = new RegExp(`^(\\d{13})-(full|incremental)${suffix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const out: FileBackup[] = [];
  for (const line of ls.split("\n")) {
    const m = re.exec(line.trim());
    if (m) out.push({ id: m[0], timeMs: Number(m[1]), kind: m[2] as FileBackup["kind"] });
  }
  return out.sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * What a restore must apply, oldest first: the newest full at or before the chosen backup, then every
 * incremental after it up to the chosen one. Empty when nothing qualifies or the chain has no full.
 */
export function restoreChain(backups: readonly FileBackup[], at?: string): FileBackup[] {
  const sorted = [...backups].sort((a, b) => a.timeMs - b.timeMs);
  const chosen = at ? pickBackup(sorted, at) : sorted.at(-1);
  if (!chosen) return [];
  const upTo = sorted.slice(0, sorted.indexOf(chosen) + 1);
  const full = upTo.findLastIndex((b) => b.kind === "full");
  return full < 0 ? [] : upTo.slice(full);
}
