// mutate-during-backup: rewrites files in place, chunk by chunk, while the next backup reads them (a
// database writing under a hot backup). Afterwards each restored copy is judged: consistent (one whole
// version that existed), torn (a mix no writer ever wrote) or missing.
import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { setImmediate as yieldToOthers } from "node:timers/promises";
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { folderProblems, listFiles, pickSeeded } from "./pick.ts";

const CHUNK = 16 * 1024;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** Version k of a file: the same size, every byte stamped with k and its position. */
function version(size: number, k: number): Buffer {
  const b = Buffer.alloc(size, k & 0xff);
  for (let i = 0; i + 8 <= size; i += 8) {
    b.writeUInt32LE(k, i);
    b.writeUInt32LE(i / 8, i + 4);
  }
  return b;
}

export default defineFault({
  name: "mutate-during-backup",
  description: "Keep rewriting files in place while the next backup runs; judge the restored copies (consistent, torn, missing).",
  params: z
    .object({
      under: z.string().default("lib/mysql"),
      files: z.number().int().min(1).max(100).default(4),
      seed: z.number().int().default(1),
    })
    .strict(),
  expect: ["recovered", "detected"],
  validate: (p) => folderProblems("under", p.under),
  async inject(p, ctx) {
    const candidates = (await listFiles(ctx.dataDir, p.under)).filter((f) => f.size >= 4096 && f.size <= 8 << 20);
    const chosen = pickSeeded(candidates, p.files, `mutate:${p.seed}`);
    if (chosen.length === 0) throw new Error(`mutate-during-backup: no files of 4 KiB to 8 MiB under ${p.under}`);
    const versions = new Map<string, Set<string>>();
    for (const f of chosen) versions.set(f.rel, new Set([sha(await readFile(join(ctx.dataDir, f.rel)))]));
    let running = false;
    let rewrites = 0;
    let loop: Promise<void> | null = null;

    const rewrite = async (rel: string, size: number, k: number) => {
      const v = version(size, k);
      versions.get(rel)!.add(sha(v));
      const fh = await open(await ctx.confine(ctx.dataDir, rel), "r+");
      try {
        for (let off = 0; off < size; off += CHUNK) {
          await fh.write(v, off, Math.min(CHUNK, size - off), off);
          await yieldToOthers(); // let a reader see the file half old, half new
        }
      } finally {
        await fh.close();
      }
      rewrites++;
    };
    const run = async () => {
      for (let k = 1; running; k++) for (const f of chosen) if (running) await rewrite(f.rel, f.size, k);
    };
    const stop = async () => {
      running = false;
      await loop;
      loop = null;
    };

    return {
      effects: { files: chosen.map((f) => f.rel) },
      armed: {
        on: "backup",
        volatile: chosen.map((f) => f.rel),
        onToolStart() {
          running = true;
          loop = run();
        },
        async finish() {
          await stop();
          return { effects: { rewritesDuringBackup: rewrites } };
        },
        async judge(restoredRoot) {
          const counts = { consistent: 0, torn: 0, missing: 0 };
          const torn: string[] = [];
          for (const [rel, known] of versions) {
            const data = await readFile(join(restoredRoot, rel)).catch(() => null);
            if (!data) counts.missing++;
            else if (known.has(sha(data))) counts.consistent++;
            else {
              counts.torn++;
              torn.push(rel);
            }
          }
          const ok = counts.torn + counts.missing === 0;
          return { ok, detail: ok ? "every file changed during the backup came back as a whole version" : `torn: ${torn.join(", ") || "-"}; missing: ${counts.missing}`, counts };
        },
        dispose: stop,
      },
    };
  },
});
