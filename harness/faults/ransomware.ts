// ransomware: encrypts a fraction of the files in place with a key it throws away, and renames them.
import { createCipheriv, randomBytes } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { folderProblems, pickFraction } from "./pick.ts";

export default defineFault({
  name: "ransomware",
  description: "Encrypt a fraction of the files in place (key discarded), rename them to NAME.locked, leave a note.",
  params: z
    .object({
      fraction: z.number().gt(0).max(1).default(0.5),
      under: z.string().default("."),
      extension: z.string().regex(/^\.[\w-]+$/).default(".locked"),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered"],
  validate: (p) => folderProblems("under", p.under),
  async inject(p, ctx) {
    const { root, files, victims } = await pickFraction(ctx, p.under, p.fraction, `ransomware:${p.seed}`);
    const key = randomBytes(32); // never kept: these bytes are gone for good
    let bytes = 0;
    for (const v of victims) {
      const abs = await ctx.confine(root, v.rel);
      const iv = randomBytes(16);
      const c = createCipheriv("aes-256-ctr", key, iv);
      const data = await readFile(abs);
      await writeFile(`${abs}${p.extension}`, Buffer.concat([iv, c.update(data), c.final()]));
      await rm(abs);
      bytes += data.length;
    }
    await writeFile(await ctx.confine(ctx.dataDir, "README-RESTORE-FILES.txt"), "Your files are encrypted. (A drdrill drill: restore them from backup.)\n");
    return { effects: { filesEncrypted: victims.length, of: files.length, bytesEncrypted: bytes, renamedTo: `*${p.extension}`, examples: victims.slice(0, 5).map((v) => v.rel) } };
  },
});
