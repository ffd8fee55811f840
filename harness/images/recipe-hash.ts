// An image's tag is a hash of its recipe, so an unchanged recipe is never rebuilt. What is hashed is
// what `docker build` sees, relative to the recipe's folder: the hash does not depend on where it lives.
import { createHash, type Hash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** A sha256 that starts with `seed` (what the image is built from, joined by NULs). */
export function recipeHash(...seed: string[]): Hash {
  return createHash("sha256").update(seed.map((s) => `${s}\0`).join(""));
}

/** Adds each file under `dir`, in order: its path relative to `dir`, executable bit and content. */
export async function hashFiles(h: Hash, dir: string, skip: (rel: string) => boolean = () => false): Promise<Hash> {
  for (const file of (await filesUnder(dir)).sort()) {
    const rel = relative(dir, file);
    if (skip(rel)) continue;
    const st = await stat(file);
    h.update(`${rel}\0${st.mode & 0o111 ? "x" : "-"}\0`)
      .update(await readFile(file))
      .update("\0");
  }
  return h;
}

/** The first 12 hex digits: the tag. */
export const shortHash = (h: Hash): string => h.digest("hex").slice(0, 12);
