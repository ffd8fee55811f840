// After a restore test's restore: there is no manifest from backup time. The tool checked every byte
// as it restored (or said what it could not); here the restored tree is measured and, when the
// source names production (compareWith), compared with it for the files older than the point.
import { emptyManifest } from "../verify/manifest-ops.ts";
import type { Staging } from "../targets/target.ts";
import type { SourceView, StepContext } from "./step.ts";
import type { BackupPoint, StateChanges } from "./state.ts";

export async function inspectPoint(
  ctx: StepContext,
  source: SourceView,
  point: BackupPoint,
  staging: Staging,
): Promise<StateChanges> {
  const restored = await staging.dir
    .manifest({ under: staging.name, xattrs: false })
    .catch(() => emptyManifest(staging.path));
  // What came back is the data of this run: its size gives the restore's throughput.
  ctx.journal.emit("dataset", { method: "repository", bytes: restored.bytes, files: restored.files });
  const check = await source.inspect(restored, point.wallMs);
  ctx.journal.emit("restore-check", {
    compareWith: check?.compareWith ?? null,
    restoredFiles: restored.files,
    restoredBytes: restored.bytes,
    filesChecked: check?.filesChecked ?? 0,
    bytesChecked: check?.bytesChecked ?? 0,
    filesIdentical: check?.filesIdentical ?? 0,
    differences: check?.mismatchCount ?? 0,
    changedSince: check?.changedSince ?? 0,
  });
  const byTool = `${ctx.plan.toolName} checked every byte it restored (${restored.files} files)`;
  if (!check) return { facts: { contentOk: true, contentMismatches: 0, pointChecked: byTool } };
  ctx.journal.emit("verification", {
    filesChecked: check.filesChecked,
    mismatches: check.mismatchCount,
    fidelity: check.fidelity,
    filesIdentical: check.filesIdentical,
  });
  const { compareWith: _c, bytesChecked: _b, changedSince: _s, ...verification } = check;
  const pointChecked =
    `${byTool}; the ${check.filesChecked} files of production older than the point match it ` +
    `(${check.changedSince} changed since)`;
  return {
    verification,
    facts: { contentOk: check.contentOk, contentMismatches: check.mismatchCount, pointChecked },
  };
}
