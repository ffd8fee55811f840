// schedule: { for, every, backup, jitter }. Backups every interval while the load writer runs; then
// the disaster strikes at a seeded point of the last interval (achieved RPO against the interval).
import { z } from "zod";
import { createRng } from "../util/prng.ts";
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { defineStep } from "./step.ts";

export default defineStep({
  name: "schedule",
  description: "Backups every interval while the load writer runs (achieved RPO vs interval).",
  schema: z
    .object({
      for: durationText().describe("How long the load writer runs while backups are taken."),
      every: durationText({ minMs: 1000 })
        .optional()
        .describe("Backup interval (1 s or more); default: the scenario's sweep.every."),
      backup: z.enum(["full", "incremental"]).default("incremental"),
      jitter: z
        .boolean()
        .default(true)
        .describe("Let the disaster strike at a seeded random point of the last interval."),
    })
    .strict()
    .describe("Backups every interval while the load writer runs (achieved RPO vs interval)."),
  requires: (spec, tool) =>
    spec.backup === "incremental" && tool.capabilities.incremental !== true ? tool.capabilities.incremental : undefined,
  async run(spec, ctx) {
    const every = spec.every ? parseDuration(spec.every)! : ctx.plan.intervalMs!;
    const start = Date.now();
    const until = start + parseDuration(spec.for)!;
    let ok = true;
    // Backups start on a fixed clock (start + k * every); one that overruns delays only the next.
    for (let k = 1; start + k * every <= until; k++) {
      const next = start + k * every;
      await ctx.phase(
        "load",
        () => ctx.sleep(Math.max(0, next - Date.now())),
        `until the next backup (every ${every / 1000} s)`,
      );
      ok = (await ctx.runStep("backup", spec.backup)).ok && ok;
    }
    // Disasters do not wait for the next backup: strike at a seeded point of the interval.
    const fraction = spec.jitter ? createRng(`schedule:${ctx.plan.seed}:${ctx.plan.repeat}:${every}`)() : 1;
    await ctx.phase(
      "load",
      () => ctx.sleep(Math.round(every * fraction)),
      `${Math.round(fraction * 100)} % of an interval`,
    );
    return { ok, changes: {} };
  },
});
