// Expands scenarios into runs: each resolved run (a tools entry on its target, as the command line
// resolved it when the scenario was loaded) x sweep values x repeats, then sharded by --shard
// (balanced by expected duration, from a previous results.json when given).
import type { RunResult } from "../model/result.ts";
import type { LoadedScenario } from "../scenario/load.ts";
import type { ResolvedRun, ResolvedTool } from "../scenario/resolve.ts";
import { parseDuration, parseRate, parseSize } from "../util/units.ts";
import { expectedDurations } from "./estimate.ts";
import { splitShards } from "./shard.ts";

/** One run, resolved once: what it runs on and with (ResolvedRun), and which repeat of which sweep value. */
export interface RunPlan extends ResolvedRun {
  index: number;
  loaded: LoadedScenario;
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
  shard?: { index: number; count: number };
  /** The runs of a previous results.json (--durations): how long each group took, to balance the shards. */
  previous?: readonly RunResult[];
}

/** Per tool, the settings whose values differ between the scenario's runs of it (tools entries, sweep.settings). */
function varyingSettings(runs: readonly { tool: ResolvedTool }[]): Map<string, Set<string>> {
  const varying = new Map<string, Set<string>>();
  for (const name of new Set(runs.map((r) => r.tool.name))) {
    const all = runs.filter((r) => r.tool.name === name).map((r) => r.tool.settings);
    const keys = new Set(all.flatMap((st) => Object.keys(st)));
    varying.set(name, new Set([...keys].filter((k) => new Set(all.map((st) => JSON.stringify(st[k]))).size > 1)));
  }
  return varying;
}

/**
 * The settings that differ from the tool's defaults, and every setting that varies between the
 * scenario's runs of the tool even at its default (restic compression=auto beside compression=max),
 * e.g. "encryption=none volsize=25".
 */
function settingsLabel(tool: ResolvedTool, varying: ReadonlySet<string> = new Set()): string {
  const defaults = (tool.adapter.settings.safeParse({}).data ?? {}) as Record<string, unknown>;
  return Object.entries(tool.settings)
    .filter(([k, v]) => k !== "passphrase" && (varying.has(k) || JSON.stringify(v) !== JSON.stringify(defaults[k])))
    .map(([k, v]) => `${k}=${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" ");
}

export function planRuns(scenarios: LoadedScenario[], opts: PlanOptions = {}): RunPlan[] {
  const plans: RunPlan[] = [];
  for (const loaded of scenarios) {
    const varying = varyingSettings(loaded.runs);
    for (const run of loaded.runs) {
      const intervals: (string | undefined)[] = loaded.scenario.sweep?.every ?? [undefined];
      const caps: (string | undefined)[] = loaded.scenario.sweep?.bandwidth ?? [undefined];
      const sizes: (string | number | undefined)[] = loaded.scenario.sweep?.size ?? [undefined];
      for (const every of intervals) {
        for (const cap of caps) {
          for (const size of sizes) {
            const label = [
              run.tool.name,
              settingsLabel(run.tool, varying.get(run.tool.name)),
              every ? `every=${every}` : "",
              cap ? `bandwidth=${cap}` : "",
              size ? `size=${size}` : "",
            ]
              .filter(Boolean)
              .join(" ");
            const group = `${loaded.scenario.name} :: ${label}`;
            const intervalMs = every ? parseDuration(every) : undefined;
            const bandwidthBps = cap ? parseRate(cap) : undefined;
            const sizeBytes = size ? parseSize(size) : undefined;
            for (let r = 1; r <= run.repeats; r++) {
              plans.push({
                ...run,
                index: plans.length,
                loaded,
                label,
                group,
                repeat: r,
                ...(intervalMs ? { intervalMs } : {}),
                ...(bandwidthBps ? { bandwidthBps } : {}),
                ...(sizeBytes ? { sizeBytes } : {}),
              });
            }
          }
        }
      }
    }
  }
  if (!opts.shard) return plans;
  const { index, count } = opts.shard;
  const mine = new Set(shardsOf(plans, count, opts.previous)[index - 1]);
  return plans.filter((p) => mine.has(p.index));
}

/** Every shard's runs (plan indexes), balanced by expected duration. */
export function shardsOf(plans: readonly RunPlan[], count: number, previous?: readonly RunResult[]): number[][] {
  const expected = expectedDurations(plans, previous);
  return splitShards(
    plans.map((p) => p.index),
    count,
    (i) => expected.get(i)!.ms,
  );
}
