// stale-lock: a backup run crashed (SIGKILL) while it held the repository's lock; the next backup
// must clear the lock or fail clearly.
import { z } from "zod";
import { parseDuration } from "../util/units.ts";
import { defineFault } from "./fault.ts";

export default defineFault({
  name: "stale-lock",
  description: "Start a backup and SIGKILL it after a moment, leaving its lock behind.",
  params: z.object({ after: z.string().default("1500ms").describe("How long the crashed backup runs.") }).strict(),
  expect: ["recovered", "detected"],
  checkParams: (p) =>
    parseDuration(p.after) === undefined ? [{ field: "after", message: `"${p.after}" is not a duration` }] : [],
  async inject(p, ctx) {
    const run = await ctx.crashBackup(parseDuration(p.after)!);
    const locks = (await ctx.repo.list()).files.filter((f) => /lock/i.test(f.path)).map((f) => f.path);
    return {
      effects: {
        crashedAfterMs: Math.round(run.durationMs),
        exitCode: run.exitCode,
        signal: run.signal,
        finishedBeforeKill: run.exitCode === 0,
        lockFilesLeft: locks,
        toolSays: ctx.tool.capabilities.staleLock,
      },
    };
  },
});
