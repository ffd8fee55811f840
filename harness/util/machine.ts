// What a benchmark reader needs to know of the machine: its CPU model, how busy it was (the 1-minute
// load average, from /proc/loadavg), and the type of the file system a folder is on (/proc/self/mountinfo).
import { readFileSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { cpus } from "node:os";

/** "AMD EPYC 7B13" (the first core's model; the same for all on the machines drdrill runs on). */
export function cpuModel(): string {
  return cpus()[0]?.model.trim() || "unknown";
}

/** The 1-minute load average; null where /proc/loadavg cannot be read. */
export function loadAverage(read: () => string = () => readFileSync("/proc/loadavg", "utf8")): number | null {
  try {
    const v = Number(read().split(/\s+/)[0]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

/** Undoes mountinfo's octal escapes (a space is \040). */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/**
 * The file system a path is on, from a mountinfo text: the mount with the longest mount point that
 * holds the path. Each line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - FSTYPE SOURCE SUPER.
 */
export function mountOf(mountinfo: string, path: string): { type: string; mountPoint: string } | null {
  let best: { type: string; mountPoint: string } | null = null;
  for (const line of mountinfo.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const mountPoint = unescape(left.split(" ")[4] ?? "");
    const type = right.split(" ")[0] ?? "";
    const holds = mountPoint === "/" || path === mountPoint || path.startsWith(`${mountPoint}/`);
    if (holds && (!best || mountPoint.length >= best.mountPoint.length)) best = { type, mountPoint };
  }
  return best;
}

/** The file system of a folder on this machine (its type and mount point); null where it cannot be told. */
export async function fileSystemOf(path: string): Promise<{ type: string; mountPoint: string } | null> {
  try {
    return mountOf(readFileSync("/proc/self/mountinfo", "utf8"), await realpath(path));
  } catch {
    return null;
  }
}
