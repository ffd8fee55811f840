// `drdrill plan [SCENARIO|DIR ...] [--shard I/N | --shards N] [--durations RESULTS] --json`: the runs
// a shard would do, without running anything; the split `drdrill run --shard` makes with the same
// arguments (balanced by expected duration, from a previous results.json when given).
import type { InputIssue } from "../model/errors.ts";
import { expectedDurations } from "../runner/estimate.ts";
import { planRuns, shardsOf, type RunPlan } from "../runner/plan.ts";
import { loadScenarios } from "../scenario/load.ts";
import { formatDuration } from "../util/units.ts";
import { argIssue, readOverrides, type RunShapeOptions } from "./run-options.ts";
import { parseShard, previousRuns, type Shard } from "./shard-option.ts";

export interface PlanCliOptions extends RunShapeOptions {
  shard?: string;
  shards?: string;
  durations?: string;
  json?: boolean;
}

export interface PlannedRun {
  index: number;
  shard: number;
  scenario: string;
  file: string;
  tool: string;
  label: string;
  group: string;
  settings: Record<string, unknown>;
  repeat: number;
  intervalMs?: number;
  expectedMs: number;
  expectedFrom: "previous run" | "estimate";
}

export interface PlanOutput {
  shard: Shard | null;
  shards: { index: number; runs: number; expectedMs: number }[];
  runs: PlannedRun[];
  /** Of the runs listed. */
  expectedMs: number;
}

export async function buildPlan(paths: string[], o: PlanCliOptions): Promise<PlanOutput> {
  const issues: InputIssue[] = [];
  const shard = o.shard !== undefined ? parseShard(o.shard) : undefined;
  if (shard && "message" in shard) issues.push(shard);
  const shards = o.shards !== undefined ? Number(o.shards) : undefined;
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1))
    issues.push(argIssue("--shards", `"${o.shards}" is not a whole number of 1 or more`));
  if (shard && shards !== undefined) issues.push(argIssue("--shards", "give --shard I/N or --shards N, not both"));
  // The runs as `drdrill run` with the same options would resolve and judge them.
  const overrides = readOverrides(o, issues);
  const scenarios = await loadScenarios(paths.length > 0 ? paths : ["scenarios/seed"], { overrides });
  const previous = await previousRuns(o.durations);
  const plans = planRuns(scenarios);
  const count = (shard as Shard | undefined)?.count ?? shards ?? 1;
  const split = shardsOf(plans, count, previous);
  const expected = expectedDurations(plans, previous);
  const shardOf = new Map(split.flatMap((runs, s) => runs.map((i) => [i, s + 1] as const)));
  const listed = plans.filter((p) => !shard || shardOf.get(p.index) === (shard as Shard).index);
  const run = (p: RunPlan): PlannedRun => ({
    index: p.index,
    shard: shardOf.get(p.index)!,
    scenario: p.loaded.scenario.name,
    file: p.loaded.file,
    tool: p.tool.name,
    label: p.label,
    group: p.group,
    settings: p.tool.settings,
    repeat: p.repeat,
    ...(p.intervalMs ? { intervalMs: p.intervalMs } : {}),
    expectedMs: expected.get(p.index)!.ms,
    expectedFrom: expected.get(p.index)!.from,
  });
  return {
    shard: (shard as Shard | undefined) ?? null,
    shards: split.map((runs, s) => ({
      index: s + 1,
      runs: runs.length,
      expectedMs: runs.reduce((t, i) => t + expected.get(i)!.ms, 0),
    })),
    runs: listed.map(run),
    expectedMs: listed.reduce((t, p) => t + expected.get(p.index)!.ms, 0),
  };
}

export function renderPlan(plan: PlanOutput): string {
  const lines = plan.runs.map(
    (r) =>
      `  ${String(r.index + 1).padStart(3)}  shard ${r.shard}  ${r.scenario} · ${r.label}` +
      `${r.repeat > 1 ? ` #${r.repeat}` : ""}  ~${formatDuration(r.expectedMs)} (${r.expectedFrom})`,
  );
  const head = plan.shard
    ? `shard ${plan.shard.index}/${plan.shard.count}: ${plan.runs.length} run(s), ~${formatDuration(plan.expectedMs)}`
    : `${plan.runs.length} run(s), ~${formatDuration(plan.expectedMs)}`;
  const shards =
    plan.shards.length > 1
      ? [
          `shards: ` +
            `${plan.shards.map((s) => `${s.index}: ${s.runs} run(s) ~${formatDuration(s.expectedMs)}`).join(", ")}`,
        ]
      : [];
  return `${[head, ...lines, ...shards].join("\n")}\n`;
}
