// Mount points on this machine, from the kernel's table (/proc/self/mountinfo): a bind mount of a
// folder of the same file system has the st_dev of its parent, so only the table tells that a folder
// is one. Tree removals read it first and never delete through a mount point.
import { readFile, realpath } from "node:fs/promises";

/** A mount point as the table writes it (space, tab, newline and backslash as octal escapes). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Every mount point this process sees, or null when the table cannot be read. */
export async function mountPoints(): Promise<string[] | null> {
  const text = await readFile("/proc/self/mountinfo", "latin1").catch(() => null);
  if (text === null) return null;
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    if (f.length > 4) out.push(Buffer.from(unescape(f[4]!), "latin1").toString("utf8"));
  }
  return out;
}

/**
 * The mount points at or under `dir` (absolute, as the table has them: `dir` is resolved first), or
 * null when the table cannot be read.
 */
export async function mountsUnder(dir: string): Promise<string[] | null> {
  const [table, real] = await Promise.all([mountPoints(), realpath(dir).catch(() => null)]);
  if (table === null) return null;
  if (real === null) return [];
  return table.filter((m) => m === real || m.startsWith(real === "/" ? "/" : `${real}/`));
}
