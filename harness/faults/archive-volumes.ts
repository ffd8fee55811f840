// Which files of a backup repository hold the data (duplicity volumes, restic packs, borg segments),
// as the tool declares them: what archive faults break.
import { z } from "zod";
import type { ConfinedDir, FileInfo } from "../agent/confined-dir.ts";
import type { ToolAdapter } from "../tools/tool.ts";

/** Data files of the repository, sorted; for tools without a declared layout, every file of 1 KiB or more. */
export async function archiveVolumes(repo: ConfinedDir, tool: ToolAdapter): Promise<FileInfo[]> {
  const { files } = await repo.list();
  const pattern = tool.capabilities.dataFiles;
  const hits = pattern ? files.filter((f) => pattern.test(f.path)) : files.filter((f) => f.size >= 1024);
  // borg's small segments can be index-only: prefer ones with content
  return hits.filter((f) => f.size > 0);
}

/** `volume`: an index among the data files, sorted (negative from the end), or the largest one. */
export const volumeParam = z
  .union([z.number().int(), z.literal("largest")])
  .optional()
  .describe("Index among the data files, sorted (negative from the end), or largest (a data pack, not a tree pack).");

/** The volume chosen by index (negative counts from the end) or, without one, by seed. */
export async function chooseVolume(
  repo: ConfinedDir,
  tool: ToolAdapter,
  index: number | "largest" | undefined,
  seed: number,
): Promise<FileInfo & { of: number }> {
  const vols = await archiveVolumes(repo, tool);
  if (vols.length === 0) throw new Error(`no archive volumes found in the repository for ${tool.name}`);
  if (index === "largest") {
    const v = vols.reduce((a, b) => (b.size > a.size || (b.size === a.size && b.path < a.path) ? b : a));
    return { ...v, of: vols.length };
  }
  const i =
    index === undefined
      ? Math.floor(((seed * 2654435761) >>> 0) % vols.length)
      : index < 0
        ? vols.length + index
        : index;
  const v = vols[Math.max(0, Math.min(vols.length - 1, i))]!;
  return { ...v, of: vols.length };
}
