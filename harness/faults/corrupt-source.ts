// corrupt-source: overwrites bytes inside chosen files of the protected data (e.g. MariaDB's files).
import { z } from "zod";
import { lexicalPathProblems } from "./confine.ts";
import { defineFault } from "./fault.ts";
import { pickSeeded, seededInt, trapsMet } from "./pick.ts";

export default defineFault({
  name: "corrupt-source",
  description: "Overwrite bytes in chosen files of the data directory (default: two files under lib/mysql).",
  params: z
    .object({
      paths: z
        .array(z.string())
        .optional()
        .describe("Files relative to the data directory; default: picked by seed under `under`."),
      under: z.string().default("lib/mysql"),
      files: z.number().int().min(1).default(2),
      bytes: z.number().int().min(1).default(4096),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered"],
  checkParams: (p) => [
    ...(p.paths ?? []).flatMap((path, i) =>
      lexicalPathProblems(path).map((message) => ({ field: `paths.${i}`, message })),
    ),
    ...lexicalPathProblems(p.under).map((message) => ({ field: "under", message })),
  ],
  paths: (p) =>
    p.paths
      ? p.paths.map((path, i) => ({ root: "data" as const, path, kind: "any" as const, field: `paths[${i}]` }))
      : [{ root: "data", path: p.under, kind: "dir", field: "under" }],
  async inject(p, ctx) {
    let chosen: { path: string; size: number }[];
    let skipped: { path: string; reason: string }[] = [];
    if (p.paths) {
      const st = await ctx.data.stat(p.paths);
      chosen = p.paths.map((path) => ({
        path,
        size: st[path] && "size" in st[path]! ? (st[path] as { size: number }).size : 0,
      }));
    } else {
      const listed = await ctx.data.list(p.under);
      skipped = listed.skipped;
      chosen = pickSeeded(
        listed.files.filter((f) => f.size > 0),
        p.files,
        `corrupt-source:${p.seed}`,
      );
    }
    const items = chosen.map((f) => {
      const n = Math.min(p.bytes, f.size);
      return {
        path: f.path,
        offset: seededInt(`${p.seed}:${f.path}`, Math.max(1, f.size - n)),
        length: n,
        mode: "overwrite" as const,
        byte: 0xde,
      };
    });
    const r = await ctx.data.patch(items);
    return { effects: { files: r.items, ...trapsMet(r.refused, skipped) } };
  },
});
