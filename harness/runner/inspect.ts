// After a restore: compare the restored tree with the manifest taken at backup (files a fault changed
// mid-backup are left out and judged by that fault), and record what was found.
import { TOOLS } from "../tools/registry.ts";
import type { Drill } from "./drill.ts";
import { withoutPaths, type Manifest } from "../verify/build-manifest.ts";
import { compareManifests } from "../verify/compare-manifests.ts";

/** Compares the restored tree with the manifest; files a fault changed mid-backup are judged by it. */
export async function inspectRestore(drill: Drill, expected: Manifest, staging: { host: string; exec: string }): Promise<void> {
  const target = drill.target!;
  const restored = await target.manifest(staging).catch(() => emptyManifest(staging.host));
  const volatile = drill.armed.volatile();
  const v = compareManifests(withoutPaths(expected, volatile), withoutPaths(restored, volatile), TOOLS[drill.plan.tool]!.fidelity, drill.plan.loaded.scenario.require);
  drill.verification = v;
  drill.facts.contentOk = v.contentOk;
  drill.facts.contentMismatches = v.mismatchCount;
  drill.facts.requiredOk = v.requiredOk;
  drill.facts.requiredDetail = Object.entries(v.fidelity).filter(([, f]) => f.required && f.kept < f.checked).map(([a]) => a).join(", ");
  drill.journal.emit("verification", { filesChecked: v.filesChecked, mismatches: v.mismatchCount, fidelity: v.fidelity });
  drill.facts.torn = 0;
  for (const { name, judgement } of await drill.armed.judge(staging.host)) {
    const rec = drill.faults.findLast((f) => f.fault === name);
    if (rec) rec.effects.restored = judgement;
    drill.journal.emit("fault-effects", { fault: name, stage: "judged the restored copy", effects: { ...judgement } });
    if (!judgement.ok) drill.facts.torn += Math.max(1, (judgement.counts.torn ?? 0) + (judgement.counts.missing ?? 0));
  }
}


function emptyManifest(root: string): Manifest {
  return { root, takenAt: new Date().toISOString(), entries: {}, files: 0, bytes: 0, xattrsRead: false };
}
