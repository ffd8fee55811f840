// Copies a tree on this machine at the disk's speed: the system's own copier (`cp -a`, reflinks
// where the file system has them), not a file-at-a-time loop in the harness. Cloning many small
// files is bound by one core (each file a transaction), so the top-level entries are split over one
// `cp` per core; a tree with hard links is copied by a single `cp`, which keeps them.
import { mkdir, readdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { CommandExecutor } from "../../exec/types.ts";

const CP = ["-a", "--reflink=auto"];
const SIX_HOURS = 6 * 3_600_000;

/**
 * Copies the contents of `from` into `to` (created, or an existing empty folder); returns how.
 * `hardLinks`: whether the tree has files with several names, when the caller knows (else looked up).
 */
export async function copyTree(
  exec: CommandExecutor,
  from: string,
  to: string,
  opts: { workers?: number; hardLinks?: boolean | undefined } = {},
): Promise<string> {
  const workers = opts.workers ?? availableParallelism();
  const names = workers > 1 ? await readdir(from).catch(() => []) : [];
  if (names.length < 2 || (opts.hardLinks ?? (await hasHardLinks(exec, from)))) {
    await cp(exec, [...CP, "-T", "--", from, to]);
    return "cp -a --reflink=auto";
  }
  await mkdir(to, { recursive: true });
  // Groups of entries, taken by whichever copier is free (so one big folder does not hold up the rest).
  const per = Math.max(1, Math.min(500, Math.ceil(names.length / (workers * 8))));
  const groups: string[][] = [];
  for (let i = 0; i < names.length; i += per) groups.push(names.slice(i, i + per).map((n) => `${from}/${n}`));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, groups.length) }, async () => {
      while (next < groups.length) await cp(exec, [...CP, "-t", to, "--", ...groups[next++]!]);
    }),
  );
  // The folder itself as `cp -a` would leave it: its owner, mode and times (after its entries were added).
  const r = await exec.run({
    label: "copy-tree",
    command: "sh",
    args: [
      "-c",
      'chown --reference="$1" -- "$2" 2>/dev/null; chmod --reference="$1" -- "$2" && touch -r "$1" -- "$2"',
      "copy-tree",
      from,
      to,
    ],
    log: false,
  });
  if (r.failed) throw new Error(`copying ${from} to ${to} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return `cp -a --reflink=auto, ${Math.min(workers, groups.length)} at once`;
}

async function cp(exec: CommandExecutor, args: string[]): Promise<void> {
  const r = await exec.run({ label: "copy-tree", command: "cp", args, log: false, timeoutMs: SIX_HOURS });
  if (r.failed)
    throw new Error(
      `copying failed (cp ${args.slice(-3).join(" ")}): ` +
        `${r.stderr.trim().split("\n").slice(-2).join(" / ") || `exit ${r.exitCode}`}`,
    );
}

/** Whether a regular file of the tree has more than one name (split copies would not keep the link). */
async function hasHardLinks(exec: CommandExecutor, dir: string): Promise<boolean> {
  const r = await exec.run({
    label: "copy-tree",
    command: "find",
    args: [dir, "-type", "f", "-links", "+1", "-print", "-quit"],
    log: false,
    timeoutMs: SIX_HOURS,
  });
  return r.failed || r.stdout.trim() !== "";
}
