// What a finished tool call means for the drill: a failure before any fault (or a silent hang, or a
// call that could not run) is the drill failing; after a fault it is the tool reporting the damage.
// And what the armed faults made of the call they acted on.
import type { ToolRun } from "../tools/tool.ts";
import type { StepContext } from "./step.ts";
import { mergeChanges, type DrillState, type StateChanges } from "./state.ts";

export function noteFailure(state: DrillState, run: ToolRun): StateChanges {
  if (!run.failed) return {};
  const what = `${run.label}: ${run.message ?? `exit ${run.exitCode}`}`;
  // A tool that printed an explicit error and then hung still reported the damage (duplicity+GPG does).
  const silentHang = run.timedOut && !run.reportedError;
  if (run.notStarted || silentHang || !state.facts.faultInjected) return { facts: { toolFailure: what } };
  return { facts: { reportedByTool: what } };
}

/** Lets the armed faults judge the call they acted on; their effects join the faults' records. */
export async function afterArmed(
  ctx: StepContext,
  on: "backup" | "restore",
  run: ToolRun,
): Promise<{ changes: StateChanges; retry: boolean; consumedFailure: boolean }> {
  const out = await ctx.armed.finish(on, run);
  const changes: StateChanges[] = [];
  for (const [name, effects] of Object.entries(out.effects)) {
    ctx.journal.emit("fault-effects", { fault: name, stage: `after ${on}`, effects });
    changes.push({ faultEffects: [{ fault: name, effects }] });
  }
  if (out.detectedBy) changes.push({ facts: { reportedByTool: out.detectedBy } });
  return { changes: mergeChanges(...changes), retry: out.retry, consumedFailure: out.consumedFailure };
}
