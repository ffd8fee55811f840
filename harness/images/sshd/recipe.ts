// The SSH host image's tag: a hash of its recipe (ci/sshd) and of the base image it starts from.
import { baseRef } from "../base.ts";
import { hashFiles, recipeHash, shortHash } from "../recipe-hash.ts";
import { SSHD_IMAGE_REPO, SSHD_RECIPE_DIR } from "./names.ts";

export interface SshdRecipeRefs {
  /** drdrill/sshd:<hash> */
  image: string;
  /** The lab's base, drdrill/bookworm-minbase:<hash of ci/lab/base.sh>. */
  base: string;
  hash: string;
}

/** Hashes the base's name and each recipe file's path, executable bit and content (README aside). */
export async function sshdRecipeRefs(dir = SSHD_RECIPE_DIR): Promise<SshdRecipeRefs> {
  const base = await baseRef();
  const hash = shortHash(await hashFiles(recipeHash(base), dir, (rel) => rel === "README.md"));
  return { image: `${SSHD_IMAGE_REPO}:${hash}`, base, hash };
}
