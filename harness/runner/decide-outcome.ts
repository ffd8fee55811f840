// Decides a run's outcome from what happened (DESIGN.md's five outcomes); a pure function.
import type { Outcome } from "../model/outcome.ts";
import type { DrillFacts } from "../steps/state.ts";

export type { DrillFacts };

export function decideOutcome(f: DrillFacts): { outcome: Outcome; reason: string } {
  // A drill of a sandbox that cannot prove production untouched fails, whatever else happened.
  if (f.productionChanged) return { outcome: "failed", reason: f.productionChanged };
  if (f.error) return { outcome: "error", reason: f.error };
  // Replication copied the damage faithfully: nothing to fail over to. Not silent: the drill says so.
  if (f.replicatedDamage) return { outcome: "failed", reason: f.replicatedDamage };
  if (f.restoreRan && f.restoreSucceeded && f.contentOk === false) {
    // Exit 0 and the wrong tree: the tool's words, if it had any, are all the operator got.
    if (f.restoreWarned)
      return {
        outcome: "detected",
        reason: `${f.restoreWarned}; ${f.contentMismatches ?? "some"} entries differ from the manifest`,
      };
    return {
      outcome: "silent-corruption",
      reason: `restore reported success but ${f.contentMismatches ?? "some"} entries differ from the manifest`,
    };
  }
  if (f.torn && f.restoreSucceeded) {
    // Files the scenario knowingly changed under the backup: the verify step reports which came back torn.
    const by = f.reportedByTool
      ? `the tool warned: ${f.reportedByTool}`
      : "the tool said nothing; drdrill's verify step found them";
    return {
      outcome: "detected",
      reason: `${f.torn} file(s) changed during the backup came back torn or missing (${by})`,
    };
  }
  if (f.reportedByTool) return { outcome: "detected", reason: f.reportedByTool };
  if (f.toolFailure) return { outcome: "failed", reason: f.toolFailure };
  if (!f.restoreRan) return { outcome: "failed", reason: "no restore ran" };
  if (f.requiredOk === false)
    return { outcome: "failed", reason: `required metadata not restored: ${f.requiredDetail ?? ""}`.trim() };
  if (f.servicesRequired && f.healthOk === false)
    return { outcome: "failed", reason: `services unhealthy after restore: ${f.healthDetail ?? ""}` };
  if (f.fellBack)
    return {
      outcome: "recovered",
      reason: `every file matches the manifest of ${f.fellBack}, and the services are healthy`,
    };
  if (f.pointChecked) return { outcome: "recovered", reason: f.pointChecked };
  return { outcome: "recovered", reason: "every file matches the manifest and the services are healthy" };
}
