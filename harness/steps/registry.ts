// Every kind of step a scenario can hold, by name. A new step is one file plus one line here.
import backup from "./backup.ts";
import check from "./check.ts";
import fault from "./fault.ts";
import load from "./load.ts";
import restore from "./restore.ts";
import schedule from "./schedule.ts";
import type { StepDef } from "./step.ts";
import verify from "./verify.ts";
import wait from "./wait.ts";

export const STEPS: Record<string, StepDef<any>> = Object.fromEntries(
  [backup, load, wait, fault, check, restore, verify, schedule].map((s) => [s.name, s]),
);
