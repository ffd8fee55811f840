// Which files of a backup repository hold the data (duplicity volumes, restic packs, borg segments):
// what archive faults break.
import { listFiles } from "./pick.ts";

const DATA_FILES: Record<string, RegExp> = {
  duplicity: /^duplicity-(full|inc)\.[^/]*\.vol\d+\.difftar/,
  restic: /^data\/[0-9a-f]{2}\/[0-9a-f]{64}$/,
  borg: /^data\/\d+\/\d+$/,
};

/** Data files of the repository, sorted; for tools without a known layout, every file of 1 KiB or more. */
export async function archiveVolumes(repoDir: string, tool: string): Promise<{ rel: string; size: number }[]> {
  const files = await listFiles(repoDir);
  const pattern = DATA_FILES[tool];
  const hits = pattern ? files.filter((f) => pattern.test(f.rel)) : files.filter((f) => f.size >= 1024);
  // borg's small segments can be index-only: prefer ones with content
  return hits.filter((f) => f.size > 0);
}

/** The volume chosen by index (negative counts from the end) or, without one, by seed. */
export async function chooseVolume(repoDir: string, tool: string, index: number | undefined, seed: number): Promise<{ rel: string; size: number; of: number }> {
  const vols = await archiveVolumes(repoDir, tool);
  if (vols.length === 0) throw new Error(`no archive volumes found in the repository for ${tool}`);
  const i = index === undefined ? Math.floor(((seed * 2654435761) >>> 0) % vols.length) : index < 0 ? vols.length + index : index;
  const v = vols[Math.max(0, Math.min(vols.length - 1, i))]!;
  return { ...v, of: vols.length };
}
