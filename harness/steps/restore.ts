// restore: latest | newest-restorable | random | { at: ISO-TIME | backup:N } | { random: { seed, within } }.
// Each point tried is restored into a new, empty folder and compared with the manifest of that
// backup; newest-restorable tries the point before whenever the tool reports damage, as an operator
// would. Only a tree that came back is put in place, and the services started on it.
import { z } from "zod";
import { forTool, type Problem } from "../rules/context.ts";
import { failover } from "./replication.ts";
import { durationText } from "../util/zod-units.ts";
import { attemptRestore, type Attempt } from "./restore-attempt.ts";
import { planRestore, toolPointFor, type RestorePlan, type RestoreSpec } from "./restore-plan.ts";
import { checkRestorePoint } from "./restore-point.ts";
import { servicesUp } from "./services.ts";
import { defineStep, type StepContext } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";

/** A restore test picks among a repository's points of up to a year. */
const WITHIN_MAX_MS = 366 * 86_400_000;

const schema = z
  .union([
    z.literal("latest").describe("The newest backup."),
    z
      .literal("newest-restorable")
      .describe("The newest backup; when the tool reports damage, the one before, and so on."),
    z.literal("random").describe("A random backup of the run (the seed is in the report)."),
    z
      .object({
        at: z
          .string()
          .superRefine((v, ctx) => {
            const p = checkRestorePoint(v);
            if (p) ctx.addIssue({ code: "custom", message: p });
          })
          .describe("ISO 8601 time, or 'backup:N' for the Nth backup of the run."),
      })
      .strict(),
    z
      .object({
        random: z
          .object({
            seed: z
              .number()
              .int()
              .min(1)
              .max(2 ** 31 - 1)
              .optional()
              .describe("Repeat an earlier choice: the seed its report names."),
            within: durationText({ maxMs: WITHIN_MAX_MS })
              .optional()
              .describe("Only backups taken this long before the restore, e.g. 2h (a restore test's: 30d)."),
          })
          .strict(),
      })
      .strict(),
  ])
  .describe("Restore into an empty directory, put it in place, start the services.");

function label(plan: RestorePlan, a: { number: number } | undefined, of: number, i: number): string {
  const point = a ? `backup ${a.number} of ${of}` : "no backup";
  if (plan.fallback) return i === 0 ? `newest-restorable: ${point}` : `${point} (fallback ${i})`;
  if (plan.random) return `random (seed ${plan.random.seed}): ${point}`;
  return plan.asked === "latest" ? "latest" : `${plan.asked}: ${point}`;
}

function record(ctx: StepContext, plan: RestorePlan, a: Attempt, i: number, placed: boolean): void {
  const p = a.point;
  ctx.journal.emit("restore-attempt", {
    asked: plan.asked,
    attempt: i + 1,
    backup: p?.number ?? null,
    of: ctx.state.backups.length,
    kind: p?.kind ?? null,
    toolId: p?.toolId ?? a.run.backupId ?? null,
    takenWallMs: p?.wallMs ?? null,
    verdict: a.verdict,
    said: a.said,
    placed,
    ...(plan.random ? { random: plan.random } : {}),
  });
}

/** The drill's state after the attempts: a point that restored after newer ones failed takes over. */
function outcomeOf(attempts: Attempt[]): StateChanges {
  const last = attempts.at(-1)!;
  if (attempts.length === 1 || last.verdict !== "restored") return mergeChanges(...attempts.map((a) => a.changes));
  const failed = attempts.slice(0, -1);
  const kept = failed.map((a) => ({ ...(a.changes.faultEffects ? { faultEffects: a.changes.faultEffects } : {}) }));
  const words = failed.map((a) => `backup ${a.point?.number} failed: ${a.said ?? "?"}`).join("; ");
  return mergeChanges(...kept, last.changes, {
    facts: {
      fellBack: `backup ${last.point!.number} of ${failed[0]!.point!.number} (newest-restorable, after ${words})`,
    },
  });
}

/** A restore test whose repository holds no point the restore may take (or could not be listed). */
function noPoint(ctx: StepContext, plan: RestorePlan) {
  const why = plan.none ?? "no point to restore";
  ctx.journal.emit("restore-attempt", {
    asked: plan.asked,
    attempt: 1,
    backup: null,
    of: ctx.state.backups.length,
    kind: null,
    toolId: null,
    takenWallMs: null,
    verdict: "failed",
    said: why,
    placed: false,
    ...(plan.random ? { random: plan.random } : {}),
  });
  return { ok: false, changes: { facts: { toolFailure: `${ctx.plan.source!.name}: ${why}` } } };
}

export default defineStep({
  name: "restore",
  description: "Restore into an empty directory, put it in place, start the services.",
  schema,
  // newest-restorable may try the point before too
  estimateMs: (spec, est) => (est.callMs(est.bytes) + est.hashMs(est.bytes)) * (spec === "newest-restorable" ? 1.5 : 1),
  validate(spec, ctx) {
    const problems: Problem[] = [];
    // Any point before it: a backup step, a schedule, or the scenario's source.
    if (ctx.pointsBefore.most === 0) problems.push({ message: "restore comes before any backup" });
    const nth = typeof spec === "object" && "at" in spec ? /^backup:(\d+)$/.exec(spec.at.trim()) : null;
    if (nth && Number(nth[1]) > ctx.pointsBefore.fewest)
      problems.push({
        field: "at",
        message:
          `backup:${nth[1]} does not exist: ` +
          `at most ${ctx.pointsBefore.fewest} backup(s) are taken before this restore`,
      });
    if (spec !== "latest" && !ctx.adapter.capabilities.pointInTime) {
      const asked = typeof spec === "string" ? spec : Object.keys(spec)[0];
      problems.push({ message: forTool(ctx, `${ctx.tool.name} cannot restore an earlier backup (restore: ${asked})`) });
    }
    return problems;
  },
  async run(spec, ctx) {
    // A replicator is not restored: it fails over to site B.
    if (ctx.plan.tool.capabilities.replication) return failover(ctx);
    const { target } = ctx;
    // The disaster took the services down; the procedure stops what is left before restoring.
    if (target.servicesRunning()) await ctx.phase("quiesce", () => target.quiesce());
    // An armed fault's operator step before the restore (rolling a repository back after an attack).
    const before: StateChanges[] = [];
    for (const [name, effects] of Object.entries(await ctx.armed.beforeCall("restore"))) {
      ctx.journal.emit("fault-effects", { fault: name, stage: "before the restore", effects });
      before.push({ faultEffects: [{ fault: name, effects }] });
    }
    const backups = ctx.state.backups;
    const plan = planRestore(spec as RestoreSpec, backups);
    // A restore test with no point to restore calls no tool (a restore without a point would take a lock).
    if (ctx.plan.source && plan.points.length === 0) return noPoint(ctx, plan);
    const points = plan.points.length > 0 ? plan.points : [undefined];
    const attempts: Attempt[] = [];
    for (const [i, point] of points.entries()) {
      const at = point ? toolPointFor(plan, point, backups) : plan.givenTime;
      const a = await attemptRestore(ctx, point, at, label(plan, point, backups.length, i), plan.none);
      attempts.push(a);
      // An operator told of damage tries the point before; silence, a hang or a tree that came back end it.
      const tryOlder = plan.fallback && a.verdict === "damaged" && i < points.length - 1;
      // A careful operator does not put a tree the tool called broken, or an empty one, into production.
      const placed = !tryOlder && !a.run.failed && a.treeRestored;
      record(ctx, plan, a, i, placed);
      if (!tryOlder) break;
      await a.staging.dir.delete([a.staging.name]).catch(() => {});
    }
    const changes: StateChanges[] = [...before, outcomeOf(attempts)];
    const last = attempts.at(-1)!;
    if (last.run.failed || !last.treeRestored) return { ok: false, changes: mergeChanges(...changes) };
    // A restore test's point stays where it was restored: an empty folder of the sandbox, checked there.
    if (ctx.plan.source) return { ok: true, changes: mergeChanges(...changes) };
    await ctx.phase("replace", () => target.replaceData(last.staging));
    ctx.journal.emit("load-survivor", await target.loadSurvivor());
    changes.push(await servicesUp(ctx));
    return { ok: true, changes: mergeChanges(...changes) };
  },
});
