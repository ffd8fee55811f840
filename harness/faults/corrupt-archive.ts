// corrupt-archive: flips bytes in one archive volume (a duplicity volume, restic pack, borg segment).
import { z } from "zod";
import { chooseVolume, volumeParam } from "./archive-volumes.ts";
import { defineFault } from "./fault.ts";
import { trapsMet } from "./pick.ts";

export default defineFault({
  name: "corrupt-archive",
  description: "Flip bytes in the middle of one archive volume/pack/segment (by index, or chosen by seed).",
  params: z
    .object({
      volume: volumeParam,
      bytes: z.number().int().min(1).max(1_000_000).default(16).describe("How many consecutive bytes to flip."),
    })
    .strict(),
  expect: ["detected"],
  async inject(p, ctx) {
    const v = await chooseVolume(ctx.repo, ctx.tool, p.volume, ctx.seed);
    const offset = Math.max(0, Math.floor(v.size / 2) - Math.floor(p.bytes / 2));
    const n = Math.min(p.bytes, v.size - offset);
    const r = await ctx.repo.patch([{ path: v.path, offset, length: n, mode: "flip" }]);
    return {
      effects: {
        volume: v.path,
        volumes: v.of,
        volumeBytes: v.size,
        offset,
        bytesFlipped: r.bytes,
        ...trapsMet(r.refused),
      },
    };
  },
});
