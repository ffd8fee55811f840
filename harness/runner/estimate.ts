// How long a planned run is expected to take, for balancing shards: the median duration of the same
// scenario, tool and settings in a previous results.json when one is given, else an estimate from
// the scenario itself (each step's own estimate over the data's size, the target's start).
// Deterministic: the same inputs give the same numbers on every machine.
import type { RunResult } from "../model/result.ts";
import { median } from "../metrics/statistics.ts";
import type { Scenario } from "../scenario/schema.ts";
import type { StepDef } from "../steps/step.ts";

/** What an estimate reads of a planned run (a RunPlan has it). */
export interface EstimablePlan {
  index: number;
  group: string;
  intervalMs?: number;
  sizeBytes: number;
  target: { def: { setupMs?: number } };
  loaded: { scenario: Scenario; registries: { steps: Readonly<Record<string, StepDef<any>>> } };
}

export interface Expected {
  ms: number;
  from: "previous run" | "estimate";
}

/** Standing up a target and tearing it down, where its definition does not say. */
const SETUP_MS = 20_000;
/** A tool call over the whole data: a second, plus the data at 30 MB/s. */
const callMs = (bytes: number) => 1_000 + bytes / 30_000;
/** The harness hashing the data (a manifest, an inspection): 200 MB/s. */
const hashMs = (bytes: number) => bytes / 200_000;

export function estimateMs(plan: EstimablePlan): number {
  const s = plan.loaded.scenario;
  const bytes = plan.sizeBytes;
  let ms = (plan.target.def.setupMs ?? SETUP_MS) + callMs(bytes) / 2; // seeding
  const est = { bytes, callMs, hashMs, ...(plan.intervalMs !== undefined ? { intervalMs: plan.intervalMs } : {}) };
  for (const step of s.steps as Record<string, unknown>[]) {
    const [kind, p] = Object.entries(step)[0]!;
    ms += plan.loaded.registries.steps[kind]?.estimateMs?.(p, est) ?? 0;
  }
  return Math.round(ms);
}

/** A run's duration as results.json shows it: its last phase's end (cleanup), from its start. */
const durationOf = (r: RunResult) => r.phases.at(-1)?.endMs ?? 0;

/** Expected durations for every plan: the previous run's median for its group, else the estimate. */
export function expectedDurations(
  plans: readonly EstimablePlan[],
  previous: readonly RunResult[] = [],
): Map<number, Expected> {
  const byGroup = new Map<string, number[]>();
  for (const r of previous)
    if (durationOf(r) > 0) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), durationOf(r)]);
  return new Map(
    plans.map((p) => {
      const seen = byGroup.get(p.group);
      return [
        p.index,
        seen
          ? { ms: Math.round(median(seen)), from: "previous run" as const }
          : { ms: estimateMs(p), from: "estimate" as const },
      ];
    }),
  );
}
