// delete-files: deletes a seeded random fraction of the files under the data directory.
import { rm } from "node:fs/promises";
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { folderProblems, pickFraction } from "./pick.ts";

export default defineFault({
  name: "delete-files",
  description: "Delete a random (seeded) fraction of the files under a directory of the data.",
  params: z
    .object({
      fraction: z.number().gt(0).max(1).default(0.1),
      under: z.string().default(".").describe("Relative to the data directory."),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered"],
  validate: (p) => folderProblems("under", p.under),
  async inject(p, ctx) {
    const { root, files, victims } = await pickFraction(ctx, p.under, p.fraction, `delete-files:${p.seed}`);
    for (const v of victims) await rm(await ctx.confine(root, v.rel), { force: true });
    return { effects: { filesDeleted: victims.length, of: files.length, bytesDeleted: victims.reduce((s, v) => s + v.size, 0), examples: victims.slice(0, 5).map((v) => v.rel) } };
  },
});
