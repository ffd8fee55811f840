// After a restore: compare the restored tree with the manifest taken at backup (files a fault changed
// mid-backup are left out and judged by that fault), and say what was found.
import { emptyManifest, withoutPaths } from "../verify/manifest-ops.ts";
import { compareManifests } from "../verify/compare-manifests.ts";
import type { Manifest } from "../model/manifest.ts";
import type { Staging } from "../targets/target.ts";
import type { StepContext } from "./step.ts";
import { mergeChanges, type StateChanges } from "./state.ts";

export async function inspectRestore(ctx: StepContext, expected: Manifest, staging: Staging): Promise<StateChanges> {
  const excludes = [...ctx.target.manifestExcludes];
  // A restore that wrote nothing leaves no tree: everything is missing.
  const restored = await staging.dir
    .manifest({ under: staging.name, exclude: excludes })
    .catch(() => emptyManifest(staging.path));
  const volatile = ctx.armed.volatile();
  const v = compareManifests(
    withoutPaths(expected, volatile),
    withoutPaths(restored, volatile),
    ctx.plan.tool.fidelity,
    ctx.plan.require,
  );
  ctx.journal.emit("verification", {
    filesChecked: v.filesChecked,
    mismatches: v.mismatchCount,
    fidelity: v.fidelity,
    filesIdentical: v.filesIdentical,
  });
  const changes: StateChanges[] = [
    {
      verification: v,
      facts: {
        contentOk: v.contentOk,
        contentMismatches: v.mismatchCount,
        requiredOk: v.requiredOk,
        requiredDetail: Object.entries(v.fidelity)
          .filter(([, f]) => f.required && f.kept < f.checked)
          .map(([a]) => a)
          .join(", "),
        torn: 0,
      },
    },
  ];
  let torn = 0;
  for (const { name, judgement } of await ctx.armed.judge({ dir: staging.dir, under: staging.name })) {
    changes.push({ faultEffects: [{ fault: name, effects: { restored: judgement } }] });
    ctx.journal.emit("fault-effects", { fault: name, stage: "judged the restored copy", effects: { ...judgement } });
    if (!judgement.ok) torn += Math.max(1, (judgement.counts.torn ?? 0) + (judgement.counts.missing ?? 0));
  }
  changes.push({ facts: { torn } });
  return mergeChanges(...changes);
}
