// Plants traps in a running drill's target (its data directory and its backup destination) once
// the data is seeded: symlinks to an outside folder (as a folder, a file, and in the middle of a
// path) and a hard link to an outside canary. The canaries' digest must not change.
import { link, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { digestTree } from "./traps.ts";

export interface Planted {
  outside: string;
  before: string;
  digest(): Promise<string>;
}

export async function makeOutside(root: string): Promise<Planted> {
  const outside = join(root, "outside");
  await mkdir(join(outside, "dir"), { recursive: true });
  await writeFile(join(outside, "dir", "c.txt"), "canary in a folder\n");
  await writeFile(join(outside, "dir", "own.txt"), "a canary named like a file inside\n");
  await writeFile(join(outside, "file.txt"), "canary file\n");
  await writeFile(join(outside, "hl-canary.txt"), Buffer.alloc(8192, 0x5a));
  const before = await digestTree(outside);
  return { outside, before, digest: () => digestTree(outside) };
}

/** Waits until the run's journal says the dataset is in place, then plants the traps. */
export async function plantWhenSeeded(outDir: string, planted: Planted, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const journal = await readFile(join(outDir, "journal.jsonl"), "utf8").catch(() => "");
    if (journal.includes('"type":"dataset"')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const target = join(outDir, "work", "run-1", "target");
  const data = join(target, "common");
  await mkdir(join(data, "sub"), { recursive: true });
  await writeFile(join(data, "sub", "own.txt"), "an ordinary file inside\n");
  await symlink(join(planted.outside, "dir"), join(data, "ld"));
  await symlink(join(planted.outside, "file.txt"), join(data, "lf"));
  await symlink(join(planted.outside, "dir"), join(data, "sub", "mid"));
  await link(join(planted.outside, "hl-canary.txt"), join(data, "hl.dat"));
  await symlink(join(planted.outside, "dir"), join(target, "repo", "evil.tar.zst"));
}
