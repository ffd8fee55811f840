// The VM image's key: a hash of ci/vm and of the lab image it starts from, so an unchanged recipe
// (on an unchanged lab image) is never rebuilt.
import { join } from "node:path";
import { labRecipeRefs } from "../lab/recipe.ts";
import { hashFiles, recipeHash, shortHash } from "../recipe-hash.ts";
import { DISK_LAYOUT } from "./disk-image.ts";
import { VM_IMAGE_REPO, VM_RECIPE_DIR, vmCacheRoot } from "./names.ts";

export interface VmRecipeRefs {
  hash: string;
  /** drdrill/microstack-lab:<hash>, the image the VM's docker stage is built FROM. */
  labImage: string;
  /** drdrill/microstack-vm:<hash>, the docker stage the disk is exported from. */
  image: string;
  /** `<cache>/<hash>`: disk.raw, vmlinuz, initrd.img, image.json. */
  dir: string;
}

/**
 * Hashes the lab image's tag, how the disk is made (`DISK_LAYOUT`) and each file
 * under `<recipe>/image` (what `docker build` sees): path, executable bit, content.
 */
export async function vmRecipeRefs(
  opts: { recipeDir?: string; labImage?: string; cacheRoot?: string; diskLayout?: string } = {},
): Promise<VmRecipeRefs> {
  const labImage = opts.labImage ?? (await labRecipeRefs()).image;
  const seed = recipeHash(labImage, opts.diskLayout ?? DISK_LAYOUT);
  const hash = shortHash(await hashFiles(seed, join(opts.recipeDir ?? VM_RECIPE_DIR, "image")));
  return { hash, labImage, image: `${VM_IMAGE_REPO}:${hash}`, dir: join(opts.cacheRoot ?? vmCacheRoot(), hash) };
}
