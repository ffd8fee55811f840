// Decides a run's outcome from what happened (DESIGN.md's five outcomes); a pure function.
import type { Outcome } from "../model/outcome.ts";

export interface DrillFacts {
  /** The harness or its environment failed (not a verdict on the tool). */
  error?: string;
  faultInjected: boolean;
  /** A tool call exited non-zero after a fault (the tool reported damage), with its message. */
  reportedByTool?: string;
  /** A tool call that failed with no fault to blame, or was killed at the timeout. */
  toolFailure?: string;
  restoreRan: boolean;
  restoreSucceeded: boolean;
  contentOk?: boolean;
  contentMismatches?: number;
  requiredOk?: boolean;
  requiredDetail?: string;
  /** Files a fault changed while they were backed up that came back torn (neither old nor new). */
  torn?: number;
  servicesRequired: boolean;
  healthOk?: boolean;
  healthDetail?: string;
}

export function decideOutcome(f: DrillFacts): { outcome: Outcome; reason: string } {
  if (f.error) return { outcome: "error", reason: f.error };
  if (f.restoreRan && f.restoreSucceeded && f.contentOk === false) {
    return { outcome: "silent-corruption", reason: `restore reported success but ${f.contentMismatches ?? "some"} entries differ from the manifest` };
  }
  if (f.torn && f.restoreSucceeded) {
    // Files the scenario knowingly changed under the backup: the verify step reports which came back torn.
    const by = f.reportedByTool ? `the tool warned: ${f.reportedByTool}` : "the tool said nothing; drdrill's verify step found them";
    return { outcome: "detected", reason: `${f.torn} file(s) changed during the backup came back torn or missing (${by})` };
  }
  if (f.reportedByTool) return { outcome: "detected", reason: f.reportedByTool };
  if (f.toolFailure) return { outcome: "failed", reason: f.toolFailure };
  if (!f.restoreRan) return { outcome: "failed", reason: "no restore ran" };
  if (f.requiredOk === false) return { outcome: "failed", reason: `required metadata not restored: ${f.requiredDetail ?? ""}`.trim() };
  if (f.servicesRequired && f.healthOk === false) return { outcome: "failed", reason: `services unhealthy after restore: ${f.healthDetail ?? ""}` };
  return { outcome: "recovered", reason: "every file matches the manifest and the services are healthy" };
}
