// schedule: { for, every, backup, jitter }. Backups every interval while the load writer runs; then
// the disaster strikes at a seeded point of the last interval (achieved RPO against the interval).
import { z } from "zod";
import { forTool, type PointsMade, type Problem, type RuleContext } from "../rules/context.ts";
import { createRng } from "../util/prng.ts";
import { parseDuration } from "../util/units.ts";
import { durationText } from "../util/zod-units.ts";
import { defineStep } from "./step.ts";

const schema = z
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
  .describe("Backups every interval while the load writer runs (achieved RPO vs interval).");

type Schedule = z.output<typeof schema>;

/** The backups a schedule takes: as many as fit its time at its interval (or each swept one). */
function pointsOf(spec: Schedule, ctx: RuleContext): PointsMade {
  const forMs = parseDuration(spec.for) ?? 0;
  const intervals = spec.every ? [spec.every] : (ctx.scenario.sweep.every ?? []);
  const counts = intervals.map((e) => Math.floor(forMs / (parseDuration(e) ?? Infinity)));
  if (counts.length === 0) return { fewest: 0, most: 0, full: false };
  const most = Math.max(...counts);
  return { fewest: Math.min(...counts), most, full: spec.backup === "full" && most > 0 };
}

export default defineStep({
  name: "schedule",
  description: "Backups every interval while the load writer runs (achieved RPO vs interval).",
  schema,
  points: pointsOf,
  intervalMs: (spec) => (spec.every ? parseDuration(spec.every) : undefined),
  estimateMs(spec, est) {
    const forMs = parseDuration(spec.for) ?? 0;
    const every = spec.every ? (parseDuration(spec.every) ?? forMs) : (est.intervalMs ?? forMs);
    return forMs + Math.floor(forMs / Math.max(every, 1)) * (est.callMs(est.bytes) / 4);
  },
  validate(spec, ctx) {
    const problems: Problem[] = [];
    if (!spec.every && !ctx.scenario.sweep.every)
      problems.push({ field: "every", message: "a schedule needs `every`, or the scenario's sweep.every" });
    if (spec.backup === "incremental") {
      if (!ctx.pointsBefore.full)
        problems.push({ message: "scheduled incremental backups need a full backup before them" });
      const can = ctx.adapter.capabilities.incremental;
      if (can !== true) problems.push({ message: forTool(ctx, can) });
    }
    return problems;
  },
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
