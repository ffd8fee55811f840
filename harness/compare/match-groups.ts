// Which runs of two results.json files compare with each other: the same scenario, tool and settings
// (and swept interval or bandwidth). Settings are matched by what differs from the tool's defaults, so
// a setting written out at its default, a label worded differently or a setting added to the tool in a
// later drdrill still matches. Pure function of the runs.
import type { RunResult } from "../model/result.ts";
import { TOOLS } from "../tools/registry.ts";

export interface MatchedGroup {
  key: string;
  scenario: string;
  label: string;
  base: RunResult[] | undefined;
  next: RunResult[] | undefined;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** The settings that differ from the tool's defaults (the passphrase never counts), canonically ordered. */
function settingsKey(tool: string, settings: Record<string, unknown>): string {
  const defaults = (TOOLS[tool]?.settings.safeParse({}).data ?? {}) as Record<string, unknown>;
  return Object.keys(settings ?? {})
    .filter((k) => k !== "passphrase" && canonical(settings[k]) !== canonical(defaults[k]))
    .sort()
    .map((k) => `${k}=${canonical(settings[k])}`)
    .join(" ");
}

/** What makes two runs comparable. */
export function matchKey(r: RunResult): string {
  return [
    r.scenario,
    r.tool,
    settingsKey(r.tool, r.settings),
    r.intervalMs !== undefined ? `every=${r.intervalMs}ms` : "",
    r.bandwidthBps !== undefined ? `bandwidth=${r.bandwidthBps}Bps` : "",
  ].join(" :: ");
}

function byKey(results: readonly RunResult[]): Map<string, RunResult[]> {
  const m = new Map<string, RunResult[]>();
  for (const r of results) m.set(matchKey(r), [...(m.get(matchKey(r)) ?? []), r]);
  return m;
}

/** Every group of either side, in the order they first appear (base first). */
export function matchGroups(base: readonly RunResult[], next: readonly RunResult[]): MatchedGroup[] {
  const gb = byKey(base);
  const gn = byKey(next);
  return [...new Set([...gb.keys(), ...gn.keys()])].map((key) => {
    const any = (gn.get(key) ?? gb.get(key))![0]!;
    return { key, scenario: any.scenario, label: any.label, base: gb.get(key), next: gn.get(key) };
  });
}

/** What one side holds, for a reader: "scenario · label (N runs)", one per group. */
export function holdings(results: readonly RunResult[]): string[] {
  return [...byKey(results).values()].map(
    (rs) => `${rs[0]!.scenario} · ${rs[0]!.label} (${rs.length} run${rs.length === 1 ? "" : "s"})`,
  );
}
