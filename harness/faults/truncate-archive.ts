// truncate-archive: cuts one archive volume short, as an interrupted upload or a full disk would.
import { z } from "zod";
import { chooseVolume, volumeParam } from "./archive-volumes.ts";
import { defineFault } from "./fault.ts";
import { trapsMet } from "./pick.ts";

export default defineFault({
  name: "truncate-archive",
  description: "Truncate one archive volume/pack/segment to a fraction of its size.",
  params: z
    .object({
      volume: volumeParam,
      keep: z.number().min(0).max(0.99).default(0.5).describe("Fraction of the file to keep."),
    })
    .strict(),
  expect: ["detected"],
  async inject(p, ctx) {
    const v = await chooseVolume(ctx.repo, ctx.tool, p.volume, ctx.seed);
    const newSize = Math.floor(v.size * p.keep);
    const r = await ctx.repo.patch([{ path: v.path, truncate: newSize }]);
    return { effects: { volume: v.path, volumes: v.of, fromBytes: v.size, toBytes: newSize, ...trapsMet(r.refused) } };
  },
});
