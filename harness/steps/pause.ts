// A pause as a phase of the drill: `load` (the load writer keeps writing) and `wait`.
import type { PhaseName } from "../model/journal-events.ts";
import { parseDuration } from "../util/units.ts";
import type { StepContext, StepResult } from "./step.ts";

export async function pause(ctx: StepContext, name: PhaseName, duration: string): Promise<StepResult> {
  await ctx.phase(name, () => ctx.sleep(parseDuration(duration)!), duration);
  return { ok: true, changes: {} };
}
