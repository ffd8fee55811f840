// What `restore: { at }` may name: an ISO 8601 time, or backup:N (the Nth backup of the run).

/** Why `at` names no restore point, or undefined when it does. */
export function checkRestorePoint(at: string): string | undefined {
  if (/^backup:\d+$/.test(at.trim()))
    return Number(at.trim().slice(7)) >= 1 ? undefined : "backups are numbered from 1 (backup:1 is the first)";
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(at.trim()) ||
    !Number.isFinite(Date.parse(at))
  ) {
    return `"${at}" is neither an ISO 8601 time (2026-12-01T10:00:00Z) nor backup:N`;
  }
  return undefined;
}
