// Removing a finished run's trees (data, backups, restores) off the critical path: the folder is
// renamed aside at once and deleted in the background at idle priority, so the next run and the
// report do not wait for it; the invocation waits for every removal before it exits.
import { spawn } from "node:child_process";
import { rename, rm } from "node:fs/promises";

const pending = new Set<Promise<void>>();

function background(dir: string): Promise<void> {
  return new Promise<void>((resolve) => {
    // nice + ionice's idle class: the deletion takes what the next run leaves over.
    const child = spawn("sh", ["-c", 'command -v ionice >/dev/null && exec nice -n 19 ionice -c3 rm -rf -- "$1" || exec nice -n 19 rm -rf -- "$1"', "rm-tree", dir], { stdio: "ignore" });
    child.on("error", () => void rm(dir, { recursive: true, force: true }).finally(resolve));
    child.on("exit", () => void rm(dir, { recursive: true, force: true }).catch(() => {}).finally(resolve));
  });
}

/** Starts removing `dir`; returns at once. */
export function removeTree(dir: string): void {
  const aside = `${dir}.removing-${process.pid}-${Date.now()}`;
  const p = rename(dir, aside).then(
    () => background(aside),
    (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : background(dir)),
  );
  pending.add(p);
  void p.finally(() => pending.delete(p));
}

/** Waits until every removal started so far has finished. */
export async function settleRemovals(): Promise<void> {
  while (pending.size > 0) await Promise.all([...pending]);
}
