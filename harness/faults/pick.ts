// Seeded choices of files for faults: the same seed breaks the same files every time.
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createRng } from "../util/prng.ts";
import { lexicalPathProblems } from "./confine.ts";
import type { FaultContext } from "./fault.ts";

/** Regular files under `root` (relative paths, sorted), optionally only below `under`. */
export async function listFiles(root: string, under = "."): Promise<{ rel: string; size: number }[]> {
  const out: { rel: string; size: number }[] = [];
  async function walk(rel: string): Promise<void> {
    const abs = rel === "." ? root : join(root, rel);
    for (const e of await readdir(abs, { withFileTypes: true }).catch(() => [])) {
      const child = rel === "." ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(child);
      else if (e.isFile()) out.push({ rel: child, size: (await lstat(join(root, child))).size });
    }
  }
  await walk(under);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Picks `count` distinct items, seeded. */
export function pickSeeded<T>(items: T[], count: number, seed: string): T[] {
  const rng = createRng(seed);
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
  return out;
}

export function seededInt(seed: string, maxExclusive: number): number {
  return Math.floor(createRng(seed)() * maxExclusive);
}

/** A seeded fraction (at least one) of the files under `under` in the data directory. */
export async function pickFraction(ctx: FaultContext, under: string, fraction: number, seed: string) {
  const root = await ctx.confine(ctx.dataDir, under);
  const files = await listFiles(root);
  return { root, files, victims: pickSeeded(files, Math.max(1, Math.round(files.length * fraction)), seed) };
}

/** Validation of a fault's folder parameter: relative, inside the data directory. */
export function folderProblems(field: string, rel: string): { field: string; message: string }[] {
  return lexicalPathProblems(rel).map((message) => ({ field, message }));
}
