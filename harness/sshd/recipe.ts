// The SSH host image's tag: a hash of its recipe (ci/sshd) and of the lab base image it starts from.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { recipeRefs } from "../lab/recipe.ts";
import { SSHD_IMAGE_REPO, SSHD_RECIPE_DIR } from "./names.ts";

export interface SshdRecipeRefs {
  /** drdrill/sshd:<hash> */
  image: string;
  /** The lab's base, drdrill/bookworm-minbase:<hash of ci/lab/base.sh>. */
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

/** Hashes the base's name and each recipe file's path, executable bit and content (README aside). */
export async function sshdRecipeRefs(dir = SSHD_RECIPE_DIR): Promise<SshdRecipeRefs> {
  const { base } = await recipeRefs();
  const h = createHash("sha256").update(`${base}\0`);
  for (const file of (await filesUnder(dir)).sort()) {
    const rel = relative(dir, file);
    if (rel === "README.md") continue;
    const st = await stat(file);
    h.update(`${rel}\0${st.mode & 0o111 ? "x" : "-"}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  const hash = h.digest("hex").slice(0, 12);
  return { image: `${SSHD_IMAGE_REPO}:${hash}`, base, hash };
}
