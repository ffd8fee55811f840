// Removing a finished run's trees (data, backups, restores) off the critical path: the folder is
// renamed aside at once and deleted after the reports are written, so no later run of the
// invocation shares the disk with the deletion (a background `rm` of one run's tree doubled the next
// run's seeding on a tree of 78 k files, and would slow its tools as well). A tree is deleted at once
// instead, and the run's cleanup waits for it, when holding it would leave its file system short:
// less than 20 % of its space or inodes free, or less free space than twice what the run used. A
// held tree is leased, so a drdrill killed before it settled has it removed by the next run or
// `drdrill clean`. The invocation waits for every removal before it exits. No removal deletes through
// a mount point (another file system, or a bind mount of a folder of the same one, which `rm -rf` and
// its --one-file-system cannot tell): the kernel's mount table is read first, and a mount point, with
// the folders on the way to it, is left where it is.
import { spawn } from "node:child_process";
import { readdir, realpath, rename, rm, rmdir, statfs } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { addLease, dropLease } from "../util/leases.ts";
import { mountsUnder } from "../util/mounts.ts";

/** Below this share of its space (or inodes) free, a file system gets its trees back at once. */
const RESERVE = 0.2;
const LEASES = `removals-${process.pid}`;

/** The name a folder set aside for removal gets (`DIR.removing-PID-MS`): the sweep deletes only such folders. */
export const SET_ASIDE = /\.removing-\d+-\d+$/;

const held: string[] = [];
const pending = new Set<Promise<unknown>>();

/** `rm -rf` of a tree with no mount point in it, at low priority, in its own process group. */
function removeAll(dir: string): Promise<void> {
  return new Promise<void>((resolve) => {
    // Its own process group: a Ctrl-C at the terminal while the removals settle does not cut it short.
    // nice + ionice's idle class: whatever else runs (another invocation, the user) goes first.
    const child = spawn(
      "sh",
      [
        "-c",
        'command -v ionice >/dev/null && exec nice -n 19 ionice -c3 rm -rf -- "$1" || exec nice -n 19 rm -rf -- "$1"',
        "rm-tree",
        dir,
      ],
      { stdio: "ignore", detached: true },
    );
    child.on("error", () => void rm(dir, { recursive: true, force: true }).finally(resolve));
    child.on(
      "exit",
      () =>
        void rm(dir, { recursive: true, force: true })
          .catch(() => {})
          .finally(resolve),
    );
  });
}

/** Removes what is in `dir` except the mount points (and the folders on the way to them); collects those. */
async function removeAround(dir: string, mounts: readonly string[], left: string[]): Promise<void> {
  if (mounts.includes(dir)) return void left.push(dir);
  if (!mounts.some((m) => m.startsWith(`${dir}/`))) return removeAll(dir);
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory() || mounts.includes(p)) await removeAround(p, mounts, left);
    else await rm(p, { force: true }).catch(() => {});
  }
  await rmdir(dir).catch(() => {}); // a mount point below keeps it
}

/**
 * Deletes `dir` (at low priority, in its own process group), never through a mount point at or under
 * it; resolves, when it is gone or cannot be, with the mount points it left alone.
 */
export async function deleteTree(dir: string): Promise<string[]> {
  const mounts = await mountsUnder(dir);
  // No mount table (no /proc): nothing can tell a bind mount; the tree goes as it always went.
  if (mounts === null || mounts.length === 0) return removeAll(dir).then(() => []);
  const left: string[] = [];
  await removeAround(await realpath(dir).catch(() => dir), mounts, left);
  return left;
}

function track<T>(p: Promise<T>): Promise<T> {
  pending.add(p);
  void p.finally(() => pending.delete(p));
  return p;
}

/** Free bytes (for unprivileged use) of the file system holding `path`; null when unknown. */
export async function freeBytes(path: string): Promise<number | null> {
  const s = await statfs(path).catch(() => null);
  return s ? s.bavail * s.bsize : null;
}

/** Whether the file system holding `path` keeps enough free with the tree held. */
async function roomy(path: string, reserve: number, needBytes: number): Promise<boolean> {
  const s = await statfs(path).catch(() => null);
  if (!s) return false;
  const space = s.blocks > 0 ? s.bavail / s.blocks : 1;
  const inodes = s.files > 0 ? s.ffree / s.files : 1;
  return space >= reserve && inodes >= reserve && s.bavail * s.bsize >= needBytes;
}

/**
 * Takes `dir` out of the way at once (renamed aside) and holds it for removal after the reports;
 * deletes it now, and waits, when its file system would be left short (see above). `usedBytes`:
 * what the run took of the file system (the next run is taken to need as much, twice over).
 */
export async function removeTree(
  dir: string,
  opts: {
    reserve?: number;
    usedBytes?: number;
    /** Mount points found in the tree: they will be left alone (told now, while the run can still say so). */
    onMounts?: (mounts: string[]) => void;
  } = {},
): Promise<"held" | "removed" | "absent"> {
  const aside = `${dir}.removing-${process.pid}-${Date.now()}`;
  const moved = await rename(dir, aside).then(
    () => aside,
    (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : dir),
  );
  if (moved === null) return "absent";
  const mounts = await mountsUnder(moved);
  if (mounts && mounts.length > 0) opts.onMounts?.(mounts);
  if (moved === aside && (await roomy(dirname(moved), opts.reserve ?? RESERVE, 2 * Math.max(0, opts.usedBytes ?? 0)))) {
    await addLease(LEASES, { kind: "tree", id: moved, what: "a run's folder set aside for removal" }).catch(() => {});
    held.push(moved);
    return "held";
  }
  await track(deleteTree(moved));
  return "removed";
}

/** Deletes every tree held so far (a few at once) and waits for every removal to finish. */
export async function settleRemovals(): Promise<void> {
  const queue = held.splice(0);
  const workers = Array.from({ length: Math.min(queue.length, availableParallelism()) }, async () => {
    for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
      await deleteTree(d);
      await dropLease(LEASES, { kind: "tree", id: d }).catch(() => {});
    }
  });
  await track(Promise.all(workers).then(() => undefined));
  while (pending.size > 0) await Promise.all([...pending]);
}
