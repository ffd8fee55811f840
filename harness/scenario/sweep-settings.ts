// `sweep: { settings: { restic.compression: [auto, max] } }`: a tool setting varied across runs. Each
// tools entry of that tool runs once per combination of its swept values (the matrix), over the entry's own
// settings. Used twice: the schema judges every value with the tool's own settings schema (an unknown
// tool or setting, a bad value, two entries expanding to the same settings), and the runs are resolved
// from the same expansion.
import type { z } from "zod";
import type { ToolAdapter } from "../tools/tool.ts";

/** The swept settings as the scenario gives them: "TOOL.SETTING" -> its values. */
export type SweptSettings = Readonly<Record<string, readonly unknown[]>>;

export interface SweepProblem {
  /** Under sweep.settings: the key, and the value's index when one value is at fault. */
  path: (string | number)[];
  message: string;
}

/** The tool and the setting a key names ("restic.compression"), or null when it names none. */
export function splitKey(key: string): { tool: string; setting: string } | null {
  const dot = key.indexOf(".");
  return dot > 0 && dot < key.length - 1 ? { tool: key.slice(0, dot), setting: key.slice(dot + 1) } : null;
}

/** The keys of a tool's settings, when its schema is an object (else undefined: not checked by name). */
function settingNames(adapter: ToolAdapter): string[] | undefined {
  const shape = (adapter.settings as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : undefined;
}

/**
 * The settings one tools entry runs with: one per combination of the values swept for its tool (each
 * parsed by the tool's schema, so defaults and checks apply), or the entry's settings alone. Problems
 * name the sweep key (and value) at fault.
 */
export function expandEntry(
  toolName: string,
  adapter: ToolAdapter,
  settings: Record<string, unknown>,
  sweep: SweptSettings | undefined,
): { settings: Record<string, unknown>[]; problems: SweepProblem[] } {
  const problems: SweepProblem[] = [];
  const keys = Object.entries(sweep ?? {}).filter(([k]) => splitKey(k)?.tool === toolName);
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of keys) {
    const { setting } = splitKey(key)!;
    const names = settingNames(adapter);
    if (names && !names.includes(setting)) {
      problems.push({ path: [key], message: `${toolName} has no setting "${setting}" (it has ${names.join(", ")})` });
      continue;
    }
    values.forEach((value, i) => {
      const parsed = (adapter.settings as z.ZodType).safeParse({ ...settings, [setting]: value });
      if (!parsed.success)
        problems.push({
          path: [key, i],
          message: `${toolName}.${setting}: ${JSON.stringify(value)}: ${parsed.error.issues[0]?.message ?? "refused"}`,
        });
    });
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [setting]: v })));
  }
  if (problems.length > 0 || keys.length === 0) return { settings: [settings], problems };
  return {
    settings: combos.map(
      (c) => (adapter.settings as z.ZodType).parse({ ...settings, ...c }) as Record<string, unknown>,
    ),
    problems,
  };
}

/** The problems of sweep.settings keys that name no tool of the scenario, or not as TOOL.SETTING. */
export function keyProblems(sweep: SweptSettings | undefined, toolNames: readonly string[]): SweepProblem[] {
  const problems: SweepProblem[] = [];
  for (const key of Object.keys(sweep ?? {})) {
    const split = splitKey(key);
    if (!split) problems.push({ path: [key], message: `"${key}" is not TOOL.SETTING (e.g. restic.compression)` });
    else if (!toolNames.includes(split.tool))
      problems.push({
        path: [key],
        message: `"${split.tool}" is not one of this scenario's tools (${toolNames.join(", ") || "none"})`,
      });
  }
  return problems;
}
