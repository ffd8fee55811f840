// backup: full | incremental. Stops the services in cold mode (as the seed drill did), takes the
// manifest the restore must reproduce, runs the tool, lets armed faults act (a crash, files changing
// underneath), measures the repository, and starts the services again.
import { z } from "zod";
import { forTool, type Problem } from "../rules/context.ts";
import { startLagSampling } from "./replication.ts";
import { manifestDigest } from "../verify/manifest-ops.ts";
import { defineStep, type StepContext, type StepResult } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";
import { servicesDown, servicesUp } from "./services.ts";
import { afterArmed, noteFailure } from "./tool-results.ts";
import { flushAfter } from "./flush.ts";

export async function takeBackup(ctx: StepContext, kind: "full" | "incremental"): Promise<StepResult> {
  const { target } = ctx;
  const changes: StateChanges[] = [];
  const cold = ctx.plan.mode === "cold";
  if (cold) await servicesDown(ctx);
  // A replicator with a standby replicates the database itself: no consistent dump to take.
  else if (target.prepareHotBackup && !ctx.plan.tool.capabilities.replication?.standby)
    await ctx.phase("quiesce", () => target.prepareHotBackup!(), "hot: consistent dump");
  // Files untouched since a clone of a pristine copy are not read again: their hashes are known.
  const manifest = await ctx.phase("manifest", () =>
    target.data.manifest({
      exclude: [...target.manifestExcludes],
      ...(target.seededFiles ? { seeded: target.seededFiles } : {}),
    }),
  );
  ctx.journal.emit("manifest", {
    files: manifest.files,
    bytes: manifest.bytes,
    digest: manifestDigest(manifest),
    ...(manifest.hashesReused !== undefined ? { hashesReused: manifest.hashesReused } : {}),
  });
  const wallMs = Date.now();
  let run = await ctx.phase(
    "backup",
    () => ctx.toolCall("backup", (s) => s.backup(kind, target.paths.data), { backupKind: kind }),
    kind,
  );
  const armed = await afterArmed(ctx, "backup", run);
  changes.push(armed.changes);
  if (armed.retry) {
    run = await ctx.phase(
      "backup",
      () => ctx.toolCall("backup", (s) => s.backup(kind, target.paths.data), { backupKind: kind }),
      `${kind}, run again after the crash`,
    );
    changes.push(noteFailure(ctx.state, run));
    const rerun = {
      exitCode: run.exitCode,
      durationMs: Math.round(run.durationMs),
      ...(run.stats ? { stats: run.stats } : {}),
    };
    const crashed = [...new Set((armed.changes.faultEffects ?? []).map((e) => e.fault))];
    changes.push({ faultEffects: crashed.map((fault) => ({ fault, effects: { rerun } })) });
  } else if (run.failed && (run.duringNetworkFault?.length ?? 0) > 0) {
    // The link to the site is down: this backup did not reach it. That is the outage's doing, shown
    // as such (and in the achieved RPO), not the drill failing.
    ctx.journal.emit("backup-failed", {
      label: run.label,
      message: run.message ?? `exit ${run.exitCode}`,
      during: "a network fault",
    });
  } else if (!armed.consumedFailure) changes.push(noteFailure(ctx.state, run));
  const endWallMs = Date.now();
  ctx.journal.emit("repo-size", { bytes: (await ctx.repo.size().catch(() => ({ bytes: 0 }))).bytes });
  if (!run.failed && ctx.plan.tool.capabilities.replication && ctx.site) startLagSampling(ctx);
  if (!run.failed)
    changes.push({
      backups: [
        { wallMs, endWallMs, kind, label: run.label, manifest, ...(run.backupId ? { toolId: run.backupId } : {}) },
      ],
    });
  if (cold) changes.push(await servicesUp(ctx));
  // The backup is done when it is on disk: its destination flushed, as the end of its backup phase,
  // so the next timed call does not pay for it. After the services are back (a person starts them
  // once the tool exits: downtime is not charged with it).
  if (!run.failed && !(run.duringNetworkFault?.length ?? 0))
    await ctx.phase("backup", () => flushAfter(ctx, "backup", [ctx.repo]), "on disk");
  // A backup that failed before any fault leaves nothing to restore: the drill stops there.
  return {
    ok: !run.failed,
    stop: run.failed && !ctx.state.facts.faultInjected && !(run.duringNetworkFault?.length ?? 0),
    changes: mergeChanges(...changes),
  };
}

export default defineStep({
  name: "backup",
  description: "Take a backup with the tool: full or incremental.",
  schema: z.enum(["full", "incremental"]).describe("Take a backup with the tool."),
  points: (kind) => ({ fewest: 1, most: 1, full: kind === "full" }),
  estimateMs: (_kind, est) => est.callMs(est.bytes) + est.hashMs(est.bytes),
  validate(kind, ctx) {
    const problems: Problem[] = [];
    if (kind !== "incremental") return problems;
    if (!ctx.pointsBefore.full) problems.push({ message: "an incremental backup needs a full backup before it" });
    const can = ctx.adapter.capabilities.incremental;
    if (can !== true) problems.push({ message: forTool(ctx, can) });
    return problems;
  },
  run: (kind, ctx) => takeBackup(ctx, kind),
});
