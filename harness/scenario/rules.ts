// Asks every plug-in of a scenario for its rules, against one run as the command line resolved it:
// the target (on its settings), each tools entry, the store at site B, the scenario's source, then
// each step in order (with the restore points made before it). The rules are the plug-ins' own; this
// file only shows them the run and places their problems at fields. It names no plug-in.
import type { AnyAbility } from "../rules/ability.ts";
import { NO_POINTS, type PointsMade, type Problem, type RuleContext } from "../rules/context.ts";
import { siteProvides } from "../rules/site-abilities.ts";
import type { StepRuleContext } from "../steps/step.ts";
import type { Registries } from "./registries.ts";
import type { ResolvedRun } from "./resolve.ts";
import type { Scenario } from "./schema.ts";

export interface RuleIssue {
  path: (string | number)[];
  message: string;
  /** Said at the command line instead: the option that gave the value ("--target-setting lab.restoreOnto"). */
  commandLine?: string;
}

const fieldPath = (field: string) => field.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));

const place = (at: (string | number)[], p: Problem): RuleIssue => ({
  path: p.path ? [...p.path] : p.field ? [...at, ...fieldPath(p.field)] : at,
  message: p.message,
});

const plus = (a: PointsMade, b: PointsMade | undefined): PointsMade =>
  b ? { fewest: a.fewest + b.fewest, most: a.most + b.most, full: a.full || b.full } : a;

/** The context every rule of this run sees. */
function contextOf(s: Scenario, run: ResolvedRun, reg: Registries, dir: string): RuleContext {
  const provided = [...(run.target.def.provides ?? []), ...siteProvides(run.site), ...(run.store?.provides ?? [])];
  const has = new Set(provided.map((a) => a.name));
  const provides = (a: AnyAbility) => has.has(a.name);
  return {
    dir,
    scenario: {
      name: s.name,
      mode: s.mode,
      steps: s.steps.map((st) => {
        const [kind, params] = Object.entries(st)[0]!;
        return { kind, params };
      }),
      sweep: s.sweep ?? {},
      sizeBytes: s.dataset.copyFrom ? null : run.sizeBytes,
      repeat: run.repeats,
    },
    target: { name: run.target.name, settings: run.target.settings },
    site: run.site,
    tool: { name: run.tool.name, settings: run.tool.settings, entry: run.tool.entry },
    provides,
    unmet(who, needs) {
      // The first need missing: the ones after it often follow from it (no site, so no site firewall).
      const a = needs.find((n) => !provides(n));
      if (!a) return [];
      const by = Object.values(reg.targets).filter((t) => t.provides?.some((p) => p.name === a.name));
      const providers = by.map((t) => t.name).join(" or ");
      const message =
        by.length > 0
          ? `${who} needs ${a.what}, which the ${run.target.name} target cannot ${a.verb} (target: ${providers} can)`
          : `${who} needs ${a.what}: ${a.hint ?? "nothing in this run provides it"}`;
      return [{ message }];
    },
  };
}

/** Every problem the plug-ins find with this run, placed at the scenario's fields. */
export function checkRules(s: Scenario, run: ResolvedRun, reg: Registries, dir: string): RuleIssue[] {
  const ctx = contextOf(s, run, reg, dir);
  const out: RuleIssue[] = [];
  // The target's rules on its settings: said where each setting was given (the file, or --target-setting).
  const t = run.target;
  for (const p of t.def.validate?.(t.settings, ctx) ?? []) {
    const key = p.field?.split(".")[0];
    const issue = place(["targetSettings", t.name], p);
    out.push(
      key && t.fromCommandLine.includes(key)
        ? { ...issue, commandLine: `--target-setting ${t.name}.${p.field}` }
        : issue,
    );
  }
  const { adapter, name, settings, entry } = run.tool;
  const at = ["tools", entry];
  // A tool's field is one of its settings, under its name in the entry ({ restic: { args: ... } }).
  for (const p of [...ctx.unmet(name, adapter.needs ?? []), ...(adapter.validate?.(settings, ctx) ?? [])])
    out.push(place(p.field ? [...at, name] : at, p));
  // Where the backups go is the scenario's: the store at site B judges the tool that would write to it.
  if (run.site && run.store)
    for (const p of run.store.validate?.(run.site, { ...ctx, adapter }) ?? [])
      out.push(place(["destination", "site", "store"], p));
  let points = NO_POINTS;
  if (run.points.kind === "source") {
    const { def, name: key, params } = run.points;
    const problems = [...ctx.unmet(key, def.needs ?? []), ...(def.validate?.(params, { ...ctx, adapter }) ?? [])];
    out.push(...problems.map((p) => place([key], p)));
    points = plus(points, def.points(params, ctx));
  }
  ctx.scenario.steps.forEach(({ kind, params }, index) => {
    const def = reg.steps[kind];
    if (!def) return;
    const stepCtx: StepRuleContext = { ...ctx, adapter, index, pointsBefore: points };
    const needs = typeof def.needs === "function" ? def.needs(params) : (def.needs ?? []);
    for (const p of [...ctx.unmet(kind, needs), ...(def.validate?.(params, stepCtx) ?? [])])
      out.push(place(["steps", index, kind], p));
    points = plus(points, def.points?.(params, ctx));
  });
  return out;
}
