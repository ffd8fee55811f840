// Runs one planned drill to its outcome and builds its entry in results.json.
import { computeMetrics } from "../metrics/compute.ts";
import { phases } from "../metrics/phases.ts";
import { decideOutcome } from "./decide-outcome.ts";
import { Drill, type DrillEnv } from "./drill.ts";
import { InterruptedError } from "../model/errors.ts";
import type { RunPlan } from "./plan.ts";
import type { RunResult } from "../model/result.ts";

/** Runs one planned drill to an outcome. Throws only InterruptedError (after cleanup). */
export async function runDrill(plan: RunPlan, env: DrillEnv): Promise<RunResult> {
  const s = plan.loaded.scenario;
  const journal = env.journal;
  journal.run = plan.index;
  const drill = new Drill(plan, env);
  // A passphrase is named by its variable in settings; the value never leaves memory.
  journal.emit("run-start", { scenario: s.name, tool: plan.tool, settings: plan.settings, target: drill.targetName, repeat: plan.repeat });
  let interrupted: InterruptedError | null = null;
  try {
    await drill.start();
    for (const step of s.steps) {
      drill.checkAbort();
      const ok = await drill.step(step);
      // A backup that failed before any fault leaves nothing to restore: stop here.
      if (!ok && step.backup && !drill.facts.faultInjected) break;
    }
  } catch (e) {
    if (e instanceof InterruptedError) interrupted = e;
    else if (env.signal.aborted) interrupted = new InterruptedError(String(env.signal.reason ?? "SIGINT"));
    else drill.facts.error = e instanceof Error ? e.message : String(e);
  } finally {
    await drill.cleanup();
  }
  if (interrupted) throw interrupted;
  const { outcome, reason } = decideOutcome(drill.facts);
  journal.emit("outcome", { outcome, reason });
  if (drill.facts.error) journal.emit("error", { message: drill.facts.error });
  journal.emit("run-end", {});
  const events = journal.events(plan.index);
  const v = drill.verification;
  return {
    index: plan.index,
    scenario: s.name,
    file: plan.loaded.file,
    tool: plan.tool,
    label: plan.label,
    group: plan.group,
    settings: plan.settings,
    target: drill.targetName,
    mode: s.mode,
    repeat: plan.repeat,
    ...(plan.intervalMs ? { intervalMs: plan.intervalMs } : {}),
    outcome,
    reason,
    expected: plan.loaded.expected,
    passed: false, // decided with the objectives, across repeats
    metrics: computeMetrics(events),
    objectives: [],
    verification: v
      ? { filesChecked: v.filesChecked, entriesChecked: v.entriesChecked, mismatchCount: v.mismatchCount, mismatches: v.mismatches, fidelity: v.fidelity }
      : null,
    phases: phases(events),
    toolCalls: drill.calls.calls,
    faults: drill.faults,
    error: drill.facts.error ?? null,
  };
}
