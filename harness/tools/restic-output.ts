// Readers of restic 0.14's output: the `backup --json` summary and status lines, and `snapshots --json`.
import type { DatedBackup } from "./pick-backup.ts";
import type { ToolProgress } from "./tool.ts";

const SUMMARY_KEYS: Record<string, string> = {
  total_files_processed: "sourceFiles",
  total_bytes_processed: "sourceBytes",
  files_new: "newFiles",
  files_changed: "changedFiles",
  files_unmodified: "unmodifiedFiles",
  data_added: "addedBytes",
  total_duration: "elapsedS",
};

/** The last line of the given message_type, parsed; undefined when there is none (or it was cut). */
function lastJsonLine(text: string, type: string): Record<string, unknown> | undefined {
  const at = text.lastIndexOf(`"message_type":"${type}"`);
  if (at < 0) return undefined;
  const start = text.lastIndexOf("\n", at) + 1;
  const end = text.indexOf("\n", at);
  try {
    return JSON.parse(text.slice(start, end < 0 ? undefined : end)) as Record<string, unknown>;
  } catch {
    return undefined; // a line cut at the start of the kept tail
  }
}

/** The snapshot a `restic backup --json` made (its summary's snapshot_id, short form). */
export function resticSnapshotId(stdout: string): string | undefined {
  const id = lastJsonLine(stdout, "summary")?.snapshot_id;
  return typeof id === "string" ? id.slice(0, 8) : undefined;
}

/** The numbers of the `summary` line of `restic backup --json`, in drdrill's names (as duplicity's). */
export function parseResticSummary(stdout: string): Record<string, number> | undefined {
  const summary = lastJsonLine(stdout, "summary");
  if (!summary) return undefined;
  const stats: Record<string, number> = {};
  for (const [from, to] of Object.entries(SUMMARY_KEYS))
    if (typeof summary[from] === "number") stats[to] = summary[from];
  const errors = lastJsonLine(stdout, "status")?.error_count;
  stats.errors = typeof errors === "number" ? errors : 0;
  return stats;
}

/** Bytes done of the newest `status` line in a chunk of `restic backup --json` output. */
export function parseResticProgress(chunk: string): ToolProgress | undefined {
  const status = lastJsonLine(chunk, "status");
  if (!status || typeof status.bytes_done !== "number") return undefined;
  return {
    bytes: status.bytes_done,
    ...(typeof status.total_bytes === "number" ? { totalBytes: status.total_bytes } : {}),
  };
}

export interface ResticSnapshot extends DatedBackup {
  shortId: string;
  tags: string[];
}

/** `restic snapshots --json`: an array of { id, short_id, time (RFC 3339, ns), tags? ... }. */
export function parseResticSnapshots(stdout: string): ResticSnapshot[] {
  const list = JSON.parse(stdout.trim() || "[]") as { id: string; short_id?: string; time: string; tags?: string[] }[];
  return list.map((s) => ({
    id: s.id,
    shortId: s.short_id ?? s.id.slice(0, 8),
    timeMs: Date.parse(s.time),
    tags: s.tags ?? [],
  }));
}
