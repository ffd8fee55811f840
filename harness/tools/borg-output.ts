// Readers of borg 1.2's output: `create --json` statistics, `list --json` archives, `--log-json` messages.
import type { DatedBackup } from "./pick-backup.ts";

/** `borg create --json` (one object on stdout): archive stats in drdrill's names (as duplicity's). */
export function parseBorgCreate(stdout: string): Record<string, number> | undefined {
  const start = stdout.indexOf("{");
  if (start < 0) return undefined;
  let doc: { archive?: { duration?: number; stats?: Record<string, number> } };
  try {
    doc = JSON.parse(stdout.slice(start)) as typeof doc;
  } catch {
    return undefined;
  }
  const st = doc.archive?.stats;
  if (!st) return undefined;
  const stats: Record<string, number> = {};
  const put = (key: string, v: unknown) => {
    if (typeof v === "number") stats[key] = v;
  };
  put("sourceFiles", st.nfiles);
  put("sourceBytes", st.original_size);
  put("compressedBytes", st.compressed_size);
  put("addedBytes", st.deduplicated_size);
  put("elapsedS", doc.archive?.duration);
  return stats;
}

/** Archive names drdrill gives: `<kind>-<UTC time to the ms>`, e.g. full-20261126T093721.123Z. */
export function borgArchiveName(kind: string, at: Date): string {
  return `${kind}-${at.toISOString().replace(/[-:]/g, "")}`;
}

function timeFromName(name: string): number | undefined {
  const m = /(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)\.(\d{3})Z$/.exec(name);
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`) : undefined;
}

export interface BorgArchive extends DatedBackup {
  name: string;
}

/**
 * `borg list --json`: archives with their time. borg 1.2 prints local time without an offset and to the
 * second only, so the time in drdrill's archive names (UTC, ms) wins when present.
 */
export function parseBorgList(stdout: string): BorgArchive[] {
  const doc = JSON.parse(stdout.slice(Math.max(0, stdout.indexOf("{")))) as {
    archives?: { name: string; start?: string; time?: string }[];
  };
  return (doc.archives ?? []).map((a) => ({
    id: a.name,
    name: a.name,
    timeMs: timeFromName(a.name) ?? Date.parse(a.start ?? a.time ?? ""),
  }));
}

/** The first ERROR (else WARNING) message of `--log-json` lines on stderr, with its msgid when borg gave one. */
export function borgLogMessage(stderr: string): string | undefined {
  const found: Record<string, string> = {};
  for (const line of stderr.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"log_message"')) continue;
    try {
      const m = JSON.parse(line) as { levelname?: string; message?: string; msgid?: string };
      const level = m.levelname === "CRITICAL" ? "ERROR" : m.levelname;
      if (
        (level === "ERROR" || level === "WARNING") &&
        m.message &&
        !found[level] &&
        !m.message.startsWith("Traceback")
      ) {
        found[level] = `${m.msgid ? `${m.msgid}: ` : ""}${m.message.split("\n")[0]}`.slice(0, 500);
      }
    } catch {
      // not a JSON line (e.g. the tail cut it)
    }
  }
  return found.ERROR ?? found.WARNING;
}
