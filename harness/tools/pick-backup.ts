// Chooses the backup a restore "at" a time means: the newest taken at or before it, or "backup:N" (the Nth, from 1).

export interface DatedBackup {
  id: string;
  /** When the backup was taken (its start), ms since the epoch. */
  timeMs: number;
}

/** Returns the chosen backup, undefined when none qualifies; throws when `at` is neither a time nor backup:N. */
export function pickBackup<T extends DatedBackup>(backups: readonly T[], at: string): T | undefined {
  const sorted = [...backups].sort((a, b) => a.timeMs - b.timeMs);
  const nth = /^backup:(\d+)$/.exec(at.trim());
  if (nth) return sorted[Number(nth[1]) - 1];
  const atMs = Date.parse(at);
  if (!Number.isFinite(atMs)) throw new Error(`"${at}" is not an ISO 8601 time or backup:N`);
  return sorted.filter((b) => b.timeMs <= atMs).at(-1);
}
