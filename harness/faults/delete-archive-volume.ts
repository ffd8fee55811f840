// delete-archive-volume: removes one archive volume from the backup destination.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { chooseVolume } from "./archive-volumes.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "delete-archive-volume",
  description: "Delete one archive volume/pack/segment from the backup destination.",
  params: z.object({ volume: z.number().int().optional().describe("Index among the data files, sorted; negative counts from the end.") }).strict(),
  expect: ["detected"],
  async inject(p, ctx) {
    const v = await chooseVolume(ctx.repoDir, ctx.tool, p.volume, ctx.seed);
    await rm(join(ctx.repoDir, v.rel));
    return { effects: { volume: v.rel, volumes: v.of, bytes: v.size } };
  },
});
