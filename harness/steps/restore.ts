// restore: latest | { at: ISO-TIME | backup:N }. Restores into a new, empty folder (never into the
// live tree, so no tool follows a stale link out of it), compares what came back with the manifest
// of the backup it should reproduce, and only then puts it in place and starts the services.
import { z } from "zod";
import { explicitError } from "../tools/run-tool.ts";
import { checkRestorePoint } from "./restore-point.ts";
import { inspectRestore } from "./inspect.ts";
import { servicesUp } from "./services.ts";
import { defineStep } from "./step.ts";
import { mergeChanges, type BackupPoint, type StateChanges } from "./state.ts";
import { afterArmed, noteFailure } from "./tool-results.ts";

/** The backup a restore should reproduce: the newest taken at or before `at` (or the Nth). */
export function referenceBackup(backups: readonly BackupPoint[], at?: string): BackupPoint | undefined {
  if (!at) return backups.at(-1);
  const nth = /^backup:(\d+)$/.exec(at);
  if (nth) return backups[Number(nth[1]) - 1];
  const t = Date.parse(at);
  return backups.filter((b) => b.wallMs <= t).at(-1);
}

export default defineStep({
  name: "restore",
  description: "Restore into an empty directory, put it in place, start the services.",
  schema: z
    .union([
      z.literal("latest"),
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
    ])
    .describe("Restore into an empty directory, put it in place, start the services."),
  requires: (spec, tool) => (spec !== "latest" && !tool.capabilities.pointInTime ? `${tool.name} cannot restore an earlier backup (restore: { at })` : undefined),
  async run(spec, ctx) {
    const { target } = ctx;
    const at = spec === "latest" ? undefined : spec.at;
    const changes: StateChanges[] = [];
    // The disaster took the services down; the procedure stops what is left before restoring.
    if (target.servicesRunning()) await ctx.phase("quiesce", () => target.quiesce());
    // An armed fault's operator step before the restore (rolling a repository back after an attack).
    for (const [name, effects] of Object.entries(await ctx.armed.beforeCall("restore"))) {
      ctx.journal.emit("fault-effects", { fault: name, stage: "before the restore", effects });
      changes.push({ faultEffects: [{ fault: name, effects }] });
    }
    const staging = await target.staging(ctx.armed.stagingOn());
    const run = await ctx.phase("restore", () => ctx.toolCall("restore", (s) => s.restore(staging.path, at ? { at } : undefined)), at ?? "latest");
    const armed = await afterArmed(ctx, "restore", run);
    changes.push(armed.changes);
    if (!armed.consumedFailure) changes.push(noteFailure(ctx.state, run));
    changes.push({ facts: { restoreRan: true, restoreSucceeded: !run.failed } });
    const expected = referenceBackup(ctx.state.backups, at);
    if (expected) {
      const found = await ctx.phase("inspect", () => inspectRestore(ctx, expected.manifest, staging));
      changes.push(found);
      // Exit 0, the wrong tree, and an error in its words: the tool did say so.
      const said = !run.failed && found.facts?.contentOk === false ? explicitError(run.stderr, run.stdout) : undefined;
      if (said) changes.push({ facts: { restoreWarned: `${run.label} exited 0 but said: ${said}` } });
    } else {
      changes.push({ facts: { toolFailure: `no backup was taken at or before ${at ?? "now"}: the restored tree cannot be verified` } });
    }
    // A careful operator does not put a tree the tool called broken, or an empty one, into production.
    const restoredSomething = (await staging.dir.stat([staging.name]))[staging.name];
    if (run.failed || !restoredSomething || !("type" in restoredSomething) || restoredSomething.type !== "dir") {
      return { ok: false, changes: mergeChanges(...changes) };
    }
    await ctx.phase("replace", () => target.replaceData(staging));
    ctx.journal.emit("load-survivor", await target.loadSurvivor());
    changes.push(await servicesUp(ctx));
    return { ok: true, changes: mergeChanges(...changes) };
  },
});
