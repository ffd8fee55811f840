// delete-path: removes a file or directory under the data directory (the seed drill's disaster).
import { lstat, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { defineFault } from "./fault.ts";
import { lexicalPathProblems } from "./confine.ts";

// A service may still be writing while the disaster strikes: retry when a directory refills.
const RM = { recursive: true, force: true, maxRetries: 20, retryDelay: 10 };

export default defineFault({
  name: "delete-path",
  description: "Delete a file or directory under the data directory ('.' deletes all of it).",
  params: z.object({ path: z.string().describe("Relative to the target's data directory.") }).strict(),
  expect: ["recovered"],
  validate: (p) => lexicalPathProblems(p.path).map((message) => ({ field: "path", message })),
  async inject(p, ctx) {
    const abs = await ctx.confine(ctx.dataDir, p.path);
    const st = await lstat(abs).catch(() => null);
    if (!st) throw new Error(`delete-path: ${p.path} does not exist in the data directory`);
    let entries = 1;
    if (abs === ctx.dataDir || st.isDirectory()) entries = await countEntries(abs);
    if (abs === ctx.dataDir) {
      // The data directory may be a mount point: empty it rather than remove it.
      for (const name of await readdir(abs)) await rm(join(abs, name), RM);
    } else {
      await rm(abs, RM);
    }
    return { effects: { path: p.path, kind: st.isDirectory() ? "directory" : st.isSymbolicLink() ? "symlink" : "file", entriesDeleted: entries } };
  },
});

async function countEntries(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    n++;
    if (e.isDirectory()) n += await countEntries(join(dir, e.name));
  }
  return n;
}
