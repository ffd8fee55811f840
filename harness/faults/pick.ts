// Seeded choices of files for faults (the same seed breaks the same files every time), and the
// checks of a fault's path parameters that need no files.
import type { ConfinedDir, FileInfo, Refusal } from "../agent/confined-dir.ts";
import { createRng } from "../util/prng.ts";
import { lexicalPathProblems } from "./confine.ts";

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

/** A seeded fraction (at least one) of the regular files under `under` in the data directory. */
export async function pickFraction(
  data: ConfinedDir,
  under: string,
  fraction: number,
  seed: string,
): Promise<{ files: FileInfo[]; victims: FileInfo[]; skipped: Refusal[] }> {
  const { files, skipped } = await data.list(under);
  return { files, skipped, victims: pickSeeded(files, Math.max(1, Math.round(files.length * fraction)), seed) };
}

/** Validation of a fault's folder parameter: relative, inside the data directory. */
export function folderProblems(field: string, rel: string): { field: string; message: string }[] {
  return lexicalPathProblems(rel).map((message) => ({ field, message }));
}

/** What a fault met that led out, for its effects: refused (not touched) and skipped (not followed). */
export function trapsMet(refused: Refusal[], skipped: Refusal[] = []): Record<string, unknown> {
  return {
    ...(refused.length > 0 ? { refused } : {}),
    ...(skipped.length > 0 ? { notFollowed: skipped.length, notFollowedExamples: skipped.slice(0, 5) } : {}),
  };
}
