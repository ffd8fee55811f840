// mutate-during-backup: rewrites files in place, chunk by chunk, while the next backup reads them (a
// database writing under a hot backup). Afterwards each restored copy is judged: consistent (one whole
// version that existed), torn (a mix no writer ever wrote) or missing.
import { z } from "zod";
import type { Mutation } from "../agent/confined-dir.ts";
import { defineFault } from "./fault.ts";
import { folderProblems, pickSeeded, trapsMet } from "./pick.ts";

export default defineFault({
  name: "mutate-during-backup",
  description:
    "Keep rewriting files in place while the next backup runs; judge the restored copies (consistent, torn, missing).",
  params: z
    .object({
      under: z.string().default("lib/mysql"),
      files: z.number().int().min(1).max(100).default(4),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered", "detected"],
  checkParams: (p) => folderProblems("under", p.under),
  paths: (p) => [{ root: "data", path: p.under, kind: "dir", field: "under" }],
  async inject(p, ctx) {
    const listed = await ctx.data.list(p.under);
    // Files with a name outside the data directory are never rewritten (the agent would refuse them).
    const candidates = listed.files.filter((f) => f.size >= 4096 && f.size <= 8 << 20 && !f.outsideLinks);
    const chosen = pickSeeded(candidates, p.files, `mutate:${p.seed}`);
    if (chosen.length === 0) throw new Error(`mutate-during-backup: no files of 4 KiB to 8 MiB under ${p.under}`);
    let mutation: Mutation | null = null;
    let result: { rewrites: number; refused: { path: string; reason: string }[] } | null = null;
    const stop = async () => {
      if (mutation && !result) result = await mutation.stop();
      return result;
    };
    return {
      effects: { files: chosen.map((f) => f.path), ...trapsMet([], listed.skipped) },
      armed: {
        on: "backup",
        volatile: chosen.map((f) => f.path),
        onToolStart() {
          // A tool call may start helper commands first: one writer for the whole call.
          mutation ??= ctx.data.mutate(chosen, { dir: ctx.scratch, name: "mutate.stop" });
        },
        async finish() {
          const r = await stop();
          return {
            effects: {
              rewritesDuringBackup: r?.rewrites ?? 0,
              ...(r && r.refused.length > 0 ? { refused: r.refused } : {}),
            },
          };
        },
        async judge(restored) {
          const counts = { consistent: 0, torn: 0, missing: 0 };
          const torn: string[] = [];
          const prefix = restored.under === "." ? "" : `${restored.under}/`;
          const { digests } = await restored.dir.hash(chosen.map((f) => `${prefix}${f.path}`));
          for (const f of chosen) {
            const d = digests[`${prefix}${f.path}`];
            if (!d) counts.missing++;
            else if (mutation?.versions.get(f.path)?.has(d)) counts.consistent++;
            else {
              counts.torn++;
              torn.push(f.path);
            }
          }
          const ok = counts.torn + counts.missing === 0;
          return {
            ok,
            detail: ok
              ? "every file changed during the backup came back as a whole version"
              : `torn: ${torn.join(", ") || "-"}; missing: ${counts.missing}`,
            counts,
          };
        },
        async dispose() {
          await stop();
        },
      },
    };
  },
});
