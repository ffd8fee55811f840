// delete-files: deletes a seeded random fraction of the files under the data directory.
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { folderProblems, pickFraction, trapsMet } from "./pick.ts";

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
  checkParams: (p) => folderProblems("under", p.under),
  paths: (p) => [{ root: "data", path: p.under, kind: "dir", field: "under" }],
  async inject(p, ctx) {
    const { files, victims, skipped } = await pickFraction(ctx.data, p.under, p.fraction, `delete-files:${p.seed}`);
    const r = await ctx.data.delete(victims.map((v) => v.path));
    return {
      effects: {
        filesDeleted: r.touched,
        of: files.length,
        bytesDeleted: r.bytes,
        examples: r.examples,
        ...trapsMet(r.refused, skipped),
      },
    };
  },
});
