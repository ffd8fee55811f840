// The lab's fixed names: image repositories, container labels, and where MicroStack keeps its state.
import { fileURLToPath } from "node:url";

export const LAB_IMAGE_REPO = "drdrill/microstack-lab";
export const LAB_BASE_REPO = "drdrill/bookworm-minbase";
/** The image recipe: ci/lab (base.sh, image/Dockerfile, image/rootfs). */
export const RECIPE_DIR = fileURLToPath(new URL("../../ci/lab", import.meta.url));

/** Every container drdrill starts carries `drdrill=lab`; removal is by these labels. */
export const LABELS = {
  kind: "drdrill",
  role: "drdrill.role",
  pid: "drdrill.pid",
  host: "drdrill.host",
  recipe: "drdrill.recipe",
} as const;
export const LAB_LABEL_VALUE = "lab";

/** MicroStack's $SNAP_COMMON, the lab's data directory. */
export const SNAP_COMMON = "/var/snap/microstack/common";
/** The line the container's entrypoint prints once every service answers and a token can be issued. */
export const READY_LINE = "MICROSTACK-LAB READY";
export const FAILED_LINE = "MICROSTACK-LAB FAILED";
