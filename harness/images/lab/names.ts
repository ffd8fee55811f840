// The lab image's fixed names: its repository and recipe, its container label, where MicroStack
// keeps its state, and the lines its entrypoint prints.
import { packagePath } from "../../util/package-root.ts";

export const LAB_IMAGE_REPO = "drdrill/microstack-lab";
/** The image recipe: ci/lab (base.sh, image/Dockerfile, image/rootfs). */
export const LAB_RECIPE_DIR = packagePath("ci", "lab");
/** Value of the `drdrill` label on every lab container. */
export const LAB_KIND = "lab";

/** MicroStack's $SNAP_COMMON, the lab's data directory. */
export const SNAP_COMMON = "/var/snap/microstack/common";
/** The line the container's entrypoint prints once every service answers and a token can be issued. */
export const READY_LINE = "MICROSTACK-LAB READY";
export const FAILED_LINE = "MICROSTACK-LAB FAILED";
