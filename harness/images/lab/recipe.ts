// The lab image's tag: a hash of the base it starts from and of its recipe's image/ folder.
import { join } from "node:path";
import { baseRef } from "../base.ts";
import { hashFiles, recipeHash, shortHash } from "../recipe-hash.ts";
import { LAB_IMAGE_REPO, LAB_RECIPE_DIR } from "./names.ts";

export interface LabRecipeRefs {
  /** drdrill/microstack-lab:<hash of base + image/ files> */
  image: string;
  /** drdrill/bookworm-minbase:<hash of base.sh> */
  base: string;
  hash: string;
}

/** Hashes the base's name and each file under `<dir>/image` (what `docker build` sees). */
export async function labRecipeRefs(dir = LAB_RECIPE_DIR): Promise<LabRecipeRefs> {
  const base = await baseRef(join(dir, "base.sh"));
  const hash = shortHash(await hashFiles(recipeHash(base), join(dir, "image")));
  return { image: `${LAB_IMAGE_REPO}:${hash}`, base, hash };
}
