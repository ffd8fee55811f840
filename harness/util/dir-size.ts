// Total apparent size of the regular files under a directory (0 if it does not exist); a file with
// several hard links counts once.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

export async function dirSize(dir: string, seen = new Set<string>()): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await dirSize(p, seen);
    else if (e.isFile()) {
      const st = await lstat(p).catch(() => null);
      if (!st) continue;
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1 && seen.has(key)) continue;
      seen.add(key);
      total += st.size;
    }
  }
  return total;
}
