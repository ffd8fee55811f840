// Removing a finished run's trees (data, backups, restores) off the critical path: the folder is
// renamed aside at once and deleted after the reports are written, so no later run of the
// invocation shares the disk with the deletion (a background `rm` of one run's tree doubled the next
// run's seeding on a tree of 78 k files, and would slow its tools as well). When the file system is
// short of space, the tree is deleted at once instead, and the run's cleanup waits for it. The
// invocation waits for every removal before it exits.
import { spawn } from "node:child_process";
import { rename, rm, statfs } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname } from "node:path";

/** Below this share of its space free, a file system gets its trees back at once. */
const RESERVE = 0.2;

const held: string[] = [];
const pending = new Set<Promise<void>>();

function remove(dir: string): Promise<void> {
  return new Promise<void>((resolve) => {
    // nice + ionice's idle class: whatever else runs (another invocation, the user) goes first.
    const child = spawn("sh", ["-c", 'command -v ionice >/dev/null && exec nice -n 19 ionice -c3 rm -rf -- "$1" || exec nice -n 19 rm -rf -- "$1"', "rm-tree", dir], { stdio: "ignore" });
    child.on("error", () => void rm(dir, { recursive: true, force: true }).finally(resolve));
    child.on("exit", () => void rm(dir, { recursive: true, force: true }).catch(() => {}).finally(resolve));
  });
}

function track(p: Promise<void>): Promise<void> {
  pending.add(p);
  void p.finally(() => pending.delete(p));
  return p;
}

/** The share of the file system holding `path` that is free for unprivileged use (1 when unknown). */
async function freeShare(path: string): Promise<number> {
  const s = await statfs(path).catch(() => null);
  return s && s.blocks > 0 ? s.bavail / s.blocks : 1;
}

/**
 * Takes `dir` out of the way at once (renamed aside) and holds it for removal after the reports;
 * deletes it now, and waits, when its file system has less than `reserve` of its space free.
 * Returns how it was done.
 */
export async function removeTree(dir: string, opts: { reserve?: number } = {}): Promise<"held" | "removed" | "absent"> {
  const aside = `${dir}.removing-${process.pid}-${Date.now()}`;
  const moved = await rename(dir, aside).then(
    () => aside,
    (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : dir),
  );
  if (moved === null) return "absent";
  if ((await freeShare(dirname(moved))) >= (opts.reserve ?? RESERVE)) {
    held.push(moved);
    return "held";
  }
  await track(remove(moved));
  return "removed";
}

/** Deletes every tree held so far (a few at once) and waits for every removal to finish. */
export async function settleRemovals(): Promise<void> {
  const queue = held.splice(0);
  const workers = Array.from({ length: Math.min(queue.length, availableParallelism()) }, async () => {
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) await remove(d);
  });
  await track(Promise.all(workers).then(() => undefined));
  while (pending.size > 0) await Promise.all([...pending]);
}

/** Trees held for removal (for tests and the journal). */
export function heldRemovals(): readonly string[] {
  return held;
}
