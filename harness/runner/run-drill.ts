// Runs one planned drill to its outcome and builds its entry in results.json: stand up, the
// scenario's steps in order (each returns its changes to the drill's state), cleanup always.
import { join } from "node:path";
import { userChecks } from "../metrics/checks.ts";
import { computeMetrics } from "../metrics/compute.ts";
import { phases } from "../metrics/phases.ts";
import { recoveryPoint } from "../metrics/recovery-point.ts";
import { restoreTest } from "../metrics/restore-test.ts";
import { InterruptedError } from "../model/errors.ts";
import type { JournalEvent } from "../model/journal-events.ts";
import type { RunResult, UserCheckResult } from "../model/result.ts";
import { sandboxProblem, type SandboxRecord } from "../model/sandbox.ts";
import type { SiteSettings } from "../site/site-settings.ts";
import { initialState } from "../steps/state.ts";
import { DisposalStack } from "../util/disposal.ts";
import { decideOutcome } from "./decide-outcome.ts";
import type { DrillContext } from "./drill-context.ts";
import type { DrillEnv } from "./drill-env.ts";
import type { RunPlan } from "./plan.ts";
import { freeBytes, removeTree } from "./remove-tree.ts";
import { standUp } from "./stand-up.ts";

export type { DrillEnv };

function failedBackups(events: ReturnType<DrillEnv["journal"]["events"]>) {
  const failed = events
    .filter((e) => e.type === "backup-failed")
    .map((e) => {
      const f = e as Extract<typeof e, { type: "backup-failed" }>;
      return { label: f.label, message: f.message, during: f.during, atMs: f.t };
    });
  return failed.length > 0 ? { failedBackups: failed } : {};
}

function restoreTestOf(events: JournalEvent[]) {
  const t = restoreTest(events);
  return t ? { restoreTest: t } : {};
}

function datasetOf(events: JournalEvent[]): { dataset?: { method: string; bytes: number; files: number } } {
  const d = events.findLast((e) => e.type === "dataset");
  return d?.type === "dataset" ? { dataset: { method: d.method ?? "generated", bytes: d.bytes, files: d.files } } : {};
}

function sandboxOf(events: JournalEvent[]): { sandbox?: SandboxRecord } {
  const e = events.findLast((x) => x.type === "sandbox");
  if (e?.type !== "sandbox") return {};
  const { type: _type, t: _t, wall: _wall, run: _run, ...sandbox } = e;
  return { sandbox };
}

function scheduleOf(plan: RunPlan): { scheduleEveryMs?: number } {
  const steps = plan.loaded.registries.steps;
  const every = plan.loaded.scenario.steps
    .flatMap((st) => Object.entries(st).map(([kind, params]) => steps[kind]?.intervalMs?.(params)))
    .find((v) => v !== undefined);
  const ms = every ?? plan.intervalMs;
  return ms ? { scheduleEveryMs: ms } : {};
}

/** The user's checks that ran, when any did. */
function checksOf(events: JournalEvent[]): { checks?: UserCheckResult[] } {
  const checks = userChecks(events);
  return checks.length > 0 ? { checks } : {};
}

function destinationLabel(site: SiteSettings | null): string {
  if (!site) return "local";
  return `site${site.host ? ` ${site.host}` : ""}${site.appendOnly ? " (append-only)" : ""}`;
}

/** Runs one planned drill to an outcome. Throws only InterruptedError (after cleanup). */
export async function runDrill(plan: RunPlan, given: DrillEnv): Promise<RunResult> {
  const s = plan.loaded.scenario;
  // Everything this run does is journalled as this run's, even while other runs go at once.
  const journal = given.journal.forRun(plan.index);
  const env: DrillEnv = { ...given, journal };
  const targetName = plan.target.name;
  const folders = {
    logDir: join(env.outDir, "logs", `run-${String(plan.index + 1).padStart(3, "0")}`),
    workDir: join(env.workRoot, `run-${plan.index + 1}`),
    runName: `${env.runId}-${plan.index + 1}`,
  };
  // A passphrase is named by its variable in settings; the value never leaves memory.
  journal.emit("run-start", {
    scenario: s.name,
    tool: plan.tool.name,
    settings: plan.tool.settings,
    target: targetName,
    repeat: plan.repeat,
  });
  const disposal = new DisposalStack();
  // What the run takes of the disk its folder is on: a held tree must leave as much again, twice.
  const freeAtStart = env.keep ? null : await freeBytes(env.outDir);
  let ctx: DrillContext | null = null;
  let interrupted: InterruptedError | null = null;
  let error: string | undefined;
  try {
    ctx = await standUp(plan, env, folders, disposal);
    for (const step of s.steps) {
      ctx.checkAbort();
      const [kind, params] = Object.entries(step)[0] as [string, unknown];
      const r = await ctx.runStep(kind, params);
      if (r.stop) break;
    }
  } catch (e) {
    if (e instanceof InterruptedError) interrupted = e;
    else if (env.signal.aborted) interrupted = new InterruptedError(String(env.signal.reason ?? "SIGINT"));
    else error = e instanceof Error ? e.message : String(e);
  } finally {
    journal.emit("phase-start", { phase: "cleanup" });
    const ok = await disposal.dispose();
    // The run's trees go after the reports, off the critical path of the next run (see remove-tree.ts).
    if (!env.keep) {
      const freeNow = freeAtStart === null ? null : await freeBytes(env.outDir);
      await removeTree(folders.workDir, {
        usedBytes: freeAtStart !== null && freeNow !== null ? freeAtStart - freeNow : 0,
        onMounts: (m) =>
          journal.emit("warning", {
            text:
              `the run's folder holds ${m.length} mount point(s), left alone ` +
              `(not entered, not deleted; unmount them, then remove the folder): ${m.join(", ")}`,
          }),
      });
    }
    journal.emit("phase-end", {
      phase: "cleanup",
      ok,
      ...(disposal.failures.length > 0 ? { detail: disposal.failures.join("; ") } : {}),
    });
  }
  if (interrupted) throw interrupted;
  const state = ctx?.state ?? initialState("", false);
  const { sandbox } = sandboxOf(journal.events(plan.index));
  const productionChanged = sandbox ? sandboxProblem(sandbox) : undefined;
  const facts = { ...state.facts, ...(error ? { error } : {}), ...(productionChanged ? { productionChanged } : {}) };
  const { outcome, reason } = decideOutcome(facts);
  journal.emit("outcome", { outcome, reason });
  if (facts.error) journal.emit("error", { message: facts.error });
  journal.emit("run-end", {});
  const events = journal.events(plan.index);
  const v = state.verification;
  return {
    index: plan.index,
    scenario: s.name,
    file: plan.loaded.file,
    tool: plan.tool.name,
    label: plan.label,
    group: plan.group,
    settings: plan.tool.settings,
    target: targetName,
    mode: s.mode,
    repeat: plan.repeat,
    ...(plan.intervalMs ? { intervalMs: plan.intervalMs } : {}),
    ...(plan.bandwidthBps ? { bandwidthBps: plan.bandwidthBps } : {}),
    destination: destinationLabel(plan.site),
    ...scheduleOf(plan),
    ...(plan.tool.adapter.capabilities.replication ? { replication: true } : {}),
    ...datasetOf(events),
    ...(sandbox ? { sandbox } : {}),
    outcome,
    reason,
    expected: plan.expected,
    passed: false, // decided with the objectives, across repeats
    metrics: computeMetrics(events),
    objectives: [],
    verification: v
      ? {
          filesChecked: v.filesChecked,
          filesIdentical: v.filesIdentical,
          entriesChecked: v.entriesChecked,
          mismatchCount: v.mismatchCount,
          mismatches: v.mismatches,
          fidelity: v.fidelity,
        }
      : null,
    recoveryPoint: recoveryPoint(events),
    phases: phases(events),
    toolCalls: ctx?.services.calls.calls ?? [],
    ...checksOf(events),
    faults: state.faults,
    ...failedBackups(events),
    ...restoreTestOf(events),
    error: facts.error ?? null,
  };
}
