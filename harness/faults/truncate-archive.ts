// truncate-archive: cuts one archive volume short, as an interrupted upload or a full disk would.
import { truncate } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { chooseVolume } from "./archive-volumes.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "truncate-archive",
  description: "Truncate one archive volume/pack/segment to a fraction of its size.",
  params: z
    .object({
      volume: z.number().int().optional().describe("Index among the data files, sorted; negative counts from the end."),
      keep: z.number().min(0).max(0.99).default(0.5).describe("Fraction of the file to keep."),
    })
    .strict(),
  expect: ["detected"],
  async inject(p, ctx) {
    const v = await chooseVolume(ctx.repoDir, ctx.tool, p.volume, ctx.seed);
    const newSize = Math.floor(v.size * p.keep);
    await truncate(join(ctx.repoDir, v.rel), newSize);
    return { effects: { volume: v.rel, volumes: v.of, fromBytes: v.size, toBytes: newSize } };
  },
});
