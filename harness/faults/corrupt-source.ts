// corrupt-source: overwrites bytes inside chosen files of the protected data (e.g. MariaDB's files).
import { open } from "node:fs/promises";
import { z } from "zod";
import { lexicalPathProblems } from "./confine.ts";
import { defineFault } from "./fault.ts";
import { listFiles, pickSeeded, seededInt } from "./pick.ts";

export default defineFault({
  name: "corrupt-source",
  description: "Overwrite bytes in chosen files of the data directory (default: two files under lib/mysql).",
  params: z
    .object({
      paths: z.array(z.string()).optional().describe("Files relative to the data directory; default: picked by seed under `under`."),
      under: z.string().default("lib/mysql"),
      files: z.number().int().min(1).default(2),
      bytes: z.number().int().min(1).default(4096),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered"],
  validate: (p) => [
    ...(p.paths ?? []).flatMap((path, i) => lexicalPathProblems(path).map((message) => ({ field: `paths.${i}`, message }))),
    ...lexicalPathProblems(p.under).map((message) => ({ field: "under", message })),
  ],
  async inject(p, ctx) {
    const chosen = p.paths ?? pickSeeded((await listFiles(ctx.dataDir, p.under)).filter((f) => f.size > 0), p.files, `corrupt-source:${p.seed}`).map((f) => f.rel);
    const touched: { path: string; offset: number; bytes: number }[] = [];
    for (const rel of chosen) {
      const fh = await open(await ctx.confine(ctx.dataDir, rel), "r+");
      try {
        const size = (await fh.stat()).size;
        const n = Math.min(p.bytes, size);
        const offset = seededInt(`${p.seed}:${rel}`, Math.max(1, size - n));
        const garbage = Buffer.alloc(n, 0xde);
        await fh.write(garbage, 0, n, offset);
        touched.push({ path: rel, offset, bytes: n });
      } finally {
        await fh.close();
      }
    }
    return { effects: { files: touched } };
  },
});
