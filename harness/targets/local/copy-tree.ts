// Copies a tree on this machine at the disk's speed: the system's own copier (`cp -a`, reflinks
// where the file system has them), not a file-at-a-time loop in the harness.
import type { CommandExecutor } from "../../exec/types.ts";

/** Copies the contents of `from` into `to` (created, or an existing empty folder); returns how. */
export async function copyTree(exec: CommandExecutor, from: string, to: string): Promise<string> {
  const r = await exec.run({ label: "copy-tree", command: "cp", args: ["-a", "--reflink=auto", "-T", "--", from, to], log: false, timeoutMs: 6 * 3_600_000 });
  if (r.failed) throw new Error(`copying ${from} to ${to} failed: ${r.stderr.trim().split("\n").slice(-2).join(" / ") || `exit ${r.exitCode}`}`);
  return "cp -a --reflink=auto";
}
