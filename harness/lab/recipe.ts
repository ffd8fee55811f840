// The lab image's tag is a hash of its recipe, so an unchanged recipe is never rebuilt.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { LAB_BASE_REPO, LAB_IMAGE_REPO, RECIPE_DIR } from "./names.ts";

export interface RecipeRefs {
  /** drdrill/microstack-lab:<hash of base + image/ files> */
  image: string;
  /** drdrill/bookworm-minbase:<hash of base.sh> */
  base: string;
  hash: string;
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

const short = (h: ReturnType<typeof createHash>) => h.digest("hex").slice(0, 12);

/** Hashes each file's path, executable bit and content (what `docker build` would see). */
export async function recipeRefs(dir = RECIPE_DIR): Promise<RecipeRefs> {
  const baseHash = createHash("sha256")
    .update("debootstrap minbase bookworm\0")
    .update(await readFile(join(dir, "base.sh")));
  const base = `${LAB_BASE_REPO}:${short(baseHash)}`;
  const h = createHash("sha256").update(`${base}\0`);
  const imageDir = join(dir, "image");
  for (const file of (await filesUnder(imageDir)).sort()) {
    const st = await stat(file);
    h.update(`${relative(imageDir, file)}\0${st.mode & 0o111 ? "x" : "-"}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  const hash = short(h);
  return { image: `${LAB_IMAGE_REPO}:${hash}`, base, hash };
}
