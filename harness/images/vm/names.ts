// The VM image's fixed names: its recipe folder, the docker stage's repository, and the cache
// folder where the disk, kernel and initrd are kept.
import { homedir } from "node:os";
import { join } from "node:path";
import { packagePath } from "../../util/package-root.ts";

/** The VM image recipe: ci/vm (image/Dockerfile, image/rootfs, image/initramfs-modules). */
export const VM_RECIPE_DIR = packagePath("ci", "vm");
/** The docker stage the disk is exported from: drdrill/microstack-vm:<hash>. */
export const VM_IMAGE_REPO = "drdrill/microstack-vm";

/** Per-user cache: `${XDG_CACHE_HOME:-~/.cache}/drdrill/vm`. */
export function vmCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "drdrill", "vm");
}
