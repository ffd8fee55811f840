// delete-archive-volume: removes one archive volume from the backup destination.
import { z } from "zod";
import { chooseVolume, volumeParam } from "./archive-volumes.ts";
import { defineFault } from "./fault.ts";
import { trapsMet } from "./pick.ts";

export default defineFault({
  name: "delete-archive-volume",
  description: "Delete one archive volume/pack/segment from the backup destination.",
  params: z
    .object({
      volume: volumeParam,
    })
    .strict(),
  expect: ["detected"],
  async inject(p, ctx) {
    const v = await chooseVolume(ctx.repo, ctx.tool, p.volume, ctx.seed);
    const r = await ctx.repo.delete([v.path]);
    return { effects: { volume: v.path, volumes: v.of, bytes: v.size, ...trapsMet(r.refused) } };
  },
});
