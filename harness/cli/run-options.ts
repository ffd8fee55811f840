// The options that say how scenarios run (--target, --target-setting, --tool, --size, --repeat,
// --timeout) read once for `drdrill run`, `validate` and `plan`: what is wrong is bad input (exit
// 2), what is right becomes the overrides every scenario is resolved and judged with.
import { parse as parseYaml } from "yaml";
import { InputError, type InputIssue } from "../model/errors.ts";
import { REGISTRIES } from "../scenario/registries.ts";
import { targetNamed, type Overrides } from "../scenario/resolve.ts";
import { LIMITS } from "../scenario/schema.ts";
import { parseDuration, parseSize } from "../util/units.ts";
import { durationProblem } from "../util/zod-units.ts";

export interface RunShapeOptions {
  target?: string;
  targetSetting?: string[];
  tool?: string[];
  size?: string;
  repeat?: string;
  timeout?: string;
}

export const argIssue = (field: string, message: string): InputIssue => ({
  file: "(command line)",
  line: 1,
  column: 1,
  path: field,
  message,
});

/** The overrides, or an InputError with every problem of the options at once. */
export function readOverrides(o: RunShapeOptions, issues: InputIssue[] = []): Overrides {
  const { targets, tools } = REGISTRIES;
  if (o.target !== undefined) {
    const t = targetNamed(o.target, REGISTRIES);
    if ("problem" in t) issues.push(argIssue("--target", t.problem));
  }
  const targetSettings: Record<string, Record<string, unknown>> = {};
  for (const kv of o.targetSetting ?? []) {
    const m = /^([a-z]+)\.([A-Za-z]+)=(.*)$/s.exec(kv);
    if (!m || !targets[m[1]!]) {
      issues.push(
        argIssue(
          "--target-setting",
          `"${kv}" is not TARGET.KEY=VALUE for a known target (e.g. ssh.identityFile=~/.ssh/id_ed25519)`,
        ),
      );
      continue;
    }
    (targetSettings[m[1]!] ??= {})[m[2]!] = parseYaml(m[3]!) ?? m[3];
  }
  for (const t of o.tool ?? [])
    if (!tools[t]) issues.push(argIssue("--tool", `unknown tool "${t}" (available: ${Object.keys(tools).join(", ")})`));
  const sizeBytes = o.size !== undefined ? parseSize(o.size) : undefined;
  if (o.size !== undefined && sizeBytes === undefined)
    issues.push(argIssue("--size", `"${o.size}" is not a size (e.g. 50MB, 3.34GB)`));
  const timeoutMs = o.timeout !== undefined ? parseDuration(o.timeout) : undefined;
  const timeoutWhy = o.timeout !== undefined ? durationProblem(o.timeout, { minMs: LIMITS.timeoutMinMs }) : undefined;
  if (timeoutWhy) issues.push(argIssue("--timeout", `"${o.timeout}": ${timeoutWhy}`));
  const repeat = o.repeat !== undefined ? Number(o.repeat) : undefined;
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1 || repeat > LIMITS.repeatMax))
    issues.push(argIssue("--repeat", `"${o.repeat}" is not a whole number from 1 to ${LIMITS.repeatMax}`));
  if (issues.length > 0) throw new InputError(issues);
  return {
    ...(o.target !== undefined ? { target: o.target } : {}),
    ...(Object.keys(targetSettings).length > 0 ? { targetSettings } : {}),
    ...(o.tool && o.tool.length > 0 ? { tools: o.tool } : {}),
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(repeat !== undefined ? { repeat } : {}),
  };
}
