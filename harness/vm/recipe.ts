// The VM image's key: a hash of ci/vm and of the lab image it starts from, so an unchanged recipe
// (on an unchanged lab image) is never rebuilt.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { recipeRefs } from "../lab/recipe.ts";
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

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/**
 * Hashes the lab image's tag, how the disk is made (`DISK_LAYOUT`) and each file
 * under `<recipe>/image` (what `docker build` sees): path, executable bit, content.
 */
export async function vmRecipeRefs(
  opts: { recipeDir?: string; labImage?: string; cacheRoot?: string; diskLayout?: string } = {},
): Promise<VmRecipeRefs> {
  const dir = join(opts.recipeDir ?? VM_RECIPE_DIR, "image");
  const labImage = opts.labImage ?? (await recipeRefs()).image;
  const h = createHash("sha256").update(`${labImage}\0${opts.diskLayout ?? DISK_LAYOUT}\0`);
  for (const file of (await filesUnder(dir)).sort()) {
    const st = await stat(file);
    h.update(`${relative(dir, file)}\0${st.mode & 0o111 ? "x" : "-"}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  const hash = h.digest("hex").slice(0, 12);
  return { hash, labImage, image: `${VM_IMAGE_REPO}:${hash}`, dir: join(opts.cacheRoot ?? vmCacheRoot(), hash) };
}
