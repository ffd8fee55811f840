// Turns the VM's docker stage into what qemu boots: the exported tree as a sparse raw ext4 disk
// (`mkfs.ext4 -d`, the tree plus headroom for drill data) and the kernel and initrd from its /boot.
import { execa } from "execa";
import { copyFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { EnvironmentError } from "../../model/errors.ts";
import { dirSize } from "../../util/dir-size.ts";

/** Free space the guest gets beyond its files, for drill data, backups and restores. */
export const DISK_HEADROOM_BYTES = 6 * 1024 ** 3;
/** Part of the image's hash: change it when the disk is made differently. */
export const DISK_LAYOUT = `ext4 raw, tree + ${DISK_HEADROOM_BYTES} bytes, v1`;

async function run(cmd: string, args: string[], what: string): Promise<string> {
  const r = await execa(cmd, args, { reject: false, encoding: "utf8", stdin: "ignore" });
  if ((r as { code?: string }).code === "ENOENT")
    throw new EnvironmentError(`vm build: ${cmd} is not installed (bash ci/setup.sh vm installs it)`);
  if (r.exitCode !== 0)
    throw new EnvironmentError(
      `vm build: ${what} failed (exit ${r.exitCode}): ${String(r.stderr).trim().split("\n").slice(-5).join(" / ")}`,
    );
  return String(r.stdout);
}

/** `docker create` + `docker export | tar -x`: the image's files with their numeric owners (needs root). */
export async function exportTree(image: string, treeDir: string): Promise<void> {
  const id = (await run("docker", ["create", image, "/bin/true"], "docker create")).trim();
  try {
    await run(
      "bash",
      [
        "-o",
        "pipefail",
        "-c",
        `mkdir -p "$2" && docker export "$1" | tar -x -C "$2" --numeric-owner`,
        "export",
        id,
        treeDir,
      ],
      "docker export | tar -x",
    );
  } finally {
    await execa("docker", ["rm", "-f", id], { reject: false });
  }
  // docker's marker file; /etc/hosts, /etc/hostname and /etc/resolv.conf are written by the VM's init.
  await rm(join(treeDir, ".dockerenv"), { force: true });
}

/** The disk's size: the tree, 10 % for ext4's own metadata, the headroom; whole MiB. */
export function diskSizeBytes(treeBytes: number, headroomBytes = DISK_HEADROOM_BYTES): number {
  const mib = 1024 ** 2;
  return Math.ceil((treeBytes * 1.1 + headroomBytes) / mib) * mib;
}

/** A sparse raw ext4 file holding `treeDir` (owners, modes and links as in the tree). */
export async function makeExt4Disk(treeDir: string, disk: string): Promise<number> {
  const size = diskSizeBytes(await dirSize(treeDir));
  await rm(disk, { force: true });
  await run("truncate", ["-s", String(size), disk], "truncate");
  await run("mkfs.ext4", ["-q", "-F", "-L", "drdrill-vm", "-m", "0", "-d", treeDir, disk], "mkfs.ext4 -d");
  return size;
}

/** Copies /boot/vmlinuz-* and /boot/initrd.img-* out of the tree; returns the kernel release. */
export async function copyBootFiles(treeDir: string, kernel: string, initrd: string): Promise<string> {
  const boot = join(treeDir, "boot");
  const names = await readdir(boot);
  const vmlinuz = names
    .filter((n) => n.startsWith("vmlinuz-"))
    .sort()
    .at(-1);
  const release = vmlinuz?.slice("vmlinuz-".length);
  if (!release || !names.includes(`initrd.img-${release}`)) {
    throw new EnvironmentError(
      `vm build: the image's /boot has no kernel with an initrd (found: ${names.join(", ") || "nothing"})`,
    );
  }
  await copyFile(join(boot, vmlinuz!), kernel);
  await copyFile(join(boot, `initrd.img-${release}`), initrd);
  return release;
}
