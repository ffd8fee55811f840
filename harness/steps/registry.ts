// Every kind of step a scenario can hold, by name. A new step is one file plus one line here.
import { FAULTS } from "../faults/registry.ts";
import type { Fault } from "../faults/fault.ts";
import backup from "./backup.ts";
import check from "./check.ts";
import { faultStep } from "./fault.ts";
import load from "./load.ts";
import restore from "./restore.ts";
import run from "./run.ts";
import schedule from "./schedule.ts";
import type { StepDef } from "./step.ts";
import verify from "./verify.ts";
import wait from "./wait.ts";

/** The steps, with the fault step over this catalogue of faults. */
export function createSteps(faults: Readonly<Record<string, Fault<any>>>): Record<string, StepDef<any>> {
  return Object.fromEntries(
    [backup, load, wait, faultStep(faults), check, restore, run, verify, schedule].map((s) => [s.name, s]),
  );
}

export const STEPS = createSteps(FAULTS);
