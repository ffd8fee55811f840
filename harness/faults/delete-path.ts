// delete-path: removes a file or directory under the data directory (the seed drill's disaster).
import { z } from "zod";
import { lexicalPathProblems } from "./confine.ts";
import { defineFault } from "./fault.ts";
import { trapsMet } from "./pick.ts";

export default defineFault({
  name: "delete-path",
  description: "Delete a file or directory under the data directory ('.' deletes all of it).",
  params: z.object({ path: z.string().describe("Relative to the target's data directory.") }).strict(),
  expect: ["recovered"],
  checkParams: (p) => lexicalPathProblems(p.path).map((message) => ({ field: "path", message })),
  paths: (p) => [{ root: "data", path: p.path, kind: "any", field: "path" }],
  async inject(p, ctx) {
    const st = (await ctx.data.stat([p.path]))[p.path];
    if (!st) throw new Error(`delete-path: ${p.path} does not exist in the data directory`);
    if ("refused" in st) throw new Error(`delete-path: ${st.refused}`);
    // The data directory may be a mount point: "." empties it rather than removes it. A service
    // still writing may refill a folder being deleted: the agent goes again.
    const r = await ctx.data.delete([p.path]);
    return {
      effects: {
        path: p.path,
        kind: st.type === "dir" ? "directory" : st.type,
        entriesDeleted: r.entries,
        ...trapsMet(r.refused),
      },
    };
  },
});
