// Expands scenarios into runs: scenario x tools entry x repeat, filtered by --tool and sharded by
// --shard (balanced by expected duration, from a previous results.json when given).
import type { RunResult } from "../model/result.ts";
import type { LoadedScenario } from "../scenario/load.ts";
import { TOOLS } from "../tools/registry.ts";
import { parseDuration, parseRate } from "../util/units.ts";
import { expectedDurations } from "./estimate.ts";
import { splitShards } from "./shard.ts";

export interface RunPlan {
  index: number;
  loaded: LoadedScenario;
  tool: string;
  settings: Record<string, unknown>;
  /** Tool and settings that differ from the defaults, e.g. "duplicity encryption=none volsize=25". */
  label: string;
  /** Runs with the same group compare with each other (same scenario, tool and settings). */
  group: string;
  repeat: number;
  /** The swept backup interval of this run (ms), from the scenario's sweep.every. */
  intervalMs?: number;
  /** The swept bandwidth cap to the site (bytes per second), from the scenario's sweep.bandwidth. */
  bandwidthBps?: number;
}

export interface PlanOptions {
  tools?: string[];
  repeat?: number;
  shard?: { index: number; count: number };
  /** The runs of a previous results.json (--durations): how long each group took, to balance the shards. */
  previous?: readonly RunResult[];
  /** --size and --target, which change the estimate. */
  sizeBytes?: number;
  targetName?: string;
}

/** The settings that differ from the tool's defaults, e.g. "encryption=none volsize=25". */
function settingsLabel(tool: string, settings: Record<string, unknown>): string {
  const defaults = (TOOLS[tool]?.settings.safeParse({}).data ?? {}) as Record<string, unknown>;
  return Object.entries(settings)
    .filter(([k, v]) => k !== "passphrase" && JSON.stringify(v) !== JSON.stringify(defaults[k]))
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

export function planRuns(scenarios: LoadedScenario[], opts: PlanOptions = {}): RunPlan[] {
  const plans: RunPlan[] = [];
  for (const loaded of scenarios) {
    for (const entry of loaded.scenario.tools) {
      const [tool, settings] = Object.entries(entry)[0] as [string, Record<string, unknown>];
      if (opts.tools && opts.tools.length > 0 && !opts.tools.includes(tool)) continue;
      const intervals: (string | undefined)[] = loaded.scenario.sweep?.every ?? [undefined];
      const caps: (string | undefined)[] = loaded.scenario.sweep?.bandwidth ?? [undefined];
      for (const every of intervals) {
        for (const cap of caps) {
          const label = [
            tool,
            settingsLabel(tool, settings),
            every ? `every=${every}` : "",
            cap ? `bandwidth=${cap}` : "",
          ]
            .filter(Boolean)
            .join(" ");
          const group = `${loaded.scenario.name} :: ${label}`;
          const repeats = opts.repeat ?? loaded.scenario.repeat;
          const intervalMs = every ? parseDuration(every) : undefined;
          const bandwidthBps = cap ? parseRate(cap) : undefined;
          for (let r = 1; r <= repeats; r++) {
            plans.push({
              index: plans.length,
              loaded,
              tool,
              settings,
              label,
              group,
              repeat: r,
              ...(intervalMs ? { intervalMs } : {}),
              ...(bandwidthBps ? { bandwidthBps } : {}),
            });
          }
        }
      }
    }
  }
  if (!opts.shard) return plans;
  const { index, count } = opts.shard;
  const mine = new Set(shardsOf(plans, count, opts)[index - 1]);
  return plans.filter((p) => mine.has(p.index));
}

/** Every shard's runs (plan indexes), balanced by expected duration. */
export function shardsOf(
  plans: readonly RunPlan[],
  count: number,
  opts: Pick<PlanOptions, "previous" | "sizeBytes" | "targetName"> = {},
): number[][] {
  const expected = expectedDurations(plans, opts.previous, {
    ...(opts.sizeBytes !== undefined ? { sizeBytes: opts.sizeBytes } : {}),
    ...(opts.targetName ? { targetName: opts.targetName } : {}),
  });
  return splitShards(
    plans.map((p) => p.index),
    count,
    (i) => expected.get(i)!.ms,
  );
}
