// The kernel's pseudo file systems (proc, sysfs, devtmpfs...) at or below a folder of this machine:
// their files are the kernel's views and devices, not data, and copying them reads without end or
// copies device nodes. Read from /proc/self/mountinfo.
import { readFileSync } from "node:fs";

export const PSEUDO_FILESYSTEMS = new Set([
  "proc",
  "sysfs",
  "devtmpfs",
  "devpts",
  "cgroup",
  "cgroup2",
  "debugfs",
  "tracefs",
  "securityfs",
  "pstore",
  "bpf",
  "configfs",
  "fusectl",
  "mqueue",
  "hugetlbfs",
  "efivarfs",
  "binfmt_misc",
  "autofs",
  "rpc_pipefs",
  "nsfs",
  "selinuxfs",
]);

export interface Mount {
  mountPoint: string;
  fsType: string;
}

/** Octal escapes of mountinfo (a space is \040). */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

export function mounts(text = readFileSync("/proc/self/mountinfo", "utf8")): Mount[] {
  return text
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => {
      const [left, right] = line.split(" - ");
      const point = left?.split(" ")[4];
      const fsType = right?.split(" ")[0];
      return point && fsType ? [{ mountPoint: unescape(point), fsType }] : [];
    });
}

const inside = (path: string, dir: string) => dir === "/" || path === dir || path.startsWith(`${dir}/`);

/** The pseudo file systems `dir` (a real path) is on or holds. */
export function pseudoFilesystemsAt(dir: string, all: Mount[] = mounts()): Mount[] {
  // The mount `dir` is on: the last one listed (the one on top) whose point holds it.
  const on = all.filter((m) => inside(dir, m.mountPoint)).sort((a, b) => b.mountPoint.length - a.mountPoint.length)[0];
  const below = all.filter((m) => m.mountPoint !== dir && inside(m.mountPoint, dir));
  return [...(on ? [on] : []), ...below].filter((m) => PSEUDO_FILESYSTEMS.has(m.fsType));
}
