// Every path a step names (a fault's folder) is looked at on the target before anything is broken: a
// folder parameter that is a symlink (or runs through one), or a path that is not there, is refused now.
import { EnvironmentError } from "../model/errors.ts";
import type { ConfinedDir } from "../agent/confined-dir.ts";
import type { RunPlan } from "./plan.ts";

export async function preflightFaults(plan: RunPlan, dirs: { data: ConfinedDir; repo: ConfinedDir }): Promise<void> {
  const steps = plan.loaded.registries.steps;
  for (const step of plan.loaded.scenario.steps) {
    for (const [kind, params] of Object.entries(step)) {
      for (const p of steps[kind]?.touches?.(params) ?? []) {
        const dir = p.root === "data" ? dirs.data : dirs.repo;
        const st = (await dir.stat([p.path]))[p.path];
        const why = !st
          ? `"${p.path}" does not exist in the ${dir.label}`
          : "refused" in st
            ? st.refused
            : p.kind === "dir" && st.type !== "dir"
              ? `"${p.path}" is ${st.type === "symlink" ? "a symlink" : `a ${st.type}`}, ` +
                `not a folder of the ${dir.label}; not followed`
              : null;
        if (why) throw new EnvironmentError(`${p.who} (${p.field}): ${why}; refused before the drill`);
      }
    }
  }
}
