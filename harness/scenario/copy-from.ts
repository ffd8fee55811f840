// What `dataset.copyFrom` may name: an existing folder of this machine holding data, never a kernel
// pseudo file system (/proc, /sys, /dev) nor one that holds such a mount: their files are views and
// devices, copying them reads without end or copies device nodes.
import { realpathSync, statSync } from "node:fs";
import { pseudoFilesystemsAt } from "../util/pseudo-fs.ts";

/** The kernel's own folders, whatever file system they are on here (a container's /dev is a tmpfs). */
const KERNEL_FOLDERS = ["/proc", "/sys", "/dev"];

/** Why the folder cannot be copied, or null when it can. */
export function copyFromProblem(from: string): string | null {
  let real: string;
  try {
    real = realpathSync(from);
  } catch {
    return "no such folder";
  }
  if (!statSync(real).isDirectory()) return "not a folder (unpack an archive first)";
  const kernel = KERNEL_FOLDERS.find(
    (k) => real === k || real.startsWith(`${k}/`) || k.startsWith(`${real === "/" ? "" : real}/`),
  );
  const pseudo = pseudoFilesystemsAt(real);
  if (!kernel && pseudo.length === 0) return null;
  const what = pseudo[0] ? `${pseudo[0].mountPoint} (${pseudo[0].fsType})` : kernel;
  const at = pseudo[0]?.mountPoint === real || kernel === real ? "is" : "holds";
  return (
    `${at} ${what}, a kernel pseudo file system: ` +
    "its files are the kernel's views and devices, not data; copy a real folder"
  );
}
