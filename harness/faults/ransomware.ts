// ransomware: encrypts a fraction of the files in place with a key it throws away, and renames them.
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { folderProblems, pickFraction, trapsMet } from "./pick.ts";

const NOTE = "README-RESTORE-FILES.txt";

export default defineFault({
  name: "ransomware",
  description: "Encrypt a fraction of the files in place (key discarded), rename them to NAME.locked, leave a note.",
  params: z
    .object({
      fraction: z.number().gt(0).max(1).default(0.5),
      under: z.string().default("."),
      extension: z
        .string()
        .regex(/^\.[\w-]+$/)
        .default(".locked"),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered"],
  checkParams: (p) => folderProblems("under", p.under),
  paths: (p) => [{ root: "data", path: p.under, kind: "dir", field: "under" }],
  async inject(p, ctx) {
    const { files, victims, skipped } = await pickFraction(ctx.data, p.under, p.fraction, `ransomware:${p.seed}`);
    // The agent XORs each file with a random keystream it never keeps: these bytes are gone for good.
    const r = await ctx.data.encrypt(
      victims.map((v) => v.path),
      p.extension,
    );
    const note = await ctx.data
      .write(NOTE, "Your files are encrypted. (A drdrill drill: restore them from backup.)\n")
      .then(
        () => NOTE,
        (e: Error) => `not written: ${e.message}`,
      );
    return {
      effects: {
        note,
        filesEncrypted: r.touched,
        of: files.length,
        bytesEncrypted: r.bytes,
        renamedTo: `*${p.extension}`,
        examples: r.examples,
        ...trapsMet(r.refused, skipped),
      },
    };
  },
});
