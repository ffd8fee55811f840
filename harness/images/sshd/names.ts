// The SSH host image's fixed names: its repository, recipe folder, container label and log lines.
import { packagePath } from "../../util/package-root.ts";

export const SSHD_IMAGE_REPO = "drdrill/sshd";
/** The image recipe: ci/sshd (Dockerfile, rootfs/); its base is the lab's (ci/lab/base.sh). */
export const SSHD_RECIPE_DIR = packagePath("ci", "sshd");
/** Value of the `drdrill` label on every SSH host container (the lab's are `drdrill=lab`). */
export const SSHD_KIND = "sshd";
/** The entrypoint prints `DRDRILL-SSHD HOSTKEY <type> <base64>` once it made the host key. */
export const HOSTKEY_MARK = "DRDRILL-SSHD HOSTKEY";
/** sshd's own line once it accepts connections. */
export const LISTENING_LINE = /Server listening on \S+ port 22\b/;
