// The VM's fixed names: its recipe folder, image repository, cache folder, and the lines its init
// prints on the serial console.
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The VM image recipe: ci/vm (image/Dockerfile, image/rootfs, image/initramfs-modules). */
export const VM_RECIPE_DIR = fileURLToPath(new URL("../../ci/vm", import.meta.url));
/** The docker stage the disk is exported from: drdrill/microstack-vm:<hash>. */
export const VM_IMAGE_REPO = "drdrill/microstack-vm";

/** Per-user cache: `${XDG_CACHE_HOME:-~/.cache}/drdrill/vm`. */
export function vmCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "drdrill", "vm");
}

/** `DRDRILL-VM HOSTKEY ssh-ed25519 AAAA...`: the guest's SSH host key, made at first boot. */
export const HOSTKEY_MARK = "DRDRILL-VM HOSTKEY";
/** `DRDRILL-VM SSHD UP (12.3 s after boot)`. */
export const SSHD_MARK = "DRDRILL-VM SSHD UP";
/** The init path inside the image. */
export const VM_INIT = "/usr/local/sbin/drdrill-vm-init";
/** What user-mode networking gives the guest (the init sets it statically). */
export const GUEST_SSH_PORT = 22;
