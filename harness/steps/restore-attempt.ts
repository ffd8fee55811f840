// One restore of one backup point: into a new, empty staging folder (never into the live tree, so no
// tool follows a stale link out of it), the armed faults' say, and the comparison of what came back
// with the manifest of the point; then a verdict: restored, damaged (reported), differs, failed.
import type { AttemptVerdict } from "../model/recovery-point.ts";
import type { Staging } from "../targets/target.ts";
import { explicitError } from "../tools/run-tool.ts";
import type { ToolRun } from "../tools/tool.ts";
import { inspectPoint } from "./inspect-point.ts";
import { inspectRestore } from "./inspect.ts";
import type { StepContext } from "./step.ts";
import { mergeChanges, type BackupPoint, type StateChanges } from "./state.ts";
import { afterArmed, noteFailure } from "./tool-results.ts";
import { flushAfter } from "./flush.ts";

export interface Attempt {
  point: BackupPoint | undefined;
  run: ToolRun;
  staging: Staging;
  /** What this attempt found, for the drill's state. */
  changes: StateChanges;
  verdict: AttemptVerdict;
  /** The tool's words (or the harness's) when it did not restore. */
  said: string | null;
  /** A folder came back (something to put in place). */
  treeRestored: boolean;
}

/**
 * A restore test's failed restore: the tool said what stopped it (a pack that does not match, a wrong
 * passphrase) and nothing was put anywhere: detected; one that could not run, or hung silently, failed.
 */
function reported(run: ToolRun): StateChanges {
  if (!run.failed) return {};
  const what = `${run.label}: ${run.message ?? `exit ${run.exitCode}`}`;
  const silent = run.notStarted || (run.timedOut && !run.reportedError);
  return { facts: silent ? { toolFailure: what } : { reportedByTool: what } };
}

export async function attemptRestore(
  ctx: StepContext,
  point: BackupPoint | undefined,
  at: string | undefined,
  detail: string,
  none?: string,
): Promise<Attempt> {
  const staging = await ctx.target.staging(ctx.armed.stagingOn());
  // A restore test restores a repository's own point by its id, read only, checking every byte as it goes.
  const source = ctx.plan.source;
  const readOnly = source && point?.toolId ? { id: point.toolId } : undefined;
  // Restored is on disk: the staging folder's file system flushed in the restore phase (counted in RTO).
  const run = await ctx.phase(
    "restore",
    async () => {
      const r = await ctx.toolCall("restore", (s) =>
        s.restore(staging.path, readOnly ? { readOnly } : at ? { at } : undefined),
      );
      await flushAfter(ctx, "restore", [staging.dir]);
      return r;
    },
    detail,
  );
  const armed = await afterArmed(ctx, "restore", run);
  const changes: StateChanges[] = [armed.changes];
  if (!armed.consumedFailure) changes.push(source ? reported(run) : noteFailure(ctx.state, run));
  changes.push({ facts: { restoreRan: true, restoreSucceeded: !run.failed } });
  let contentOk: boolean | undefined;
  let warned: string | undefined;
  if (point && !point.manifest && source) {
    const found = await ctx.phase("inspect", () => inspectPoint(ctx, source, point, staging));
    changes.push(found);
    contentOk = found.facts?.contentOk;
  } else if (point?.manifest) {
    const manifest = point.manifest;
    const found = await ctx.phase("inspect", () => inspectRestore(ctx, manifest, staging));
    changes.push(found);
    contentOk = found.facts?.contentOk;
    // Exit 0, the wrong tree, and an error in its words: the tool did say so.
    const said = !run.failed && contentOk === false ? explicitError(run.stderr, run.stdout) : undefined;
    if (said) changes.push({ facts: { restoreWarned: (warned = `${run.label} exited 0 but said: ${said}`) } });
  } else {
    changes.push({
      facts: {
        toolFailure:
          `${none ?? `no backup was taken at or before ${at ?? "now"}`}` + `: the restored tree cannot be verified`,
      },
    });
  }
  const st = (await staging.dir.stat([staging.name]))[staging.name];
  const treeRestored = Boolean(st && "type" in st && st.type === "dir");
  const facts = mergeChanges(...changes).facts ?? {};
  const verdict: AttemptVerdict = !point
    ? "failed"
    : run.failed
      ? facts.reportedByTool && !facts.toolFailure
        ? "damaged"
        : "failed"
      : warned
        ? "damaged"
        : contentOk === false || !treeRestored
          ? "differs"
          : "restored";
  const said =
    verdict === "restored" ? null : (warned ?? facts.reportedByTool ?? facts.toolFailure ?? run.message ?? null);
  return { point, run, staging, changes: mergeChanges(...changes), verdict, said, treeRestored };
}
